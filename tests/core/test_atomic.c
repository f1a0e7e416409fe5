/* Unit tests for the atomic file write: content replaced whole, mode 0600 by default,
 * NOREPLACE refuses an existing target, no temp file survives a commit or an abort. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic.h"
#include "core/err.h"

static size_t
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;
	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.' || (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."));
	closedir(d);
	return n;
}

static void
read_back(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void
test_write_replace_and_mode(void **state)
{
	(void)state;
	char dir[] = "/tmp/vg-atomic-XXXXXX", path[256], buf[64];
	struct stat st;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f.json", dir);
	assert_int_equal(vg_atomic_write(path, "one", 3, 0, VG_ATOMIC_SYNC_DIR), VG_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(vg_atomic_write(path, "two!", 4, 0, 0), VG_OK);
	read_back(path, buf, sizeof(buf));
	assert_string_equal(buf, "two!");
	assert_int_equal(vg_atomic_write(path, "three", 5, 0, VG_ATOMIC_NOREPLACE), VG_ERR_BUSY);
	read_back(path, buf, sizeof(buf));
	assert_string_equal(buf, "two!");
	assert_int_equal(count_entries(dir), 1);	/* no temp file left */
	unlink(path);
	rmdir(dir);
}

static void
test_abort_leaves_target_and_no_temp(void **state)
{
	(void)state;
	char dir[] = "/tmp/vg-atomic-XXXXXX", path[256], buf[64];
	struct vg_atomic a;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/page.html", dir);
	assert_int_equal(vg_atomic_write(path, "old", 3, 0644, 0), VG_OK);
	assert_int_equal(vg_atomic_open(&a, path, ".vigil-restore.", 0), VG_OK);
	assert_int_equal(write(a.fd, "half", 4), 4);
	assert_int_equal(count_entries(dir), 2);	/* the temp sits beside the target */
	vg_atomic_abort(&a);
	vg_atomic_abort(&a);	/* released: a second abort is harmless */
	read_back(path, buf, sizeof(buf));
	assert_string_equal(buf, "old");
	assert_int_equal(count_entries(dir), 1);
	unlink(path);
	rmdir(dir);
}

static void
test_missing_directory_fails(void **state)
{
	(void)state;
	struct vg_atomic a;
	assert_int_equal(vg_atomic_open(&a, "/nonexistent/vg-atomic/x", NULL, 0), VG_ERR_IO);
	assert_int_equal(a.fd, -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_replace_and_mode),
		cmocka_unit_test(test_abort_leaves_target_and_no_temp),
		cmocka_unit_test(test_missing_directory_fails),
	};
	return cmocka_run_group_tests_name("atomic", tests, NULL, NULL);
}
