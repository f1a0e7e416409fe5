/* Unit tests for the quarantine vault: the original path is emptied, the object is
 * hash-named and mode 000, the record (in the vault's store) is complete, an older
 * vault's sidecars are imported once, restore is faithful, and a
 * corrupted object or an occupied target is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/err.h"
#include "backup/objstore.h"
#include "respond/quarantine.h"

/* Test scratch directories; removed with nftw in teardown. */
#include <ftw.h>

struct fixture {
	char root[128];		/* web root */
	char vault[160];
};

static int
rm_cb(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	snprintf(fx->root, sizeof(fx->root), "/tmp/vigil-q-test.XXXXXX");
	if (!mkdtemp(fx->root))
		return -1;
	snprintf(fx->vault, sizeof(fx->vault), "%s/vault", fx->root);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	nftw(fx->root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(chmod(path, mode), 0);
}

static char *
read_all(const char *path)
{
	FILE *fp = fopen(path, "r");
	static char buf[4096];
	size_t n;
	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static const char shell[] = "<?php __halt_compiler(); /* defanged */ eval($_POST['x']);\n";

static void
quarantine_one(struct fixture *fx, const char *name, char *id, char *path, size_t psize)
{
	char err[512];
	struct webshell_finding f = { .score = 90 };
	snprintf(f.rules, sizeof(f.rules), "php_china_chopper");
	snprintf(f.families, sizeof(f.families), "china-chopper");
	snprintf(path, psize, "%s/%s", fx->root, name);
	write_file(path, shell, 0755);
	struct timeval tv[2] = { { .tv_sec = 1700000000 }, { .tv_sec = 1700000000 } };
	assert_int_equal(utimes(path, tv), 0);
	int rc = quarantine_file(fx->vault, path, &f, id, err, 512);
	if (rc != VG_OK)
		fail_msg("quarantine_file: %s", err);
}

static void
test_quarantine_removes_original_and_stores_mode_000_object(void **state)
{
	struct fixture *fx = *state;
	char id[QUARANTINE_ID_MAX], path[512], obj[512];
	struct quarantine_entry *v = NULL;
	size_t n = 0;
	struct stat st;

	quarantine_one(fx, "shell.php", id, path, sizeof(path));
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(quarantine_list(fx->vault, &v, &n, NULL), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].id, id);
	assert_string_equal(v[0].original_path, path);
	assert_int_equal(v[0].mode, 0755);
	assert_int_equal(v[0].mtime, 1700000000);
	assert_int_equal(v[0].score, 90);
	assert_string_equal(v[0].rules, "php_china_chopper");
	assert_int_equal(v[0].size, (long long)strlen(shell));
	assert_int_equal(strncmp(id, v[0].sha256, 16), 0);
	snprintf(obj, sizeof(obj), "%s/objects/%s", fx->vault, v[0].sha256);
	assert_int_equal(stat(obj, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0);
	free(v);
}

/* The record is in the vault's store (VAULT/vault.db), not a JSON sidecar. */
static void
test_record_in_vault_store_with_original_path(void **state)
{
	struct fixture *fx = *state;
	char id[QUARANTINE_ID_MAX], path[512], p[512];
	struct quarantine_entry *v = NULL;
	size_t n = 0;
	struct stat st;

	quarantine_one(fx, "a.php", id, path, sizeof(path));
	snprintf(p, sizeof(p), "%s/vault.db", fx->vault);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	snprintf(p, sizeof(p), "%s/meta", fx->vault);
	assert_int_equal(lstat(p, &st), -1);
	assert_int_equal(quarantine_list(fx->vault, &v, &n, NULL), VG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].id, id);
	assert_string_equal(v[0].original_path, path);
	assert_int_equal(v[0].mode, 0755);
	assert_true(v[0].quarantined_at > 1700000000);
	free(v);
}

/* A vault written by an older vigil: the object plus meta/ID.json. It is imported
 * into the vault's store once (meta/ becomes meta.imported), listed and restored
 * from there; an unreadable sidecar is skipped and counted. */
static void
test_old_vault_sidecars_are_imported_once(void **state)
{
	struct fixture *fx = *state;
	char p[512], target[512], err[512], sha[OBJ_HEX_SIZE], obj[600];
	struct quarantine_entry *v = NULL, e;
	size_t n = 0, bad = 0;
	struct stat st;
	FILE *fp;

	snprintf(p, sizeof(p), "%s/old.php", fx->root);
	write_file(p, shell, 0640);
	/* the object, named by its hash, as the old vault kept it */
	{
		unsigned char buf[4096];
		int fd = open(p, O_RDONLY);
		assert_true(fd >= 0);
		assert_int_equal(objstore_hash_fd(fd, buf, sizeof(buf), sha, NULL), VG_OK);
		close(fd);
	}
	snprintf(target, sizeof(target), "%s", p);
	assert_int_equal(mkdir(fx->vault, 0700), 0);
	snprintf(p, sizeof(p), "%s/objects", fx->vault);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/meta", fx->vault);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(obj, sizeof(obj), "%s/objects/%s", fx->vault, sha);
	assert_int_equal(rename(target, obj), 0);
	snprintf(p, sizeof(p), "%s/meta/%.16s-1700000100.json", fx->vault, sha);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fprintf(fp, "{\n  \"id\": \"%.16s-1700000100\",\n  \"sha256\": \"%s\",\n"
	    "  \"original_path\": \"%s\",\n  \"mode\": \"0640\",\n  \"uid\": %d,\n"
	    "  \"gid\": %d,\n  \"size\": %zu,\n  \"mtime\": 1700000000,\n"
	    "  \"quarantined_at\": 1700000100,\n  \"score\": 88,\n  \"rules\": \"r1\",\n"
	    "  \"families\": \"f1\"\n}\n", sha, sha, target, (int)getuid(), (int)getgid(),
	    strlen(shell));
	fclose(fp);
	snprintf(p, sizeof(p), "%s/meta/broken.json", fx->vault);
	write_file(p, "{\"id\": ", 0600);

	assert_int_equal(quarantine_list(fx->vault, &v, &n, &bad), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].score, 88);
	assert_int_equal(v[0].mode, 0640);
	assert_string_equal(v[0].original_path, target);
	assert_string_equal(v[0].rules, "r1");
	free(v);
	snprintf(p, sizeof(p), "%s/meta", fx->vault);
	assert_int_equal(lstat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/meta.imported/broken.json", fx->vault);
	assert_int_equal(lstat(p, &st), 0);
	/* once: a sidecar put back in meta/ later is not read */
	snprintf(p, sizeof(p), "%s/meta", fx->vault);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(quarantine_list(fx->vault, &v, &n, &bad), VG_OK);
	assert_int_equal(n, 1);
	free(v);
	assert_int_equal(quarantine_restore(fx->vault, "", NULL, false, &e, err, sizeof(err)),
	    VG_ERR_INVAL);
	snprintf(p, sizeof(p), "%.8s", sha);
	assert_int_equal(quarantine_restore(fx->vault, p, NULL, false, &e, err, sizeof(err)),
	    VG_OK);
	assert_string_equal(read_all(target), shell);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(quarantine_list(fx->vault, &v, &n, NULL), VG_OK);
	assert_string_equal(v[0].restored_to, target);
	free(v);
}

static void
test_restore_puts_back_content_mode_and_mtime(void **state)
{
	struct fixture *fx = *state;
	char id[QUARANTINE_ID_MAX], path[512], err[512];
	struct quarantine_entry e;
	struct stat st;

	quarantine_one(fx, "b.php", id, path, sizeof(path));
	/* A unique prefix is enough. */
	id[20] = '\0';
	assert_int_equal(quarantine_restore(fx->vault, id, NULL, false, &e, err, sizeof(err)),
	    VG_OK);
	assert_string_equal(read_all(path), shell);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(st.st_mtime, 1700000000);
	assert_string_equal(e.restored_to, path);
}

static void
test_restore_refuses_occupied_target_unless_forced(void **state)
{
	struct fixture *fx = *state;
	char id[QUARANTINE_ID_MAX], path[512], err[512], other[512];

	quarantine_one(fx, "c.php", id, path, sizeof(path));
	write_file(path, "new page\n", 0644);
	assert_int_equal(quarantine_restore(fx->vault, id, NULL, false, NULL, err, sizeof(err)),
	    VG_ERR_BUSY);
	assert_non_null(strstr(err, path));
	assert_string_equal(read_all(path), "new page\n");
	snprintf(other, sizeof(other), "%s/elsewhere.txt", fx->root);
	assert_int_equal(quarantine_restore(fx->vault, id, other, false, NULL, err, sizeof(err)),
	    VG_OK);
	assert_string_equal(read_all(other), shell);
	assert_int_equal(quarantine_restore(fx->vault, id, NULL, true, NULL, err, sizeof(err)),
	    VG_OK);
	assert_string_equal(read_all(path), shell);
}

static void
test_corrupted_object_is_never_restored(void **state)
{
	struct fixture *fx = *state;
	char id[QUARANTINE_ID_MAX], path[512], err[512], obj[512];
	struct quarantine_entry *v = NULL;
	size_t n;
	struct stat st;

	quarantine_one(fx, "d.php", id, path, sizeof(path));
	assert_int_equal(quarantine_list(fx->vault, &v, &n, NULL), VG_OK);
	snprintf(obj, sizeof(obj), "%s/objects/%s", fx->vault, v[0].sha256);
	free(v);
	assert_int_equal(chmod(obj, 0600), 0);
	write_file(obj, "tampered\n", 0);
	assert_int_equal(quarantine_restore(fx->vault, id, NULL, false, NULL, err, sizeof(err)),
	    VG_ERR_FORMAT);
	assert_non_null(strstr(err, "corrupted"));
	assert_int_equal(lstat(path, &st), -1);
}

static void
test_symlink_and_fifo_are_not_quarantined(void **state)
{
	struct fixture *fx = *state;
	char p[512], id[QUARANTINE_ID_MAX], err[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/link.php", fx->root);
	assert_int_equal(symlink("/etc/hostname", p), 0);
	assert_int_equal(quarantine_file(fx->vault, p, NULL, id, err, sizeof(err)), VG_ERR_FORMAT);
	assert_int_equal(lstat(p, &st), 0);
	snprintf(p, sizeof(p), "%s/fifo", fx->root);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(quarantine_file(fx->vault, p, NULL, id, err, sizeof(err)), VG_ERR_FORMAT);
	assert_non_null(strstr(err, "not a regular file"));
}

static void
test_unknown_id_and_missing_file_are_reported(void **state)
{
	struct fixture *fx = *state;
	char p[512], id[QUARANTINE_ID_MAX], err[512];

	snprintf(p, sizeof(p), "%s/nothere.php", fx->root);
	assert_int_equal(quarantine_file(fx->vault, p, NULL, id, err, sizeof(err)),
	    VG_ERR_NOTFOUND);
	assert_non_null(strstr(err, "nothere.php"));
	assert_int_equal(quarantine_restore(fx->vault, "ffff", NULL, false, NULL, err, sizeof(err)),
	    VG_ERR_NOTFOUND);
}

/* /dev/shm is tmpfs and /tmp is not (on the CI machine): rename fails with EXDEV
 * and the copy + fsync + unlink path must leave the same result. */
static void
test_cross_filesystem_move_copies_and_unlinks(void **state)
{
	struct fixture *fx = *state;
	char dir[] = "/dev/shm/vigil-q-xfs.XXXXXX", p[256], id[QUARANTINE_ID_MAX], err[512];
	struct stat a, b, st;
	struct quarantine_entry *v = NULL;
	size_t n = 0;

	if (!mkdtemp(dir) || stat(dir, &a) != 0 || stat(fx->root, &b) != 0 || a.st_dev == b.st_dev) {
		if (dir[0])
			rmdir(dir);
		skip();
	}
	snprintf(p, sizeof(p), "%s/x.php", dir);
	write_file(p, shell, 0644);
	assert_int_equal(quarantine_file(fx->vault, p, NULL, id, err, sizeof(err)), VG_OK);
	assert_int_equal(lstat(p, &st), -1);
	assert_int_equal(quarantine_list(fx->vault, &v, &n, NULL), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].score, -1);
	assert_int_equal(quarantine_restore(fx->vault, id, NULL, false, NULL, err, sizeof(err)),
	    VG_OK);
	assert_string_equal(read_all(p), shell);
	free(v);
	unlink(p);
	rmdir(dir);
}

/* The vault cannot be created (its path is a file): the webshell cannot be moved,
 * so it is neutralised where it is. */
static void
test_failed_move_leaves_file_mode_000(void **state)
{
	struct fixture *fx = *state;
	char p[512], vault[512], id[QUARANTINE_ID_MAX], err[512];
	struct stat st;

	snprintf(vault, sizeof(vault), "%s/not-a-dir", fx->root);
	write_file(vault, "x", 0644);
	snprintf(p, sizeof(p), "%s/s.php", fx->root);
	write_file(p, shell, 0755);
	assert_int_equal(quarantine_file(vault, p, NULL, id, err, sizeof(err)), VG_ERR_IO);
	assert_non_null(strstr(err, "cannot create vault"));
	assert_non_null(strstr(err, "mode 000"));
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0);
}

/* The step vigil watch and scan --quarantine share: malicious files go, clean
 * ones stay, special files are refused unopened. */
static void
test_scan_and_act_moves_only_malicious_files(void **state)
{
	struct fixture *fx = *state;
	struct webshell_scanner *ws = NULL;
	struct webshell_finding f;
	char rules[4096], p[512], id[QUARANTINE_ID_MAX], err[512];
	const char *src = getenv("SRCDIR");
	struct stat st;

	snprintf(rules, sizeof(rules), "%s/rules/webshell", src && *src ? src : ".");
	assert_int_equal(webshell_scanner_new(rules, NULL, &ws, err, sizeof(err)), VG_OK);
	snprintf(p, sizeof(p), "%s/shell.php", fx->root);
	write_file(p, "<?php @eval($_POST[DEFANGED 'x']);?>\n", 0644);
	assert_int_equal(quarantine_scan_and_act(ws, fx->vault, p, &f, id, err, sizeof(err)), 1);
	assert_true(id[0] != '\0');
	assert_int_equal(lstat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/index.php", fx->root);
	write_file(p, "<?php echo 'hello';\n", 0644);
	assert_int_equal(quarantine_scan_and_act(ws, fx->vault, p, &f, id, err, sizeof(err)), 0);
	assert_string_equal(f.level, "clean");
	assert_int_equal(lstat(p, &st), 0);
	snprintf(p, sizeof(p), "%s/fifo.php", fx->root);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(quarantine_scan_and_act(ws, fx->vault, p, &f, id, err, sizeof(err)),
	    VG_ERR_FORMAT);
	webshell_scanner_free(ws);
}

/* issue 8: watch's quarantine resolves the file beneath the root's descriptor. A
 * parent directory swapped for a symlink to a decoy makes the move fail; the decoy's
 * file (outside the root) is neither moved, read into the vault nor chmod'ed. */
static void
test_quarantine_at_never_follows_a_swapped_parent(void **state)
{
	struct fixture *fx = *state;
	struct webshell_scanner *ws = NULL;
	struct webshell_finding f;
	char rules[4096], root[512], p[600], decoy[512], id[QUARANTINE_ID_MAX], err[512];
	const char *src = getenv("SRCDIR");
	const char *body = "<?php @eval($_POST[DEFANGED 'x']);?>\n";
	struct stat st;
	int rootfd;

	snprintf(rules, sizeof(rules), "%s/rules/webshell", src && *src ? src : ".");
	assert_int_equal(webshell_scanner_new(rules, NULL, &ws, err, sizeof(err)), VG_OK);
	snprintf(root, sizeof(root), "%s/www", fx->root);
	snprintf(decoy, sizeof(decoy), "%s/decoy", fx->root);
	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(mkdir(decoy, 0755), 0);
	snprintf(p, sizeof(p), "%s/shell.php", decoy);
	write_file(p, body, 0644);
	snprintf(p, sizeof(p), "%s/d", root);
	assert_int_equal(symlink(decoy, p), 0);	/* www/d -> ../decoy */
	assert_true((rootfd = open(root, O_RDONLY | O_DIRECTORY)) >= 0);

	assert_int_equal(quarantine_file_at(fx->vault, rootfd, root, "d/shell.php", NULL, id,
	    err, sizeof(err)), VG_ERR_IO);
	assert_non_null(strstr(err, "symlink"));
	assert_int_equal(quarantine_scan_and_act_at(ws, fx->vault, rootfd, root, "d/shell.php",
	    "www/d/shell.php", &f, id, err, sizeof(err)), VG_ERR_FORMAT);
	snprintf(p, sizeof(p), "%s/shell.php", decoy);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);	/* not neutralised either */
	size_t n = 9;
	struct quarantine_entry *v = NULL;
	assert_int_equal(quarantine_list(fx->vault, &v, &n, NULL), VG_OK);
	assert_int_equal(n, 0);
	free(v);

	/* the same file in a real directory beneath the root is quarantined */
	snprintf(p, sizeof(p), "%s/d", root);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/d/shell.php", root);
	write_file(p, body, 0644);
	assert_int_equal(quarantine_scan_and_act_at(ws, fx->vault, rootfd, root, "d/shell.php",
	    p, &f, id, err, sizeof(err)), 1);
	assert_int_equal(lstat(p, &st), -1);
	assert_int_equal(quarantine_list(fx->vault, &v, &n, NULL), VG_OK);
	assert_int_equal(n, 1);
	assert_non_null(strstr(v[0].original_path, "/www/d/shell.php"));
	free(v);
	close(rootfd);
	webshell_scanner_free(ws);
}

static void
test_empty_or_absent_vault_lists_nothing(void **state)
{
	struct fixture *fx = *state;
	struct quarantine_entry *v = (void *)1;
	size_t n = 7;

	assert_int_equal(quarantine_list(fx->vault, &v, &n, NULL), VG_OK);
	assert_null(v);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_quarantine_removes_original_and_stores_mode_000_object, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_in_vault_store_with_original_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_vault_sidecars_are_imported_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_puts_back_content_mode_and_mtime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_refuses_occupied_target_unless_forced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupted_object_is_never_restored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_and_fifo_are_not_quarantined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_id_and_missing_file_are_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cross_filesystem_move_copies_and_unlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_move_leaves_file_mode_000, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_and_act_moves_only_malicious_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quarantine_at_never_follows_a_swapped_parent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_or_absent_vault_lists_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
