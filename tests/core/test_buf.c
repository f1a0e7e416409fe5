/* Unit tests for the bounded buffer and the strict number/string helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"

static void
test_put_within_limit_keeps_bytes(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(16);
	assert_int_equal(vg_buf_puts(b, "hello"), VG_OK);
	assert_int_equal(vg_buf_putf(b, " %d", 42), VG_OK);
	assert_string_equal(vg_buf_ptr(b), "hello 42");
	assert_int_equal(vg_buf_len(b), 8);
	vg_buf_free(b);
}

static void
test_put_over_limit_fails_and_leaves_buffer_unchanged(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(8);
	assert_int_equal(vg_buf_puts(b, "12345678"), VG_OK);
	assert_int_equal(vg_buf_puts(b, "9"), VG_ERR_LIMIT);
	assert_int_equal(vg_buf_putf(b, "%s", "x"), VG_ERR_LIMIT);
	assert_string_equal(vg_buf_ptr(b), "12345678");
	vg_buf_free(b);
}

static void
test_consume_then_append_compacts(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(1024);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(vg_buf_puts(b, "line\n"), VG_OK);
		vg_buf_consume(b, 5);
	}
	assert_int_equal(vg_buf_len(b), 0);
	assert_int_equal(vg_buf_puts(b, "abc"), VG_OK);
	vg_buf_consume(b, 1);
	assert_string_equal(vg_buf_ptr(b), "bc");
	char *s = vg_buf_steal(b);
	assert_string_equal(s, "bc");
	assert_int_equal(vg_buf_len(b), 0);
	free(s);
	vg_buf_free(b);
}

static void
test_free_accepts_null(void **state)
{
	(void)state;
	vg_buf_free(NULL);
}

static void
test_strlcpy_truncates_and_reports(void **state)
{
	(void)state;
	char dst[4];
	assert_int_equal(vg_strlcpy(dst, "abc", sizeof(dst)), VG_OK);
	assert_string_equal(dst, "abc");
	assert_int_equal(vg_strlcpy(dst, "abcdef", sizeof(dst)), VG_ERR_LIMIT);
	assert_string_equal(dst, "abc");
}

static void
test_parse_ll_is_strict(void **state)
{
	(void)state;
	long long v = 7;
	assert_int_equal(vg_parse_ll("123", 0, 1000, &v), VG_OK);
	assert_int_equal(v, 123);
	assert_int_equal(vg_parse_ll("12x", 0, 1000, &v), VG_ERR_PARSE);
	assert_int_equal(vg_parse_ll("", 0, 1000, &v), VG_ERR_PARSE);
	assert_int_equal(vg_parse_ll("5000", 0, 1000, &v), VG_ERR_LIMIT);
	assert_int_equal(vg_parse_ll("99999999999999999999", 0, 1000, &v), VG_ERR_PARSE);
	assert_int_equal(v, 123);
}

static void
test_parse_age_needs_a_unit(void **state)
{
	int64_t us = -1;

	(void)state;
	assert_int_equal(vg_parse_age("90s", &us), VG_OK);
	assert_true(us == 90LL * 1000000);
	assert_int_equal(vg_parse_age("2h", &us), VG_OK);
	assert_true(us == 7200LL * 1000000);
	assert_int_equal(vg_parse_age("7d", &us), VG_OK);
	assert_true(us == 7LL * 86400 * 1000000);
	assert_int_equal(vg_parse_age("90", &us), VG_ERR_INVAL);
	assert_int_equal(vg_parse_age("1x", &us), VG_ERR_INVAL);
	assert_int_equal(vg_parse_age("5mm", &us), VG_ERR_INVAL);
	assert_int_equal(vg_parse_age("-5m", &us), VG_ERR_INVAL);
	assert_int_equal(vg_parse_age("m", &us), VG_ERR_INVAL);
	assert_int_equal(vg_parse_age("999999999999d", &us), VG_ERR_INVAL);
	assert_true(us == 7LL * 86400 * 1000000);	/* untouched on failure */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_within_limit_keeps_bytes),
		cmocka_unit_test(test_put_over_limit_fails_and_leaves_buffer_unchanged),
		cmocka_unit_test(test_consume_then_append_compacts),
		cmocka_unit_test(test_free_accepts_null),
		cmocka_unit_test(test_strlcpy_truncates_and_reports),
		cmocka_unit_test(test_parse_ll_is_strict),
		cmocka_unit_test(test_parse_age_needs_a_unit),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
