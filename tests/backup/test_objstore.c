/* Unit tests for the content-addressed object store: names are SHA-256 of the bytes,
 * duplicates are stored once, and a corrupted object is detected and never copied
 * out as if it were good. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "backup/objstore.h"
#include "../helpers/tfiles.h"

struct fx {
	char dir[64];
	unsigned char buf[4096];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-objtest.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	assert_int_equal(rm_rf(f->dir), 0);
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_object_is_named_by_sha256_and_deduplicated(void **state)
{
	struct fx *f = *state;
	char store[128], src[128], hex[OBJ_HEX_SIZE], hex2[OBJ_HEX_SIZE], p[PATH_MAX];
	snprintf(store, sizeof(store), "%s/store", f->dir);
	snprintf(src, sizeof(src), "%s/a.txt", f->dir);
	assert_int_equal(objstore_init(store), VG_OK);
	write_file(src, "abc");
	assert_int_equal(objstore_put_path(store, src, f->buf, sizeof(f->buf), hex), VG_OK);
	/* SHA-256("abc") */
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(objstore_path(store, hex, p, sizeof(p)), VG_OK);
	assert_non_null(strstr(p, "/objects/ba/7816bf8f01"));
	assert_true(objstore_has(store, hex));
	struct stat st1, st2;
	assert_int_equal(stat(p, &st1), 0);
	assert_int_equal(objstore_put_path(store, src, f->buf, sizeof(f->buf), hex2), VG_OK);
	assert_string_equal(hex, hex2);
	assert_int_equal(stat(p, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);	/* the first copy was kept */
	assert_int_equal(objstore_verify(store, hex, f->buf, sizeof(f->buf)), VG_OK);
}

static void
test_corrupted_object_is_detected_and_not_copied(void **state)
{
	struct fx *f = *state;
	char store[128], src[128], hex[OBJ_HEX_SIZE], p[PATH_MAX], out[128];
	snprintf(store, sizeof(store), "%s/store", f->dir);
	snprintf(src, sizeof(src), "%s/b.txt", f->dir);
	assert_int_equal(objstore_init(store), VG_OK);
	write_file(src, "<html>good</html>\n");
	assert_int_equal(objstore_put_path(store, src, f->buf, sizeof(f->buf), hex), VG_OK);
	objstore_path(store, hex, p, sizeof(p));
	chmod(p, 0600);
	write_file(p, "<html>evil</html>\n");
	assert_int_equal(objstore_verify(store, hex, f->buf, sizeof(f->buf)), VG_ERR_FORMAT);
	snprintf(out, sizeof(out), "%s/out", f->dir);
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(objstore_copy_to_fd(store, hex, fd, f->buf, sizeof(f->buf)),
	    VG_ERR_FORMAT);
	close(fd);
	char *data = NULL;
	size_t len;
	assert_int_equal(objstore_read(store, hex, 1 << 20, &data, &len), VG_ERR_FORMAT);
	assert_null(data);
	unlink(p);
	assert_int_equal(objstore_verify(store, hex, f->buf, sizeof(f->buf)), VG_ERR_NOTFOUND);
}

static void
test_special_files_are_never_opened(void **state)
{
	struct fx *f = *state;
	char fifo[128], link[128], hex[OBJ_HEX_SIZE];
	snprintf(fifo, sizeof(fifo), "%s/pipe", f->dir);
	snprintf(link, sizeof(link), "%s/lnk", f->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* would block forever if opened for reading without O_NONBLOCK */
	assert_int_equal(objstore_hash_path(fifo, f->buf, sizeof(f->buf), hex, NULL),
	    VG_ERR_FORMAT);
	assert_int_equal(symlink("/etc/hostname", link), 0);
	assert_int_equal(objstore_hash_path(link, f->buf, sizeof(f->buf), hex, NULL),
	    VG_ERR_FORMAT);
	snprintf(link, sizeof(link), "%s/missing", f->dir);
	assert_int_equal(objstore_hash_path(link, f->buf, sizeof(f->buf), hex, NULL),
	    VG_ERR_NOTFOUND);
}

static void
test_bad_object_names_are_refused(void **state)
{
	struct fx *f = *state;
	char p[PATH_MAX];
	assert_int_equal(objstore_path(f->dir, "../../etc/passwd", p, sizeof(p)), VG_ERR_INVAL);
	assert_int_equal(objstore_path(f->dir, "ABCD", p, sizeof(p)), VG_ERR_INVAL);
	assert_false(objstore_has(f->dir, "zz"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_object_is_named_by_sha256_and_deduplicated,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupted_object_is_detected_and_not_copied,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_files_are_never_opened, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_object_names_are_refused, setup,
		    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
