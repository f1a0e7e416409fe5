/* Unit tests for the tree walker: symlinks reported but never followed, SKIP and POST,
 * and trees whose paths are longer than PATH_MAX. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/walk.h"

struct seen {
	char log[8192];
	size_t max_rel;
	int max_depth, failed;
	const char *skip;	/* rel not to descend into */
};

static int
record(void *arg, const struct vg_walk_entry *e)
{
	struct seen *s = arg;
	char line[300];
	if (e->rel_len > s->max_rel)
		s->max_rel = e->rel_len;
	if (e->depth > s->max_depth)
		s->max_depth = e->depth;
	if (e->event == VG_WALK_DIR_FAILED) {
		s->failed++;
		return 0;
	}
	if (e->rel_len < 200) {
		snprintf(line, sizeof(line), "%s%s:%c%s;", e->event == VG_WALK_DIR_DONE ? "post " : "",
		    e->rel, S_ISDIR(e->type) ? 'd' : S_ISLNK(e->type) ? 'l' : S_ISREG(e->type) ? 'f'
		    : '?', e->err ? "!" : "");
		strncat(s->log, line, sizeof(s->log) - strlen(s->log) - 1);
	}
	assert_int_equal(strlen(e->rel), e->rel_len);
	return s->skip && strcmp(e->rel, s->skip) == 0 ? VG_WALK_SKIP : 0;
}

static char *
mktree(void)
{
	char tmpl[] = "/tmp/vg-walk-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	d = strdup(d);
	int fd = open(d, O_RDONLY | O_DIRECTORY);
	assert_int_equal(mkdirat(fd, "a", 0700), 0);
	close(openat(fd, "a/f", O_CREAT | O_WRONLY, 0600));
	assert_int_equal(symlinkat("/", fd, "a/up"), 0);
	close(fd);
	return d;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* nftw cannot go below PATH_MAX: the deep test removes its own chain first */
static void
rm_tree(const char *d)
{
	assert_int_equal(nftw(d, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static int
rm_walked(void *arg, const struct vg_walk_entry *e)
{
	(void)arg;
	if (e->event == VG_WALK_DIR_DONE)
		return unlinkat(e->dirfd, e->name, AT_REMOVEDIR) == 0 ? 0 : VG_ERR_IO;
	if (e->event == VG_WALK_ENTRY && !S_ISDIR(e->type))
		return unlinkat(e->dirfd, e->name, 0) == 0 ? 0 : VG_ERR_IO;
	return 0;
}

static void
test_symlink_is_reported_not_followed(void **state)
{
	(void)state;
	char *d = mktree();
	int fd = open(d, O_RDONLY | O_DIRECTORY);
	struct seen s = { 0 };
	assert_int_equal(vg_walk(fd, ".", "", 0, VG_WALK_STAT, record, &s), VG_OK);
	/* readdir order is not fixed: check each entry, and that "/" was not entered */
	assert_non_null(strstr(s.log, ":d;"));
	assert_non_null(strstr(s.log, "a:d;"));
	assert_non_null(strstr(s.log, "a/f:f;"));
	assert_non_null(strstr(s.log, "a/up:l;"));
	assert_null(strstr(s.log, "a/up/"));
	assert_int_equal(s.max_depth, 2);
	close(fd);
	rm_tree(d);
	free(d);
}

static void
test_skip_and_post_order(void **state)
{
	(void)state;
	char *d = mktree();
	int fd = open(d, O_RDONLY | O_DIRECTORY);
	struct seen s = { .skip = "a" };
	assert_int_equal(vg_walk(fd, ".", "", 0, VG_WALK_POST, record, &s), VG_OK);
	assert_string_equal(s.log, ":d;a:d;post :d;");
	memset(&s, 0, sizeof(s));
	assert_int_equal(vg_walk(fd, "a", "sub/a", 1, VG_WALK_POST, record, &s), VG_OK);
	/* the directory's DONE comes after its children, the start entry's last */
	char *post = strstr(s.log, "post sub/a:d;");
	assert_non_null(post);
	assert_string_equal(post, "post sub/a:d;");
	assert_non_null(strstr(s.log, "sub/a/f:f;"));
	close(fd);
	rm_tree(d);
	free(d);
}

static void
test_missing_start_is_reported_with_err(void **state)
{
	(void)state;
	struct seen s = { 0 };
	assert_int_equal(vg_walk(AT_FDCWD, "/nonexistent/vg-walk", "", 0, 0, record, &s), VG_OK);
	assert_string_equal(s.log, ":?!;");
}

static void
test_paths_longer_than_path_max(void **state)
{
	(void)state;
	char *d = mktree(), name[] = "dddddddddddddddddddddddddddddddddddddddddddddddddd";
	int fd = open(d, O_RDONLY | O_DIRECTORY), cur = dup(fd);
	const int levels = 2 * PATH_MAX / (int)sizeof(name) + 2;
	for (int i = 0; i < levels; i++) {
		assert_int_equal(mkdirat(cur, name, 0700), 0);
		int next = openat(cur, name, O_RDONLY | O_DIRECTORY);
		assert_true(next >= 0);
		close(cur);
		cur = next;
	}
	close(openat(cur, "deep", O_CREAT | O_WRONLY, 0600));
	close(cur);
	struct seen s = { 0 };
	assert_int_equal(vg_walk(fd, ".", "", 0, 0, record, &s), VG_OK);
	assert_true(s.max_rel > 2 * PATH_MAX);
	assert_int_equal(s.max_depth, levels + 1);
	assert_int_equal(s.failed, 0);
	/* and POST removes it bottom-up, which nftw could not */
	assert_int_equal(vg_walk(fd, name, name, 1, VG_WALK_POST, rm_walked, NULL), VG_OK);
	assert_int_equal(faccessat(fd, name, F_OK, AT_SYMLINK_NOFOLLOW), -1);
	close(fd);
	rm_tree(d);
	free(d);
}

static int
stop_at_file(void *arg, const struct vg_walk_entry *e)
{
	(void)arg;
	return S_ISREG(e->type) ? VG_ERR_IO : 0;
}

static void
test_negative_return_stops_the_walk(void **state)
{
	(void)state;
	char *d = mktree();
	assert_int_equal(vg_walk(AT_FDCWD, d, "", 0, 0, stop_at_file, NULL), VG_ERR_IO);
	rm_tree(d);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symlink_is_reported_not_followed),
		cmocka_unit_test(test_skip_and_post_order),
		cmocka_unit_test(test_missing_start_is_reported_with_err),
		cmocka_unit_test(test_paths_longer_than_path_max),
		cmocka_unit_test(test_negative_return_stops_the_walk),
	};
	return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
