/* Unit tests for the store's statement interface (store_db.h), the layer every
 * record kind is written on: portable placeholders, typed binds, the statement
 * cache, and the compiled-in migrations. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/store_db.h"

struct fixture {
	char dir[64];
	char path[128];
	struct vg_store *st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-storedb-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/v.db", f->dir);
	if (store_open("sqlite", f->path, NULL, &f->st, err, sizeof(err)) != VG_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char p[160];
	const char *suffix[] = { "", "-wal", "-shm" };
	store_close(f->st);
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* $2 before $1, and a quoted '$1' that must stay text. */
static const struct store_sql q_order = {
	.name = "placeholder order",
	.sql = "SELECT $2 || '-' || $1 || '-$1', $3 + 1, $4 IS NULL",
};

static void
test_placeholders_bind_by_number_not_by_position(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *t = NULL;

	assert_int_equal(store_stmt(f->st, &q_order, &t), VG_OK);
	store_bind_text(t, 1, "one");
	store_bind_text(t, 2, "two");
	store_bind_int64(t, 3, 41);
	store_bind_null(t, 4);
	assert_int_equal(store_step(t), STORE_ROW);
	assert_string_equal(store_col_text(t, 0), "two-one-$1");
	assert_int_equal(store_col_int64(t, 1), 42);
	assert_int_equal(store_col_int64(t, 2), 1);
	assert_int_equal(store_step(t), STORE_DONE);
	store_reset(t);
}

/* Enough distinct statements to make the cache grow several times. */
#define N_Q 100
static void
test_statement_cache_returns_one_statement_per_row(void **state)
{
	struct fixture *f = *state;
	struct store_sql *qs = calloc(N_Q, sizeof(*qs));
	char (*texts)[64] = calloc(N_Q, 64);
	struct store_stmt *first[N_Q], *t;

	for (int i = 0; i < N_Q; i++) {
		snprintf(texts[i], 64, "SELECT %d + $1", i);
		qs[i] = (struct store_sql){ .name = "cache", .sql = texts[i] };
		assert_int_equal(store_stmt(f->st, &qs[i], &first[i]), VG_OK);
	}
	for (int i = 0; i < N_Q; i++) {
		assert_int_equal(store_stmt(f->st, &qs[i], &t), VG_OK);
		assert_ptr_equal(t, first[i]);
		store_bind_int64(t, 1, 1000);
		assert_int_equal(store_step(t), STORE_ROW);
		assert_int_equal(store_col_int64(t, 0), 1000 + i);
		store_reset(t);
	}
	/* The store finalizes them at close (teardown); the rows must outlive it. */
	store_close(f->st);
	f->st = NULL;
	free(qs);
	free(texts);
}

static const struct store_sql q_bad = { .name = "broken", .sql = "SELEKT nothing" };
static const struct store_sql q_blob = {
	.name = "blob",
	.sql = "SELECT length($1), hex($1)",
};

static void
test_bad_sql_fails_without_caching(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *t = (void *)1;
	assert_int_equal(store_stmt(f->st, &q_bad, &t), VG_ERR_STORE);
	assert_null(t);
	assert_int_equal(store_stmt(f->st, &q_bad, &t), VG_ERR_STORE);
}

static void
test_blobs_keep_every_byte(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *t = NULL;
	const char raw[] = { 'a', 0, (char)0xff, '\n' };

	assert_int_equal(store_stmt(f->st, &q_blob, &t), VG_OK);
	store_bind_blob(t, 1, raw, sizeof(raw));
	assert_int_equal(store_step(t), STORE_ROW);
	assert_int_equal(store_col_int64(t, 0), 4);
	assert_string_equal(store_col_text(t, 1), "6100FF0A");
	store_reset(t);
}

static void
test_migrations_are_compiled_in_and_numbered(void **state)
{
	(void)state;
	int n = store_migrations_count(store_migrations_sqlite);
	assert_int_equal(n, store_schema_latest());
	assert_true(n >= 1);
	/* 001 is the original schema: it must still create the alerts table. */
	assert_non_null(strstr(store_migrations_sqlite[0], "CREATE TABLE alerts("));
}

/* Stages outside core (cases/, notify/) use bare SQL text with value arrays. */
static void
test_exec_and_query_by_text_with_json_rows(void **state)
{
	struct fixture *f = *state;
	static const char *const ins =
	    "INSERT INTO audit(at, actor, action, detail) VALUES($1, $2, $3, $4)";
	static const char *const upd = "UPDATE audit SET detail = $1 WHERE actor = $2";
	static const char *const sel =
	    "SELECT id, actor, detail FROM audit WHERE at >= $1 ORDER BY id";
	int64_t id = 0, changes = 0;
	json_t *rows = NULL, *row = NULL;

	for (int i = 0; i < 3; i++) {
		struct store_val b[] = { SV_INT(100 + i), SV_TEXT(i == 2 ? "eve" : "bob"),
			SV_TEXT("login"), SV_TEXT(NULL) };
		assert_int_equal(store_exec(f->st, ins, b, 4, &id, NULL), VG_OK);
		assert_int_equal(id, i + 1);
	}
	assert_int_equal(store_exec(f->st, upd, (struct store_val[]){ SV_TEXT("x"),
	    SV_TEXT("bob") }, 2, NULL, &changes), VG_OK);
	assert_int_equal(changes, 2);
	assert_int_equal(store_query(f->st, sel, (struct store_val[]){ SV_INT(101) }, 1, 0,
	    &rows), VG_OK);
	assert_int_equal(json_array_size(rows), 2);
	json_t *last = json_array_get(rows, 1);
	assert_int_equal(json_integer_value(json_object_get(last, "id")), 3);
	assert_string_equal(json_string_value(json_object_get(last, "actor")), "eve");
	assert_true(json_is_null(json_object_get(last, "detail")));
	json_decref(rows);
	assert_int_equal(store_query(f->st, sel, (struct store_val[]){ SV_INT(0) }, 1, 1, &rows),
	    VG_OK);
	assert_int_equal(json_array_size(rows), 1);	/* max_rows */
	json_decref(rows);
	assert_int_equal(store_query_one(f->st, sel, (struct store_val[]){ SV_INT(100) }, 1, &row),
	    VG_OK);
	assert_string_equal(json_string_value(json_object_get(row, "detail")), "x");
	json_decref(row);
	assert_int_equal(store_query_one(f->st, sel, (struct store_val[]){ SV_INT(999) }, 1, &row),
	    VG_ERR_NOTFOUND);
	assert_null(row);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_placeholders_bind_by_number_not_by_position,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache_returns_one_statement_per_row,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sql_fails_without_caching, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blobs_keep_every_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrations_are_compiled_in_and_numbered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_and_query_by_text_with_json_rows, setup,
		    teardown),
	};
	return cmocka_run_group_tests_name("store_db", tests, NULL, NULL);
}
