/* Unit tests for the line diff: unified output, the added-lines view the tamper check
 * reads, and the fallback when the edit distance is over the bound. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "monitor/diff.h"

static char *
unified(const char *a, const char *b)
{
	struct diff *d = NULL;
	struct vg_buf *out = vg_buf_new(1 << 20);
	assert_int_equal(diff_lines(a, strlen(a), b, strlen(b), &d), VG_OK);
	assert_int_equal(diff_unified(d, "a/f", "b/f", 3, out), VG_OK);
	diff_free(d);
	char *s = vg_buf_steal(out);
	vg_buf_free(out);
	return s;
}

static void
test_identical_inputs_give_empty_diff(void **state)
{
	(void)state;
	char *s = unified("a\nb\n", "a\nb\n");
	assert_string_equal(s, "");
	free(s);
}

static void
test_insert_in_middle_has_context_and_counts(void **state)
{
	(void)state;
	char *s = unified("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nX\n5\n6\n7\n8\n");
	assert_string_equal(s, "--- a/f\n+++ b/f\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+X\n 5\n 6\n 7\n");
	free(s);
}

static void
test_replace_line_shows_minus_then_plus(void **state)
{
	(void)state;
	char *s = unified("a\nb\nc\n", "a\nB\nc\n");
	assert_string_equal(s, "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
	free(s);
}

static void
test_new_file_diff_is_all_added(void **state)
{
	(void)state;
	char *s = unified("", "x\ny\n");
	assert_string_equal(s, "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n");
	free(s);
}

static void
test_distant_changes_make_two_hunks(void **state)
{
	(void)state;
	struct vg_buf *a = vg_buf_new(4096), *b = vg_buf_new(4096);
	for (int i = 0; i < 30; i++) {
		vg_buf_putf(a, "line%d\n", i);
		vg_buf_putf(b, "%s%d\n", i == 2 || i == 25 ? "CHANGED" : "line", i);
	}
	char *s = unified(vg_buf_ptr(a), vg_buf_ptr(b));
	int hunks = 0;
	for (const char *p = s; (p = strstr(p, "\n@@ ")); p++)
		hunks++;
	assert_int_equal(hunks, 2);
	assert_non_null(strstr(s, "-line25\n+CHANGED25\n"));
	free(s);
	vg_buf_free(a);
	vg_buf_free(b);
}

static void
test_added_text_holds_only_inserted_lines(void **state)
{
	(void)state;
	struct diff *d = NULL;
	struct vg_buf *out = vg_buf_new(4096);
	const char *a = "<p>a</p>\n<p>b</p>\n", *b = "<p>a</p>\n<script>x</script>\n<p>b</p>\n";
	assert_int_equal(diff_lines(a, strlen(a), b, strlen(b), &d), VG_OK);
	assert_int_equal(diff_added(d), 1);
	assert_int_equal(diff_deleted(d), 0);
	assert_int_equal(diff_added_text(d, out), VG_OK);
	assert_string_equal(vg_buf_ptr(out), "<script>x</script>\n");
	diff_free(d);
	vg_buf_free(out);
}

static void
test_huge_edit_distance_falls_back_to_replace(void **state)
{
	(void)state;
	/* 3000 different lines each side: beyond DIFF_MAX_D, still a correct diff */
	struct vg_buf *a = vg_buf_new(1 << 20), *b = vg_buf_new(1 << 20);
	for (int i = 0; i < 3000; i++) {
		vg_buf_putf(a, "a%d\n", i);
		vg_buf_putf(b, "b%d\n", i);
	}
	struct diff *d = NULL;
	assert_int_equal(diff_lines(vg_buf_ptr(a), vg_buf_len(a), vg_buf_ptr(b), vg_buf_len(b),
	    &d), VG_OK);
	assert_int_equal(diff_added(d), 3000);
	assert_int_equal(diff_deleted(d), 3000);
	diff_free(d);
	vg_buf_free(a);
	vg_buf_free(b);
}

static void
test_output_limit_is_reported(void **state)
{
	(void)state;
	struct diff *d = NULL;
	struct vg_buf *out = vg_buf_new(32);
	const char *b = "a long added line that will not fit\nanother\n";
	assert_int_equal(diff_lines("", 0, b, strlen(b), &d), VG_OK);
	assert_int_equal(diff_unified(d, "a/f", "b/f", 3, out), VG_ERR_LIMIT);
	diff_free(d);
	vg_buf_free(out);
}

static void
test_binary_is_not_text(void **state)
{
	(void)state;
	assert_true(diff_is_text("plain", 5));
	assert_false(diff_is_text("GIF89a\0\1", 8));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_inputs_give_empty_diff),
		cmocka_unit_test(test_insert_in_middle_has_context_and_counts),
		cmocka_unit_test(test_replace_line_shows_minus_then_plus),
		cmocka_unit_test(test_new_file_diff_is_all_added),
		cmocka_unit_test(test_distant_changes_make_two_hunks),
		cmocka_unit_test(test_added_text_holds_only_inserted_lines),
		cmocka_unit_test(test_huge_edit_distance_falls_back_to_replace),
		cmocka_unit_test(test_output_limit_is_reported),
		cmocka_unit_test(test_binary_is_not_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
