/* Unit tests for the file tailer: rotation, truncation, globs, limits, and the
 * exact-resume contract (positions saved with what was delivered, nothing twice). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/store.h"
#include "monitor/tail.h"

#define MAX_GOT 1024

struct got {
	char *line[MAX_GOT];
	size_t len[MAX_GOT];
	bool truncated[MAX_GOT];
	uint64_t off[MAX_GOT];
	char path[MAX_GOT][256];
	size_t n;
	int refuse_at;		/* refuse the line with this index (-1: never) */
	int refused;
};

struct fx {
	char dir[64];
	struct tailer *t;
	struct got g;
	struct vg_logger lg;
};

static int
collect(const struct source_line *l, void *arg)
{
	struct got *g = arg;
	if (g->refuse_at >= 0 && (size_t)g->refuse_at == g->n) {
		g->refused++;
		return 7;
	}
	assert_true(g->n < MAX_GOT);
	g->line[g->n] = malloc(l->len + 1);
	memcpy(g->line[g->n], l->data, l->len);
	g->line[g->n][l->len] = '\0';
	g->len[g->n] = l->len;
	g->truncated[g->n] = l->truncated;
	g->off[g->n] = l->offset_after;
	snprintf(g->path[g->n], sizeof(g->path[0]), "%s", l->path);
	g->n++;
	return 0;
}

static void
got_reset(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->line[i]);
	memset(g, 0, sizeof(*g));
	g->refuse_at = -1;
}

static void
path_in(const struct fx *f, const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", f->dir, name);
}

static void
append(const struct fx *f, const char *name, const char *data, size_t len)
{
	char p[256];
	path_in(f, name, p, sizeof(p));
	int fd = open(p, O_WRONLY | O_CREAT | O_APPEND, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void
appends(const struct fx *f, const char *name, const char *s)
{
	append(f, name, s, strlen(s));
}

static void
do_rename(const struct fx *f, const char *from, const char *to)
{
	char a[256], b[256];
	path_in(f, from, a, sizeof(a));
	path_in(f, to, b, sizeof(b));
	assert_int_equal(rename(a, b), 0);
}

static void
new_tailer(struct fx *f, size_t max_line)
{
	assert_int_equal(tail_new(&f->lg, max_line, &f->t), VG_OK);
	tail_set_rotate_wait(f->t, 0);
}

static void
watch(struct fx *f, const char *name)
{
	char p[256];
	path_in(f, name, p, sizeof(p));
	assert_int_equal(tail_add(f->t, "test", p), VG_OK);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-tail-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->lg.level = VG_LOG_ERROR;
	got_reset(&f->g);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	DIR *d;
	struct dirent *de;
	tail_free(f->t);
	got_reset(&f->g);
	d = opendir(f->dir);	/* flat directory of our own files */
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
open_store(const struct fx *f, struct vg_store **st)
{
	char p[256], err[256];
	path_in(f, "vigil.db", p, sizeof(p));
	assert_int_equal(store_open("sqlite", p, NULL, st, err, sizeof(err)), VG_OK);
}

static void
checkpoint(struct fx *f, struct vg_store *st)
{
	assert_int_equal(store_begin(st), VG_OK);
	assert_int_equal(tail_checkpoint(f->t, st), VG_OK);
	assert_int_equal(store_commit(st), VG_OK);
	tail_committed(f->t);
}

/* ---- tests ---- */

static void
test_appended_lines_arrive_in_order_with_offsets(void **state)
{
	struct fx *f = *state;
	appends(f, "a.log", "one\ntwo\n");
	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 2);
	appends(f, "a.log", "three\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_int_equal(f->g.n, 3);
	assert_string_equal(f->g.line[0], "one");
	assert_string_equal(f->g.line[2], "three");
	assert_int_equal(f->g.off[0], 4);
	assert_int_equal(f->g.off[2], 14);
	assert_int_equal(tail_fd(f->t) >= 0, 1);
}

static void
test_partial_line_waits_for_its_newline(void **state)
{
	struct fx *f = *state;
	appends(f, "a.log", "hel");
	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 0);
	appends(f, "a.log", "lo wor");
	assert_int_equal(tail_process(f->t, collect, &f->g), 0);
	appends(f, "a.log", "ld\nnext");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[0], "hello world");
	assert_int_equal(f->g.off[0], 12);
}

static void
test_file_created_later_is_picked_up(void **state)
{
	struct fx *f = *state;
	new_tailer(f, 1024);
	watch(f, "later.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 0);
	appends(f, "later.log", "born\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[0], "born");
}

static void
test_rename_rotation_reads_late_writes_to_old_file_then_new_file(void **state)
{
	struct fx *f = *state;
	char p[256];
	appends(f, "a.log", "old1\n");
	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);

	/* the writer still holds the old file open across the rename */
	path_in(f, "a.log", p, sizeof(p));
	int wfd = open(p, O_WRONLY | O_APPEND);
	assert_true(wfd >= 0);
	do_rename(f, "a.log", "a.log.1");
	assert_int_equal(write(wfd, "old2\nold-tail", 13), 13);
	close(wfd);
	appends(f, "a.log", "new1\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 3);
	/* order between the two files is free; content and count are not */
	int seen_old2 = 0, seen_tail = 0, seen_new = 0;
	for (size_t i = 1; i < f->g.n; i++) {
		seen_old2 += strcmp(f->g.line[i], "old2") == 0;
		seen_tail += strcmp(f->g.line[i], "old-tail") == 0;	/* partial at EOF */
		seen_new += strcmp(f->g.line[i], "new1") == 0;
	}
	assert_int_equal(seen_old2 + seen_tail + seen_new, 3);
	appends(f, "a.log", "new2\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[4], "new2");
	struct tail_stats ts;
	tail_get_stats(f->t, &ts);
	assert_int_equal(ts.rotations, 1);
}

static void
test_rotated_file_stays_open_during_rotate_wait(void **state)
{
	struct fx *f = *state;
	char p[256];
	appends(f, "a.log", "x\n");
	new_tailer(f, 1024);
	tail_set_rotate_wait(f->t, 60000);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	do_rename(f, "a.log", "a.log.1");
	appends(f, "a.log", "fresh\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	/* a slow writer reopens late: the old inode is still followed */
	path_in(f, "a.log.1", p, sizeof(p));
	appends(f, "a.log.1", "late\n");
	assert_int_equal(tail_poll(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[2], "late");
}

static void
test_copytruncate_restarts_at_zero(void **state)
{
	struct fx *f = *state;
	char p[256];
	appends(f, "a.log", "before-1\nbefore-2\n");
	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 2);
	path_in(f, "a.log", p, sizeof(p));
	assert_int_equal(truncate(p, 0), 0);
	appends(f, "a.log", "after\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[2], "after");
	assert_int_equal(f->g.off[2], 6);
	struct tail_stats ts;
	tail_get_stats(f->t, &ts);
	assert_int_equal(ts.truncations, 1);
}

static void
test_delete_and_recreate_reads_new_file_from_start(void **state)
{
	struct fx *f = *state;
	char p[256];
	appends(f, "a.log", "first life\n");
	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	path_in(f, "a.log", p, sizeof(p));
	assert_int_equal(unlink(p), 0);
	assert_int_equal(tail_process(f->t, collect, &f->g), 0);
	appends(f, "a.log", "second life\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[1], "second life");
}

static void
test_glob_picks_up_new_matching_file_only(void **state)
{
	struct fx *f = *state;
	appends(f, "site1.access.log", "s1\n");
	new_tailer(f, 1024);
	watch(f, "*.access.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	appends(f, "site2.access.log", "s2\n");
	appends(f, "site2.error.log", "not me\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[1], "s2");
	assert_non_null(strstr(f->g.path[1], "site2.access.log"));
}

static void
test_overlong_line_is_cut_flagged_and_next_line_intact(void **state)
{
	struct fx *f = *state;
	size_t big = 300000;
	char *line = malloc(big + 1);
	memset(line, 'A', big);
	line[big] = '\n';
	new_tailer(f, 256);
	watch(f, "a.log");
	append(f, "a.log", line, big + 1);
	appends(f, "a.log", "short\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 2);
	assert_int_equal(f->g.len[0], 256);
	assert_true(f->g.truncated[0]);
	assert_int_equal(f->g.off[0], big + 1);
	assert_string_equal(f->g.line[1], "short");
	assert_false(f->g.truncated[1]);
	free(line);
}

static void
test_line_of_exactly_max_line_is_not_truncated(void **state)
{
	struct fx *f = *state;
	char line[257];
	memset(line, 'b', 256);
	line[256] = '\n';
	new_tailer(f, 256);
	watch(f, "a.log");
	append(f, "a.log", line, 100);	/* arrives in two pieces */
	assert_int_equal(tail_process(f->t, collect, &f->g), 0);
	append(f, "a.log", line + 100, 157);
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_int_equal(f->g.len[0], 256);
	assert_false(f->g.truncated[0]);
}

static void
test_binary_and_invalid_utf8_bytes_pass_through_unchanged(void **state)
{
	struct fx *f = *state;
	const char data[] = "\xff\xfe\x00\x01bin\xc3\x28\n";
	new_tailer(f, 1024);
	watch(f, "a.log");
	append(f, "a.log", data, sizeof(data) - 1);
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_int_equal(f->g.len[0], sizeof(data) - 2);
	assert_memory_equal(f->g.line[0], data, sizeof(data) - 2);
}

static void
test_refused_line_is_not_passed_and_comes_again(void **state)
{
	struct fx *f = *state;
	appends(f, "a.log", "l1\nl2\nl3\n");
	new_tailer(f, 1024);
	watch(f, "a.log");
	f->g.refuse_at = 1;
	assert_int_equal(tail_process(f->t, collect, &f->g), 7);
	assert_int_equal(f->g.n, 1);
	f->g.refuse_at = -1;
	assert_int_equal(tail_process(f->t, collect, &f->g), 2);
	assert_string_equal(f->g.line[1], "l2");
	assert_string_equal(f->g.line[2], "l3");
}

static void
test_restore_resumes_after_checkpoint_without_duplicates(void **state)
{
	struct fx *f = *state;
	struct vg_store *st = NULL;
	open_store(f, &st);
	appends(f, "a.log", "r1\nr2\n");
	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 2);
	checkpoint(f, st);
	appends(f, "a.log", "r3\n");
	tail_free(f->t);	/* "crash": r3 was never delivered */
	f->t = NULL;

	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_restore(f->t, st), VG_OK);
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[2], "r3");
	struct tail_stats ts;
	tail_get_stats(f->t, &ts);
	assert_int_equal(ts.resumed, 1);
	store_close(st);
}

static void
test_restore_with_other_fingerprint_reads_from_zero(void **state)
{
	struct fx *f = *state;
	struct vg_store *st = NULL;
	char p[256];
	open_store(f, &st);
	appends(f, "a.log", "original content\n");
	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	checkpoint(f, st);
	tail_free(f->t);
	f->t = NULL;
	/* replaced while down by a longer file with other first bytes */
	path_in(f, "a.log", p, sizeof(p));
	assert_int_equal(unlink(p), 0);
	appends(f, "a.log", "REPLACED content!\nsecond\n");

	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_restore(f->t, st), VG_OK);
	assert_int_equal(tail_process(f->t, collect, &f->g), 2);
	assert_string_equal(f->g.line[1], "REPLACED content!");
	struct tail_stats ts;
	tail_get_stats(f->t, &ts);
	assert_int_equal(ts.replaced, 1);
	store_close(st);
}

static void
test_restore_drains_file_rotated_while_down(void **state)
{
	struct fx *f = *state;
	struct vg_store *st = NULL;
	open_store(f, &st);
	appends(f, "a.log", "d1\n");
	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	checkpoint(f, st);
	tail_free(f->t);
	f->t = NULL;
	appends(f, "a.log", "d2-unread\n");
	do_rename(f, "a.log", "a.log.1");
	appends(f, "a.log", "d3-new\n");

	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_restore(f->t, st), VG_OK);
	assert_int_equal(tail_process(f->t, collect, &f->g), 2);
	int a = 0, b = 0;
	for (size_t i = 1; i < f->g.n; i++) {
		a += strcmp(f->g.line[i], "d2-unread") == 0;
		b += strcmp(f->g.line[i], "d3-new") == 0;
	}
	assert_int_equal(a + b, 2);
	store_close(st);
}

static void
test_rewind_after_failed_commit_delivers_lines_again(void **state)
{
	struct fx *f = *state;
	struct vg_store *st = NULL;
	open_store(f, &st);
	appends(f, "a.log", "w1\n");
	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	checkpoint(f, st);
	appends(f, "a.log", "w2\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_int_equal(store_begin(st), VG_OK);
	assert_int_equal(tail_checkpoint(f->t, st), VG_OK);
	assert_int_equal(store_rollback(st), VG_OK);	/* e.g. disk full at commit */
	tail_rewind(f->t);
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[2], "w2");
	checkpoint(f, st);
	struct store_offset so;
	char p[256];
	path_in(f, "a.log", p, sizeof(p));
	assert_int_equal(store_offset_get(st, p, &so), VG_OK);
	assert_int_equal(so.offset, 6);
	assert_int_equal(strlen(so.fingerprint), 64);
	store_close(st);
}

static void
test_max_files_limit_counts_what_it_drops(void **state)
{
	struct fx *f = *state;
	appends(f, "1.log", "a\n");
	appends(f, "2.log", "b\n");
	appends(f, "3.log", "c\n");
	new_tailer(f, 1024);
	tail_set_max_files(f->t, 2);
	watch(f, "*.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 2);
	struct tail_stats ts;
	tail_get_stats(f->t, &ts);
	assert_true(ts.files_dropped >= 1);
}

static void
test_rotated_files_read_to_end_are_released(void **state)
{
	struct fx *f = *state;
	char from[32], to[32];
	new_tailer(f, 1024);
	tail_set_max_files(f->t, 2);	/* the live file and one being finished */
	watch(f, "a.log");
	for (int i = 0; i < 4; i++) {
		appends(f, "a.log", "gen\n");
		assert_int_equal(tail_process(f->t, collect, &f->g), 1);
		snprintf(from, sizeof(from), "a.log");
		snprintf(to, sizeof(to), "a.log.%d", i);
		do_rename(f, from, to);
		tail_committed(f->t);
	}
	appends(f, "a.log", "last\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	tail_committed(f->t);
	struct tail_stats ts;
	tail_get_stats(f->t, &ts);
	assert_int_equal(ts.files_dropped, 0);
	assert_int_equal(ts.rotations, 4);
}

static void
test_finished_rotated_file_is_not_read_again_after_restart(void **state)
{
	struct fx *f = *state;
	struct vg_store *st = NULL;
	open_store(f, &st);
	appends(f, "a.log", "g1\n");
	new_tailer(f, 1024);
	tail_set_rotate_wait(f->t, 50);
	watch(f, "a.log");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	checkpoint(f, st);
	do_rename(f, "a.log", "a.log.1");
	appends(f, "a.log.1", "g1-late\n");
	appends(f, "a.log", "g2\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 2);
	checkpoint(f, st);	/* saved while a.log.1 is still being drained */
	usleep(80000);
	assert_int_equal(tail_poll(f->t, collect, &f->g), 0);
	checkpoint(f, st);	/* a.log.1 finished */
	tail_free(f->t);
	f->t = NULL;

	new_tailer(f, 1024);
	watch(f, "a.log");
	assert_int_equal(tail_restore(f->t, st), VG_OK);
	assert_int_equal(tail_process(f->t, collect, &f->g), 0);
	appends(f, "a.log", "g3\n");
	assert_int_equal(tail_process(f->t, collect, &f->g), 1);
	assert_string_equal(f->g.line[3], "g3");
	store_close(st);
}

/* Random bytes appended in random pieces: the lines handed on, each plus '\n',
 * put back together must be the file, and each offset must be where its line ends. */
static void
test_random_appends_reassemble_to_the_file(void **state)
{
	struct fx *f = *state;
	size_t total = 200000, done = 0, lines = 0, pos = 0;
	unsigned seed = 12345;
	char *data = malloc(total);
	for (size_t i = 0; i < total; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned v = (seed >> 16) & 0xff;
		data[i] = v < 12 ? '\n' : (char)v;
	}
	data[total - 1] = '\n';
	new_tailer(f, 64 << 10);
	watch(f, "r.log");
	struct got *g = &f->g;
	while (done < total) {
		seed = seed * 1103515245u + 12345u;
		size_t n = 1 + (seed >> 16) % 3000;
		if (n > total - done)
			n = total - done;
		append(f, "r.log", data + done, n);
		done += n;
		assert_true(tail_process(f->t, collect, g) >= 0);
		for (size_t i = 0; i < g->n; i++) {	/* check and drop what arrived */
			assert_memory_equal(g->line[i], data + pos, g->len[i]);
			pos += g->len[i];
			assert_int_equal(data[pos], '\n');
			pos++;
			assert_int_equal(g->off[i], pos);
			lines++;
		}
		got_reset(g);
	}
	assert_int_equal(pos, total);
	assert_true(lines > 1000);
	free(data);
}

static void
test_bad_arguments_are_refused(void **state)
{
	struct fx *f = *state;
	struct tailer *t = (struct tailer *)&t;
	assert_int_equal(tail_new(NULL, 10, &t), VG_ERR_INVAL);
	assert_null(t);
	new_tailer(f, 1024);
	assert_int_equal(tail_add(f->t, NULL, "/nonexistent-dir-vigil/x.log"), VG_ERR_NOTFOUND);
	assert_int_equal(tail_add(f->t, NULL, "/tmp/*/x.log"), VG_ERR_INVAL);
	tail_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_appended_lines_arrive_in_order_with_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_line_waits_for_its_newline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_created_later_is_picked_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_rotation_reads_late_writes_to_old_file_then_new_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotated_file_stays_open_during_rotate_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copytruncate_restarts_at_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_and_recreate_reads_new_file_from_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_glob_picks_up_new_matching_file_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlong_line_is_cut_flagged_and_next_line_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_of_exactly_max_line_is_not_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_binary_and_invalid_utf8_bytes_pass_through_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_line_is_not_passed_and_comes_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_resumes_after_checkpoint_without_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_with_other_fingerprint_reads_from_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_drains_file_rotated_while_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rewind_after_failed_commit_delivers_lines_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_files_limit_counts_what_it_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotated_files_read_to_end_are_released, setup, teardown),
		cmocka_unit_test_setup_teardown(test_finished_rotated_file_is_not_read_again_after_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_appends_reassemble_to_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments_are_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
