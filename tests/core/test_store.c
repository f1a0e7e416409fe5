/* Unit tests for the store gateway on SQLite: migrations, refusal of files it must
 * not touch, alerts, offsets and transactions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/store.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/v.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char p[160];
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
write_raw(const char *path, const char *bytes)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(bytes, fp);
	fclose(fp);
}

static void
sql(const char *path, const char *stmt)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, stmt, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_new_file_is_migrated_to_latest(void **state)
{
	struct fixture *f = *state;
	struct vg_store *st = NULL;
	char err[256];
	int v = -1;
	assert_int_equal(store_open("sqlite", f->path, NULL, &st, err, sizeof(err)), VG_OK);
	assert_int_equal(store_schema_version(st, &v), VG_OK);
	assert_int_equal(v, store_schema_latest());
	json_t *stats = NULL;
	assert_int_equal(store_stats(st, &stats), VG_OK);
	assert_int_equal(json_integer_value(json_object_get(stats, "alerts")), 0);
	assert_non_null(json_object_get(stats, "cases"));
	json_decref(stats);
	store_close(st);
	/* Reopening an up-to-date store is a no-op. */
	assert_int_equal(store_open("sqlite", f->path, NULL, &st, err, sizeof(err)), VG_OK);
	store_close(st);
}

static void
test_newer_schema_is_refused_untouched(void **state)
{
	struct fixture *f = *state;
	struct vg_store *st = NULL;
	char err[256], pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", store_schema_latest() + 1);
	sql(f->path, "CREATE TABLE future(x)");
	sql(f->path, pragma);
	assert_int_equal(store_open("sqlite", f->path, NULL, &st, err, sizeof(err)), VG_ERR_SCHEMA);
	assert_null(st);
	assert_non_null(strstr(err, "is newer than this vigil"));
	assert_non_null(strstr(err, f->path));
}

static void
test_non_sqlite_file_is_refused(void **state)
{
	struct fixture *f = *state;
	struct vg_store *st = NULL;
	char err[256];
	write_raw(f->path, "this is a text file, certainly not a database, padded to be long "
			   "enough that SQLite reads a header from it..............................");
	assert_int_equal(store_open("sqlite", f->path, NULL, &st, err, sizeof(err)), VG_ERR_FORMAT);
	assert_null(st);
	assert_non_null(strstr(err, "not a vigil store"));
}

static void
test_foreign_sqlite_database_is_refused(void **state)
{
	struct fixture *f = *state;
	struct vg_store *st = NULL;
	char err[256];
	sql(f->path, "CREATE TABLE customers(name TEXT)");
	assert_int_equal(store_open("sqlite", f->path, NULL, &st, err, sizeof(err)), VG_ERR_FORMAT);
	assert_non_null(strstr(err, "other tables"));
}

static void
test_unknown_backend_is_refused(void **state)
{
	struct fixture *f = *state;
	struct vg_store *st = NULL;
	char err[256];
	assert_int_equal(store_open("oracle", f->path, NULL, &st, err, sizeof(err)), VG_ERR_INVAL);
	assert_non_null(strstr(err, "oracle"));
}

static int
collect(json_t *alert, void *arg)
{
	json_array_append(arg, alert);
	return 0;
}

static void
test_alerts_round_trip_as_ecs_json(void **state)
{
	struct fixture *f = *state;
	struct vg_store *st = NULL;
	char err[256];
	assert_int_equal(store_open("sqlite", f->path, NULL, &st, err, sizeof(err)), VG_OK);
	struct vg_alert a = { .rule_id = "http.sqli.union", .title = "SQL injection (UNION)",
		.category = "sqli", .mitre = "T1190", .severity = VG_SEV_HIGH,
		.source_ip = "203.0.113.66", .sensor = "web1", .count = 3,
		.first_seen_us = 1000000, .last_seen_us = 2000000, .field = "url.original",
		.matched = "union select", .evidence = "GET /?id=1 union select" };
	assert_int_equal(store_begin(st), VG_OK);
	assert_int_equal(store_alert_add(st, &a), VG_OK);
	assert_true(a.id > 0);
	assert_int_equal(store_commit(st), VG_OK);
	json_t *all = json_array();
	assert_int_equal(store_alerts_each(st, 0, 0, collect, all), VG_OK);
	assert_int_equal(json_array_size(all), 1);
	json_t *j = json_array_get(all, 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "rule"), "id")),
	    "http.sqli.union");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "source"), "ip")),
	    "203.0.113.66");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "event"), "severity")),
	    VG_SEV_HIGH);
	json_decref(all);
	store_close(st);
}

static void
test_rollback_discards_alerts_and_offsets_together(void **state)
{
	struct fixture *f = *state;
	struct vg_store *st = NULL;
	char err[256];
	struct store_offset off = { .dev = 1, .ino = 2, .offset = 300, .fingerprint = "ab" };
	struct store_offset got;
	struct vg_alert a = { .rule_id = "r", .severity = VG_SEV_LOW, .count = 1,
		.first_seen_us = 1, .last_seen_us = 1 };
	assert_int_equal(store_open("sqlite", f->path, NULL, &st, err, sizeof(err)), VG_OK);
	assert_int_equal(store_begin(st), VG_OK);
	assert_int_equal(store_alert_add(st, &a), VG_OK);
	assert_int_equal(store_offset_set(st, "/var/log/x", &off), VG_OK);
	assert_int_equal(store_rollback(st), VG_OK);
	assert_int_equal(store_offset_get(st, "/var/log/x", &got), VG_ERR_NOTFOUND);
	json_t *stats = NULL;
	assert_int_equal(store_stats(st, &stats), VG_OK);
	assert_int_equal(json_integer_value(json_object_get(stats, "alerts")), 0);
	json_decref(stats);

	assert_int_equal(store_begin(st), VG_OK);
	assert_int_equal(store_offset_set(st, "/var/log/x", &off), VG_OK);
	off.offset = 400;
	assert_int_equal(store_offset_set(st, "/var/log/x", &off), VG_OK);
	assert_int_equal(store_commit(st), VG_OK);
	assert_int_equal(store_offset_get(st, "/var/log/x", &got), VG_OK);
	assert_int_equal(got.offset, 400);
	assert_int_equal(got.ino, 2);
	assert_string_equal(got.fingerprint, "ab");
	assert_int_equal(store_audit(st, "tester", "test.action", "detail"), VG_OK);
	store_close(st);
}

static void
test_unwritable_location_fails_cleanly(void **state)
{
	(void)state;
	struct vg_store *st = NULL;
	char err[256];
	int r = store_open("sqlite", "/proc/vigil-cannot-be-here/v.db", NULL, &st, err, sizeof(err));
	assert_int_equal(r, VG_ERR_IO);
	assert_null(st);
	assert_non_null(strstr(err, "/proc/vigil-cannot-be-here/v.db"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_file_is_migrated_to_latest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_is_refused_untouched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_sqlite_file_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_sqlite_database_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_backend_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alerts_round_trip_as_ecs_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_discards_alerts_and_offsets_together,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_location_fails_cleanly, setup, teardown),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
