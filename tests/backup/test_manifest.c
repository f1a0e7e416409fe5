/* Unit tests for manifests and reconcile: scan records every entry kind, a saved
 * manifest loads back the same, each change kind is classified, excluded paths are
 * skipped, and a restore puts the baseline back and moves added files aside. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/err.h"
#include "backup/manifest.h"
#include "backup/snapshot.h"
#include "respond/reconcile.h"
#include "backup/objstore.h"
#include "backup/verify.h"
#include "../helpers/tfiles.h"

struct fx {
	char dir[64];
	char www[128];
	struct vg_config *cfg;
	struct protect *p;
};

static void
write_file(const char *dir, const char *rel, const char *text)
{
	assert_int_equal(tfiles_put(dir, rel, text), 0);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char yaml[1024], sub[256], *errors = NULL, *warnings = NULL;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-mftest.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->www, sizeof(f->www), "%s/www", f->dir);
	mkdir(f->www, 0755);
	snprintf(sub, sizeof(sub), "%s/css", f->www);
	mkdir(sub, 0755);
	write_file(f->www, "index.html", "<p>home</p>\n");
	write_file(f->www, "css/a.css", "p{}\n");
	write_file(f->www, "debug.log", "ignored\n");
	snprintf(sub, sizeof(sub), "%s/link", f->www);
	assert_int_equal(symlink("index.html", sub), 0);
	snprintf(yaml, sizeof(yaml), "webroots:\n  - path: %s\n    name: site\n    policy: restore\n"
	    "    exclude: ['*.log']\nprotect:\n  backup_dir: %s/backup\nstore:\n  path: %s/db\n",
	    f->www, f->dir, f->dir);
	assert_int_equal(vg_config_load_string("t.yaml", yaml, strlen(yaml), f->dir, &f->cfg,
	    &errors, &warnings), VG_OK);
	free(warnings);
	assert_int_equal(protect_open(f->cfg, NULL, &f->p), VG_OK);
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
test_scan_records_types_and_skips_excluded(void **state)
{
	struct fx *f = *state;
	struct vg_cfg_strlist ex = { (char *[]){ "*.log" }, 1 };
	struct mf_scan_opts so = { .exclude = &ex, .hash = true };
	struct manifest *m = NULL;
	char fifo[256];
	snprintf(fifo, sizeof(fifo), "%s/pipe", f->www);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(manifest_scan(f->www, "", &so, &m), VG_OK);
	assert_non_null(manifest_find(m, ""));
	assert_int_equal(manifest_find(m, "css")->type, MF_DIR);
	assert_int_equal(manifest_find(m, "link")->type, MF_LINK);
	assert_string_equal(manifest_find(m, "link")->target, "index.html");
	assert_int_equal(manifest_find(m, "pipe")->type, MF_OTHER);
	assert_int_equal(strlen(manifest_find(m, "index.html")->sha256), 64);
	assert_null(manifest_find(m, "debug.log"));
	assert_int_equal(m->n_excluded, 1);
	manifest_free(m);
}

static void
test_saved_manifest_loads_back_identical(void **state)
{
	struct fx *f = *state;
	struct mf_scan_opts so = { .hash = true };
	struct manifest *m = NULL, *l = NULL;
	char path[256], err[256];
	snprintf(path, sizeof(path), "%s/m.json", f->dir);
	assert_int_equal(manifest_scan(f->www, "", &so, &m), VG_OK);
	assert_int_equal(manifest_save(m, path), VG_OK);
	int r = manifest_load(path, &l, err, sizeof(err));
	if (r != VG_OK)
		print_error("%s\n", err);
	assert_int_equal(r, VG_OK);
	assert_int_equal(l->n, m->n);
	for (size_t i = 0; i < m->n; i++)
		assert_int_equal(fim_diff_entry(&m->e[i], &l->e[i]), 0);
	manifest_free(m);
	manifest_free(l);
}

static void
test_non_utf8_file_name_round_trips(void **state)
{
	struct fx *f = *state;
	struct mf_scan_opts so = { .hash = true };
	struct manifest *m = NULL, *l = NULL;
	char path[256], err[256];
	write_file(f->www, "\xb9\xab\xb8\xe6.html", "<p>GBK name</p>\n");	/* 公告 in GBK */
	char lnk[256];
	snprintf(lnk, sizeof(lnk), "%s/gbk-link", f->www);
	assert_int_equal(symlink("\xb9\xab\xb8\xe6.html", lnk), 0);
	snprintf(path, sizeof(path), "%s/m.json", f->dir);
	assert_int_equal(manifest_scan(f->www, "", &so, &m), VG_OK);
	assert_int_equal(manifest_save(m, path), VG_OK);
	assert_int_equal(manifest_load(path, &l, err, sizeof(err)), VG_OK);
	assert_non_null(manifest_find(l, "\xb9\xab\xb8\xe6.html"));
	assert_string_equal(manifest_find(l, "gbk-link")->target, "\xb9\xab\xb8\xe6.html");
	manifest_free(m);
	manifest_free(l);
}

static void
test_malformed_manifest_is_a_format_error(void **state)
{
	struct fx *f = *state;
	struct manifest *l = NULL;
	char err[256];
	write_file(f->dir, "bad.json", "{\"root\":\"/x\",\"entries\":[{\"path\":1}]}");
	char path[256];
	snprintf(path, sizeof(path), "%s/bad.json", f->dir);
	assert_int_equal(manifest_load(path, &l, err, sizeof(err)), VG_ERR_FORMAT);
	assert_null(l);
	assert_non_null(strstr(err, "entry 0 is malformed"));
}

static void
test_escaping_paths_are_refused_when_read(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "../../escaped.txt", "sub/../../../x", "/abs",
		"a//b", "a/./b", "a/", ".", "nul\\u0000x" };
	struct manifest *l = NULL;
	char err[256], path[256], json[512];
	snprintf(path, sizeof(path), "%s/esc.json", f->dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"root\":\"/x\",\"entries\":[{\"path\":\"%s\","
		    "\"type\":\"file\",\"mode\":420,\"uid\":0,\"gid\":0,\"size\":1,\"mtime\":0}]}",
		    bad[i]);
		write_file(f->dir, "esc.json", json);
		assert_int_equal(manifest_load(path, &l, err, sizeof(err)), VG_ERR_FORMAT);
		assert_null(l);
		/* jansson itself refuses \u0000 (no JSON_ALLOW_NUL): refused all the same */
		if (!strstr(bad[i], "u0000"))
			assert_non_null(strstr(err, "not a clean relative path"));
	}
}

static void
test_subtree_skips_siblings_sharing_the_prefix(void **state)
{
	(void)state;
	char *paths[] = { "", "blocks", "blocks-x.html", "blocks.php", "blocks/a.php",
		"blocks/z/b.php", "blocksy", "c" };
	struct mf_entry e[8] = { { 0 } };
	struct manifest m = { .e = e, .n = 8 };
	for (size_t i = 0; i < 8; i++)
		e[i].path = paths[i];
	manifest_sort(&m);
	size_t i = manifest_next_within(&m, "blocks", manifest_lower_bound(&m, "blocks"));
	char got[256] = "";
	for (; i < m.n; i = manifest_next_within(&m, "blocks", i + 1)) {
		size_t used = strlen(got);
		snprintf(got + used, sizeof(got) - used, "%s;", m.e[i].path);
	}
	assert_string_equal(got, "blocks;blocks/a.php;blocks/z/b.php;");
	assert_int_equal(manifest_next_within(&m, "nope", manifest_lower_bound(&m, "nope")), m.n);
	assert_int_equal(manifest_next_within(&m, "", 0), 0);
}

static void
test_diff_entry_classifies_each_change(void **state)
{
	(void)state;
	struct mf_entry a = { .path = "f", .type = MF_FILE, .mode = 0644, .size = 1,
		.sha256 = "aa" }, b = a;
	assert_int_equal(fim_diff_entry(&a, &b), 0);
	assert_int_equal(fim_diff_entry(NULL, &b), FIM_ADDED);
	assert_int_equal(fim_diff_entry(&a, NULL), FIM_DELETED);
	b.mode = 0777;
	assert_int_equal(fim_diff_entry(&a, &b), FIM_MODE);
	b.uid = 5;
	assert_int_equal(fim_diff_entry(&a, &b), FIM_MODE | FIM_OWNER);
	b = a;
	memcpy(b.sha256, "bb", 3);
	assert_int_equal(fim_diff_entry(&a, &b), FIM_CONTENT);
	struct mf_entry l1 = { .type = MF_LINK, .target = "x" }, l2 = l1;
	l2.target = "/etc/passwd";
	assert_int_equal(fim_diff_entry(&l1, &l2), FIM_TARGET);
	b = a;
	b.type = MF_DIR;
	assert_int_equal(fim_diff_entry(&a, &b), FIM_TYPE);
}

static unsigned seen_kinds;
static enum protect_action seen_action;

static void
collect(void *arg, const struct fim_change *ch)
{
	(void)arg;
	seen_kinds |= ch->kinds;
	if (ch->action != ACT_NONE)
		seen_action = ch->action;
}

static void
test_restore_reverts_changes_and_moves_added_aside(void **state)
{
	struct fx *f = *state;
	struct protect_root *r = protect_root_find(f->p, "site");
	struct protect_snapshot_stats st;
	char id[PROTECT_ID_SIZE], path[PATH_MAX];
	size_t n = 0;
	assert_non_null(r);
	assert_int_equal(protect_snapshot_create(f->p, r, 2, false, id, &st), VG_OK);
	assert_int_equal(st.files, 2);
	write_file(f->www, "index.html", "<p>HACKED</p>\n");
	write_file(f->www, "css/new.php", "<?php ?>\n");
	snprintf(path, sizeof(path), "%s/css/a.css", f->www);
	unlink(path);
	struct reconcile_opts ro = { .mode = RECONCILE_REPORT, .fn = collect };
	seen_kinds = 0;
	assert_int_equal(protect_reconcile(f->p, r, r->base, "", &ro, &n), VG_OK);
	assert_int_equal(n, 3);
	assert_int_equal(seen_kinds, FIM_ADDED | FIM_DELETED | FIM_CONTENT);
	ro.mode = RECONCILE_POLICY;
	assert_int_equal(protect_reconcile(f->p, r, r->base, "", &ro, &n), VG_OK);
	ro.mode = RECONCILE_REPORT;
	assert_int_equal(protect_reconcile(f->p, r, r->base, "", &ro, &n), VG_OK);
	assert_int_equal(n, 0);
	snprintf(path, sizeof(path), "%s/css/new.php", f->www);
	assert_int_not_equal(access(path, F_OK), 0);
}

/* `backup restore` over the root: a dry run only counts, the real one reverts every
 * change and its re-check finds nothing left. */
static void
test_restore_snapshot_reverts_then_rechecks(void **state)
{
	struct fx *f = *state;
	struct protect_root *r = protect_root_find(f->p, "site");
	struct protect_snapshot_stats st;
	struct restore_result res;
	char id[PROTECT_ID_SIZE];
	size_t n = 0;

	assert_int_equal(protect_snapshot_create(f->p, r, 2, false, id, &st), VG_OK);
	write_file(f->www, "index.html", "<p>HACKED</p>\n");
	write_file(f->www, "css/new.php", "<?php ?>\n");
	assert_int_equal(protect_restore_snapshot(f->p, r, r->base, "", true, NULL, NULL, &res),
	    VG_OK);
	assert_int_equal(res.changes, 2);
	assert_int_equal(res.left, 0);	/* a dry run does not re-check */
	assert_int_equal(protect_restore_snapshot(f->p, r, r->base, "", false, NULL, NULL, &res),
	    VG_OK);
	assert_int_equal(res.changes, 2);
	assert_int_equal(res.failed, 0);
	assert_int_equal(res.left, 0);
	assert_false(res.lock_failed);
	struct reconcile_opts ro = { .mode = RECONCILE_REPORT };
	assert_int_equal(protect_reconcile(f->p, r, r->base, "", &ro, &n), VG_OK);
	assert_int_equal(n, 0);
}

static size_t verify_seen[3];

static void
count_finding(void *arg, const struct backup_finding *bf)
{
	(void)arg;
	verify_seen[bf->problem]++;
}

/* `backup verify`: a corrupted object and one a snapshot needs but that is gone are
 * both found and counted. */
static void
test_verify_finds_corrupted_and_missing_objects(void **state)
{
	struct fx *f = *state;
	struct protect_root *r = protect_root_find(f->p, "site");
	struct protect_snapshot_stats st;
	struct backup_verify_stats vs;
	char id[PROTECT_ID_SIZE], obj[PATH_MAX];
	FILE *fp;

	assert_int_equal(protect_snapshot_create(f->p, r, 2, false, id, &st), VG_OK);
	assert_int_equal(backup_verify(f->p, &r, 1, count_finding, NULL, &vs), VG_OK);
	assert_int_equal(vs.objects, 2);
	assert_int_equal(vs.corrupted + vs.missing, 0);
	assert_int_equal(objstore_path(f->p->backup_dir,
	    manifest_find(r->base, "index.html")->sha256, obj, sizeof(obj)), VG_OK);
	chmod(obj, 0600);
	assert_non_null(fp = fopen(obj, "w"));
	fputs("not what was stored\n", fp);
	fclose(fp);
	assert_int_equal(objstore_path(f->p->backup_dir,
	    manifest_find(r->base, "css/a.css")->sha256, obj, sizeof(obj)), VG_OK);
	assert_int_equal(unlink(obj), 0);
	memset(verify_seen, 0, sizeof(verify_seen));
	assert_int_equal(backup_verify(f->p, &r, 1, count_finding, NULL, &vs), VG_OK);
	assert_int_equal(vs.objects, 1);
	assert_int_equal(vs.corrupted, 1);
	assert_int_equal(vs.missing, 1);
	assert_int_equal(verify_seen[BACKUP_CORRUPTED], 1);
	assert_int_equal(verify_seen[BACKUP_MISSING], 1);
	assert_int_equal(verify_seen[BACKUP_UNREADABLE], 0);
}

static void
test_publish_window_records_instead_of_restoring(void **state)
{
	struct fx *f = *state;
	struct protect_root *r = protect_root_find(f->p, "site");
	struct protect_snapshot_stats st;
	char id[PROTECT_ID_SIZE], path[PATH_MAX];
	size_t n = 0;
	assert_int_equal(protect_snapshot_create(f->p, r, 1, false, id, &st), VG_OK);
	protect_publish_state_path(f->p, r, path, sizeof(path));
	write_file(f->dir, "backup/publish/site.json", "{}");
	assert_true(protect_publish_active(f->p, r));
	write_file(f->www, "index.html", "<p>new release</p>\n");
	struct reconcile_opts ro = { .mode = RECONCILE_POLICY, .fn = collect };
	seen_action = ACT_NONE;
	assert_int_equal(protect_reconcile(f->p, r, r->base, "index.html", &ro, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(seen_action, ACT_RECORDED);
	unlink(path);
	assert_false(protect_publish_active(f->p, r));
}

static void
test_per_path_policy_override(void **state)
{
	struct fx *f = *state;
	struct vg_config *cfg = NULL;
	char *errors = NULL, *warnings = NULL;
	const char *y = "webroots:\n  - path: /tmp\n    policy: restore\n    policies:\n"
	    "      - {path: 'uploads', policy: alert}\n      - {path: '*.php', policy: quarantine}\n";
	(void)f;
	assert_int_equal(vg_config_load_string("t.yaml", y, strlen(y), NULL, &cfg, &errors,
	    &warnings), VG_OK);
	struct protect_root r = { .cfg = vg_config_webroot(cfg, 0), .policy = POLICY_RESTORE };
	assert_int_equal(protect_policy_for(&r, "uploads/a.jpg"), POLICY_ALERT);
	assert_int_equal(protect_policy_for(&r, "x/shell.php"), POLICY_QUARANTINE);
	assert_int_equal(protect_policy_for(&r, "index.html"), POLICY_RESTORE);
	vg_config_free(cfg);
	free(warnings);
}

static void
test_restore_never_follows_a_swapped_in_symlink(void **state)
{
	struct fx *f = *state;
	struct protect_root *r = protect_root_find(f->p, "site");
	struct protect_snapshot_stats st;
	char id[PROTECT_ID_SIZE], css[256], outside[256], aside[PATH_MAX];
	size_t n = 0;
	assert_int_equal(protect_snapshot_create(f->p, r, 1, false, id, &st), VG_OK);
	snprintf(css, sizeof(css), "%s/css", f->www);
	snprintf(aside, sizeof(aside), "%s/css-old", f->dir);
	snprintf(outside, sizeof(outside), "%s/outside", f->dir);
	mkdir(outside, 0755);
	write_file(outside, "a.css", "untouched\n");
	assert_int_equal(rename(css, aside), 0);
	assert_int_equal(symlink(outside, css), 0);
	struct reconcile_opts ro = { .mode = RECONCILE_RESTORE };
	/* the watcher may see the file's event before the directory's */
	assert_int_equal(protect_reconcile(f->p, r, r->base, "css/a.css", &ro, &n), VG_OK);
	char got[64] = "";
	snprintf(aside, sizeof(aside), "%s/a.css", outside);
	FILE *fp = fopen(aside, "r");
	assert_non_null(fp);
	assert_non_null(fgets(got, sizeof(got), fp));
	fclose(fp);
	assert_string_equal(got, "untouched\n");
	struct stat sb;
	assert_int_equal(lstat(css, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));	/* the real directory is back */
	snprintf(aside, sizeof(aside), "%s/css/a.css", f->www);
	assert_int_equal(access(aside, F_OK), 0);
}

static int quarantined, hooked;

static int
fake_quarantine(void *arg, const struct protect_root *r, const char *abs, const char *rel)
{
	(void)r;
	(void)rel;
	char dst[PATH_MAX];
	snprintf(dst, sizeof(dst), "%s/vault-%d", (const char *)arg, quarantined);
	quarantined++;
	return rename(abs, dst) == 0 ? 0 : -1;
}

static int
count_hook(void *arg, const struct protect_root *r, const char *abs, const char *rel,
    unsigned kinds)
{
	(void)arg;
	(void)r;
	(void)abs;
	assert_string_equal(rel, "up/shell.php");
	assert_int_equal(kinds, FIM_ADDED);
	hooked++;
	return 0;
}

static void
test_quarantine_policy_calls_hooks(void **state)
{
	struct fx *f = *state;
	struct protect_root *r = protect_root_find(f->p, "site");
	struct protect_snapshot_stats st;
	char id[PROTECT_ID_SIZE], path[PATH_MAX];
	size_t n = 0;
	snprintf(path, sizeof(path), "%s/up", f->www);
	mkdir(path, 0755);
	assert_int_equal(protect_snapshot_create(f->p, r, 1, false, id, &st), VG_OK);
	write_file(f->www, "up/shell.php", "<?php ?>\n");
	r->policy = POLICY_QUARANTINE;
	f->p->quarantine = fake_quarantine;
	f->p->quarantine_arg = f->dir;
	f->p->file_hook = count_hook;
	struct reconcile_opts ro = { .mode = RECONCILE_POLICY, .hooks = true, .fn = collect };
	seen_action = ACT_NONE;
	quarantined = hooked = 0;
	assert_int_equal(protect_reconcile(f->p, r, r->base, "up", &ro, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(hooked, 1);
	assert_int_equal(quarantined, 1);
	assert_int_equal(seen_action, ACT_QUARANTINED);
	snprintf(path, sizeof(path), "%s/up/shell.php", f->www);
	assert_int_not_equal(access(path, F_OK), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan_records_types_and_skips_excluded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_saved_manifest_loads_back_identical, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed_manifest_is_a_format_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_non_utf8_file_name_round_trips, setup,
		    teardown),
		cmocka_unit_test(test_diff_entry_classifies_each_change),
		cmocka_unit_test_setup_teardown(test_restore_reverts_changes_and_moves_added_aside,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish_window_records_instead_of_restoring,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_path_policy_override, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_snapshot_reverts_then_rechecks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_verify_finds_corrupted_and_missing_objects,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaping_paths_are_refused_when_read, setup,
		    teardown),
		cmocka_unit_test(test_subtree_skips_siblings_sharing_the_prefix),
		cmocka_unit_test_setup_teardown(test_quarantine_policy_calls_hooks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore_never_follows_a_swapped_in_symlink,
		    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
