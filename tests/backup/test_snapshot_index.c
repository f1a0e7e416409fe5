/* Unit tests for the backup directory's store (backup_dir/backup.db): snapshots are
 * indexed when created and listed from the index; a manifest on disk the index lacks
 * (an older vigil's backup directory) is adopted once, when it is not a young one a
 * creator is still indexing; a manifest deleted from under
 * the index is an error, never a silent step back to an older baseline; a publishing
 * window is a row, and an older vigil's state file counts until the window closes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "backup/snapshot.h"
#include "core/config.h"
#include "core/err.h"
#include "core/store.h"
#include "core/store_backup.h"
#include "respond/publish.h"
#include "../helpers/tfiles.h"

struct fx {
	char dir[64];
	struct vg_config *cfg;
	struct protect *p;
	struct protect_root *r;
};

static void
put(const char *dir, const char *rel, const char *text)
{
	assert_int_equal(tfiles_put(dir, rel, text), 0);
}

static void
reopen(struct fx *f)
{
	protect_free(f->p);
	assert_int_equal(protect_open(f->cfg, NULL, &f->p), VG_OK);
	f->r = protect_root_find(f->p, "site");
	assert_non_null(f->r);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char yaml[512], www[128], *errors = NULL, *warnings = NULL;

	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-snapidx.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(www, sizeof(www), "%s/www", f->dir);
	assert_int_equal(mkdir(www, 0755), 0);
	put(www, "index.html", "<p>home</p>\n");
	snprintf(yaml, sizeof(yaml), "webroots:\n  - {path: %s, name: site, policy: restore}\n"
	    "protect: {backup_dir: %s/backup}\n", www, f->dir);
	assert_int_equal(vg_config_load_string("t.yaml", yaml, strlen(yaml), f->dir, &f->cfg,
	    &errors, &warnings), VG_OK);
	free(warnings);
	reopen(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	protect_free(f->p);
	vg_config_free(f->cfg);
	assert_int_equal(rm_rf(f->dir), 0);
	free(f);
	return 0;
}

static void
snap(struct fx *f, char id[PROTECT_ID_SIZE])
{
	struct protect_snapshot_stats st;
	assert_int_equal(protect_snapshot_create(f->p, f->r, 1, false, id, &st), VG_OK);
}

static void
test_created_snapshots_are_indexed_and_listed(void **state)
{
	struct fx *f = *state;
	char a[PROTECT_ID_SIZE], b[PROTECT_ID_SIZE], **ids = NULL;
	size_t n = 0;

	snap(f, a);
	snap(f, b);
	assert_int_equal(store_snapshot_ids(f->p->store, "site", &ids, &n), VG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], a);
	assert_string_equal(ids[1], b);
	protect_ids_free(ids, n);
	struct store_snapshot again = { .webroot = "site", .id = a, .files = 1, .adopted = true };
	assert_int_equal(store_snapshot_add(f->p->store, &again), VG_ERR_BUSY);
	/* a creator's row replaces one a watcher adopted meanwhile */
	struct store_snapshot c = { .webroot = "site", .id = "29991231T000000.000000Z",
		.files = -1, .bytes = -1, .new_objects = -1, .new_bytes = -1, .adopted = true };
	json_t *row = NULL;
	assert_int_equal(store_snapshot_add(f->p->store, &c), VG_OK);
	c.adopted = false;
	c.files = 7;
	assert_int_equal(store_snapshot_add(f->p->store, &c), VG_OK);
	assert_int_equal(store_query_one(f->p->store, "SELECT adopted, files FROM snapshots "
	    "WHERE id = '29991231T000000.000000Z'", NULL, 0, &row), VG_OK);
	assert_int_equal(json_integer_value(json_object_get(row, "adopted")), 0);
	assert_int_equal(json_integer_value(json_object_get(row, "files")), 7);
	json_decref(row);
	assert_int_equal(store_exec(f->p->store, "DELETE FROM snapshots WHERE id = "
	    "'29991231T000000.000000Z'", NULL, 0, NULL, NULL), VG_OK);
	reopen(f);
	assert_int_equal(protect_load_baseline(f->p, f->r, (char[256]){ 0 }, 256), VG_OK);
	assert_string_equal(f->r->base_id, b);
}

/* An older vigil's backup directory: manifests, no backup.db. */
static void
test_manifests_without_index_are_adopted_once(void **state)
{
	struct fx *f = *state;
	char a[PROTECT_ID_SIZE], db[PATH_MAX], **ids = NULL;
	json_t *row = NULL;
	size_t n = 0;

	snap(f, a);
	protect_free(f->p);
	f->p = NULL;
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(db, sizeof(db), "%s/backup/backup.db%s", f->dir, suffix[i]);
		unlink(db);
	}
	reopen(f);
	assert_int_equal(store_snapshot_ids(f->p->store, "site", &ids, &n), VG_OK);
	assert_int_equal(n, 0);
	/* a young manifest is listed but left to its creator to index */
	assert_int_equal(protect_snapshot_list(f->p, f->r, &ids, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], a);
	protect_ids_free(ids, n);
	assert_int_equal(store_snapshot_ids(f->p->store, "site", &ids, &n), VG_OK);
	assert_int_equal(n, 0);
	/* an old one (an older vigil's) is adopted */
	char path[PATH_MAX];
	struct timeval tv[2] = { { .tv_sec = time(NULL) - 3600 }, { .tv_sec = time(NULL) - 3600 } };
	assert_int_equal(protect_snapshot_path(f->p, f->r, a, path, sizeof(path)), VG_OK);
	assert_int_equal(utimes(path, tv), 0);
	assert_int_equal(protect_snapshot_list(f->p, f->r, &ids, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], a);
	protect_ids_free(ids, n);
	assert_int_equal(store_query_one(f->p->store, "SELECT adopted, files FROM snapshots",
	    NULL, 0, &row), VG_OK);
	assert_int_equal(json_integer_value(json_object_get(row, "adopted")), 1);
	assert_true(json_is_null(json_object_get(row, "files")));
	json_decref(row);
	assert_int_equal(protect_snapshot_list(f->p, f->r, &ids, &n), VG_OK);
	assert_int_equal(n, 1);
	protect_ids_free(ids, n);
}

/* Deleting the newest manifest must not make an older snapshot the baseline (the
 * watcher would put old pages back): the index still names it, and loading says so. */
static void
test_deleted_newest_manifest_is_an_error(void **state)
{
	struct fx *f = *state;
	char a[PROTECT_ID_SIZE], b[PROTECT_ID_SIZE], path[PATH_MAX], err[PATH_MAX + 256];

	snap(f, a);
	snap(f, b);
	assert_int_equal(protect_snapshot_path(f->p, f->r, b, path, sizeof(path)), VG_OK);
	assert_int_equal(unlink(path), 0);
	reopen(f);
	assert_int_equal(protect_load_baseline(f->p, f->r, err, sizeof(err)), VG_ERR_NOTFOUND);
	assert_non_null(strstr(err, "manifest is gone"));
	assert_null(f->r->base);
}

static void
test_publish_window_is_a_row_and_old_state_file_counts(void **state)
{
	struct fx *f = *state;
	char a[PROTECT_ID_SIZE], since[64], err[PATH_MAX + 128];
	struct store_publish w;
	size_t changes = 0;

	snap(f, a);
	assert_false(protect_publish_active(f->p, f->r));
	assert_int_equal(publish_begin(f->p, f->r, "release 2", since, sizeof(since), err,
	    sizeof(err)), VG_OK);
	assert_true(protect_publish_active(f->p, f->r));
	assert_int_equal(store_publish_get(f->p->store, "site", &w), VG_OK);
	assert_string_equal(w.baseline, a);
	assert_string_equal(w.note, "release 2");
	assert_string_equal(w.since, since);
	assert_int_equal(publish_begin(f->p, f->r, NULL, since, sizeof(since), err,
	    sizeof(err)), VG_ERR_BUSY);
	assert_int_equal(publish_abort(f->p, f->r, NULL, NULL, &changes, err, sizeof(err)),
	    VG_OK);
	assert_false(protect_publish_active(f->p, f->r));
	assert_int_equal(store_publish_close(f->p->store, "site"), VG_ERR_NOTFOUND);

	/* a window an older vigil opened: honoured until closed, then its file is gone */
	char dir[PATH_MAX], file[PATH_MAX + 16];
	snprintf(dir, sizeof(dir), "%s/backup/publish", f->dir);
	mkdir(dir, 0700);
	put(dir, "site.json", "{\"webroot\":\"site\",\"since\":\"2026-11-01 10:00:00\"}\n");
	assert_true(protect_publish_active(f->p, f->r));
	publish_since(f->p, f->r, since, sizeof(since));
	assert_string_equal(since, "2026-11-01 10:00:00");
	assert_int_equal(publish_begin(f->p, f->r, NULL, since, sizeof(since), err,
	    sizeof(err)), VG_ERR_BUSY);
	assert_int_equal(publish_abort(f->p, f->r, NULL, NULL, &changes, err, sizeof(err)),
	    VG_OK);
	assert_false(protect_publish_active(f->p, f->r));
	snprintf(file, sizeof(file), "%s/site.json", dir);
	assert_int_equal(access(file, F_OK), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_created_snapshots_are_indexed_and_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifests_without_index_are_adopted_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_newest_manifest_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish_window_is_a_row_and_old_state_file_counts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
