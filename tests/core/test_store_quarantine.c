/* Unit tests for the store's "quarantine" and "imports" record kinds: a record reads
 * back whole, a taken id is BUSY (the caller picks the next), records come oldest
 * first, restore is recorded, an unsound row (relative path, bad hash) is skipped and
 * counted, and two connections opening one new store migrate it once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/store.h"
#include "core/store_imports.h"
#include "core/store_quarantine.h"
#include "../helpers/tstore.h"

struct fixture {
	struct tstore ts;
	struct vg_store *st;
	char dir[64];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || tstore_open(&f->ts, "storeq") != 0)
		return -1;
	f->st = f->ts.st;
	memcpy(f->dir, f->ts.dir, sizeof(f->dir));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	tstore_remove(&f->ts);
	free(f);
	return 0;
}

static void
entry(struct quarantine_entry *e, const char *id, long long at, const char *path)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->id, sizeof(e->id), "%s", id);
	memset(e->sha256, 'a', 64);
	snprintf(e->original_path, sizeof(e->original_path), "%s", path);
	e->mode = 0755;
	e->uid = 33;
	e->gid = 34;
	e->size = 42;
	e->mtime = 1700000000;
	e->quarantined_at = at;
	e->score = 90;
	snprintf(e->rules, sizeof(e->rules), "php_china_chopper");
	snprintf(e->families, sizeof(e->families), "china-chopper");
}

static void
test_record_reads_back_whole_and_oldest_first(void **state)
{
	struct fixture *f = *state;
	struct quarantine_entry a, b, *v = NULL;
	size_t n = 0, bad = 9;

	entry(&a, "aaaa-2", 1700000200, "/srv/www/late.php");
	entry(&b, "aaaa-1", 1700000100, "/srv/www/early.php");
	b.score = -1;
	assert_int_equal(store_quarantine_add(f->st, &a), VG_OK);
	assert_int_equal(store_quarantine_add(f->st, &b), VG_OK);
	assert_int_equal(store_quarantine_list(f->st, 100, &v, &n, &bad), VG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(bad, 0);
	assert_string_equal(v[0].id, "aaaa-1");
	assert_string_equal(v[0].original_path, "/srv/www/early.php");
	assert_int_equal(v[0].score, -1);
	assert_string_equal(v[1].id, "aaaa-2");
	assert_int_equal(v[1].mode, 0755);
	assert_int_equal(v[1].uid, 33);
	assert_int_equal(v[1].gid, 34);
	assert_int_equal(v[1].size, 42);
	assert_int_equal(v[1].mtime, 1700000000);
	assert_string_equal(v[1].rules, "php_china_chopper");
	assert_string_equal(v[1].families, "china-chopper");
	assert_string_equal(v[1].restored_to, "");
	free(v);
}

static void
test_taken_id_is_busy_and_first_record_stands(void **state)
{
	struct fixture *f = *state;
	struct quarantine_entry a, *v = NULL;
	size_t n = 0;

	entry(&a, "bbbb-1", 1700000000, "/srv/www/a.php");
	assert_int_equal(store_quarantine_add(f->st, &a), VG_OK);
	snprintf(a.original_path, sizeof(a.original_path), "/srv/www/other.php");
	assert_int_equal(store_quarantine_add(f->st, &a), VG_ERR_BUSY);
	assert_int_equal(store_quarantine_list(f->st, 100, &v, &n, NULL), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].original_path, "/srv/www/a.php");
	free(v);
}

static void
test_restore_is_recorded_and_unknown_id_is_not_found(void **state)
{
	struct fixture *f = *state;
	struct quarantine_entry a, *v = NULL;
	size_t n = 0;

	entry(&a, "cccc-1", 1700000000, "/srv/www/a.php");
	assert_int_equal(store_quarantine_add(f->st, &a), VG_OK);
	assert_int_equal(store_quarantine_set_restored(f->st, "cccc-1", "/tmp/copy.php", 1), VG_OK);
	assert_int_equal(store_quarantine_set_restored(f->st, "nope", "/tmp/x", 1),
	    VG_ERR_NOTFOUND);
	assert_int_equal(store_quarantine_list(f->st, 100, &v, &n, NULL), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].restored_to, "/tmp/copy.php");
	free(v);
}

/* A restore writes to original_path: a row an attacker with access to the file
 * planted with a relative or ".." path, or a bad hash, is never handed out. */
static void
test_unsound_rows_are_skipped_and_counted(void **state)
{
	struct fixture *f = *state;
	struct quarantine_entry a, *v = NULL;
	size_t n = 0, bad = 0;
	const char *paths[] = { "relative.php", "/srv/../etc/passwd", "/srv//x.php" };

	entry(&a, "dddd-ok", 1700000000, "/srv/www/ok.php");
	assert_int_equal(store_quarantine_add(f->st, &a), VG_OK);
	for (int i = 0; i < 3; i++) {
		char id[24];
		snprintf(id, sizeof(id), "dddd-%d", i);
		entry(&a, id, 1700000001 + i, paths[i]);
		assert_int_equal(store_quarantine_add(f->st, &a), VG_OK);
	}
	entry(&a, "dddd-hash", 1700000009, "/srv/www/h.php");
	memset(a.sha256, 'Z', 64);
	assert_int_equal(store_quarantine_add(f->st, &a), VG_OK);
	entry(&a, "../x", 1700000010, "/srv/www/i.php");
	assert_int_equal(store_quarantine_add(f->st, &a), VG_OK);
	assert_int_equal(store_quarantine_list(f->st, 100, &v, &n, &bad), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(bad, 5);
	assert_string_equal(v[0].id, "dddd-ok");
	free(v);
}

static void
test_list_stops_at_its_limit_and_counts_the_rest(void **state)
{
	struct fixture *f = *state;
	struct quarantine_entry a, *v = (void *)1;
	size_t n = 7, bad = 0;

	assert_int_equal(store_quarantine_list(f->st, 2, &v, &n, &bad), VG_OK);
	assert_null(v);
	assert_int_equal(n, 0);
	for (int i = 0; i < 3; i++) {
		char id[24];
		snprintf(id, sizeof(id), "eeee-%d", i);
		entry(&a, id, 1700000000 + i, "/srv/www/e.php");
		assert_int_equal(store_quarantine_add(f->st, &a), VG_OK);
	}
	assert_int_equal(store_quarantine_list(f->st, 2, &v, &n, &bad), VG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(bad, 1);
	free(v);
}

static void
test_import_is_recorded_once(void **state)
{
	struct fixture *f = *state;
	bool done = true;

	assert_int_equal(store_import_done(f->st, "quarantine-sidecars", &done), VG_OK);
	assert_false(done);
	assert_int_equal(store_import_add(f->st, "quarantine-sidecars", "/v/meta", 3, 1), VG_OK);
	assert_int_equal(store_import_done(f->st, "quarantine-sidecars", &done), VG_OK);
	assert_true(done);
	assert_int_not_equal(store_import_add(f->st, "quarantine-sidecars", "/v/meta", 3, 1),
	    VG_OK);
}

struct opener {
	const char *path;
	int rc;
	char err[256];
};

static void *
open_new(void *arg)
{
	struct opener *o = arg;
	struct vg_store *st = NULL;
	o->rc = store_open("sqlite", o->path, NULL, &st, o->err, sizeof(o->err));
	store_close(st);
	return NULL;
}

/* scan's worker threads may open a new vault's store at the same moment: the one
 * that waited for the write lock must find each migration done, not run it twice. */
static void
test_concurrent_first_opens_migrate_once(void **state)
{
	struct fixture *f = *state;
	char path[160];
	struct opener o[4];
	pthread_t t[4];
	struct vg_store *st = NULL;
	int v = 0;

	snprintf(path, sizeof(path), "%s/new.db", f->dir);
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 4; i++) {
			o[i] = (struct opener){ .path = path, .rc = -1 };
			assert_int_equal(pthread_create(&t[i], NULL, open_new, &o[i]), 0);
		}
		for (int i = 0; i < 4; i++) {
			pthread_join(t[i], NULL);
			if (o[i].rc != VG_OK)
				fail_msg("open %d: %d %s", i, o[i].rc, o[i].err);
		}
		char err[256];
		assert_int_equal(store_open("sqlite", path, NULL, &st, err, sizeof(err)), VG_OK);
		assert_int_equal(store_schema_version(st, &v), VG_OK);
		assert_int_equal(v, store_schema_latest());
		store_close(st);
		const char *suffix[] = { "", "-wal", "-shm" };
		for (int i = 0; i < 3; i++) {
			char p[200];
			snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
			unlink(p);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_reads_back_whole_and_oldest_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_taken_id_is_busy_and_first_record_stands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_is_recorded_and_unknown_id_is_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsound_rows_are_skipped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_stops_at_its_limit_and_counts_the_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_is_recorded_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_first_opens_migrate_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
