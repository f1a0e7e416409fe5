/* Unit tests for resolution beneath a directory: which relative paths are clean, and
 * that no symlink (in the middle or at the end) and no ".." is ever followed, with
 * openat2 and with the O_NOFOLLOW component walk alike. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/beneath.h"

static bool
valid(const char *s)
{
	return vg_relpath_valid(s, strlen(s), false);
}

static void
test_relpath_valid(void **state)
{
	(void)state;
	assert_true(valid("a"));
	assert_true(valid("a/b.php"));
	assert_true(valid("..a/b..")); /* dots inside a name are fine */
	assert_true(valid(".htaccess"));
	assert_false(valid(""));
	assert_true(vg_relpath_valid("", 0, true));
	assert_false(valid("/etc/passwd"));
	assert_false(valid(".."));
	assert_false(valid("../x"));
	assert_false(valid("a/../../x"));
	assert_false(valid("a/.."));
	assert_false(valid("."));
	assert_false(valid("a/./b"));
	assert_false(valid("a//b"));
	assert_false(valid("a/"));
	assert_false(vg_relpath_valid("a\0b", 3, false));
	char big[VG_BENEATH_MAX + 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(valid(big));
}

struct tree {
	char dir[64];
	int root;
};

/* root/{d/f, link -> d, d/up -> /, out -> ../} */
static void
mktree(struct tree *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/vg-beneath-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	t->root = open(t->dir, O_RDONLY | O_DIRECTORY);
	assert_true(t->root >= 0);
	assert_int_equal(mkdirat(t->root, "d", 0700), 0);
	close(openat(t->root, "d/f", O_CREAT | O_WRONLY, 0600));
	assert_int_equal(symlinkat("d", t->root, "link"), 0);
	assert_int_equal(symlinkat("/", t->root, "d/up"), 0);
	assert_int_equal(symlinkat("..", t->root, "out"), 0);
}

static void
rmtree(struct tree *t)
{
	unlinkat(t->root, "d/f", 0);
	unlinkat(t->root, "d/up", 0);
	unlinkat(t->root, "d/new/x", 0);
	unlinkat(t->root, "d/new", AT_REMOVEDIR);
	unlinkat(t->root, "d", AT_REMOVEDIR);
	unlinkat(t->root, "link", 0);
	unlinkat(t->root, "out", 0);
	close(t->root);
	rmdir(t->dir);
}

static void
test_open_beneath(void **state)
{
	struct tree t;
	int fd;
	(void)state;
	mktree(&t);
	fd = vg_open_beneath(t.root, "d/f", O_RDONLY, 0);
	assert_true(fd >= 0);
	close(fd);
	errno = 0;
	assert_int_equal(vg_open_beneath(t.root, "link/f", O_RDONLY, 0), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(vg_open_beneath(t.root, "link", O_RDONLY | O_DIRECTORY, 0), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(vg_open_beneath(t.root, "d/up/etc/passwd", O_RDONLY, 0), -1);
	assert_int_equal(vg_open_beneath(t.root, "out/x", O_RDONLY, 0), -1);
	assert_int_equal(vg_open_beneath(t.root, "d/../d/f", O_RDONLY, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(vg_open_beneath(t.root, "/etc/passwd", O_RDONLY, 0), -1);
	rmtree(&t);
}

static void
test_open_parent(void **state)
{
	struct tree t;
	const char *leaf;
	int fd;
	(void)state;
	mktree(&t);
	fd = vg_open_parent_beneath(t.root, "d/f", 0, 0, &leaf);
	assert_true(fd >= 0);
	assert_string_equal(leaf, "f");
	close(fd);
	fd = vg_open_parent_beneath(t.root, "top", 0, 0, &leaf);
	assert_true(fd >= 0);
	assert_string_equal(leaf, "top");
	close(fd);
	assert_int_equal(vg_open_parent_beneath(t.root, "link/f", 0, 0, &leaf), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(vg_open_parent_beneath(t.root, "link/new/x", VG_BENEATH_MKDIR, 0700,
	    &leaf), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(faccessat(t.root, "d/new", F_OK, AT_SYMLINK_NOFOLLOW), -1);
	fd = vg_open_parent_beneath(t.root, "d/new/x", VG_BENEATH_MKDIR, 0700, &leaf);
	assert_true(fd >= 0);
	assert_string_equal(leaf, "x");
	close(fd);
	assert_int_equal(faccessat(t.root, "d/new", F_OK, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(vg_open_parent_beneath(t.root, "", 0, 0, &leaf), -1);
	assert_int_equal(vg_open_parent_beneath(t.root, "../x", 0, 0, &leaf), -1);
	rmtree(&t);
}

static void
test_open_dir_nofollow(void **state)
{
	struct tree t;
	char p[128];
	int fd;
	(void)state;
	mktree(&t);
	snprintf(p, sizeof(p), "%s/d", t.dir);
	fd = vg_open_dir_nofollow(p);
	assert_true(fd >= 0);
	close(fd);
	snprintf(p, sizeof(p), "%s/link", t.dir);
	assert_int_equal(vg_open_dir_nofollow(p), -1);
	assert_int_equal(errno, ELOOP);
	snprintf(p, sizeof(p), "%s/d/up/tmp", t.dir);
	assert_int_equal(vg_open_dir_nofollow(p), -1);
	assert_int_equal(errno, ELOOP);
	rmtree(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relpath_valid),
		cmocka_unit_test(test_open_beneath),
		cmocka_unit_test(test_open_parent),
		cmocka_unit_test(test_open_dir_nofollow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
