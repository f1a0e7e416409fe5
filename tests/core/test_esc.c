/* Unit tests for the terminal sanitiser: what an attacker can put in a log line or
 * a file name must never reach a terminal as a control sequence or a forged line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/log.h"

static const char *
esc(const char *s, size_t len)
{
	static char out[512];
	vg_esc(out, sizeof(out), s, len);
	return out;
}

static void
test_osc_title_and_bell_are_escaped(void **state)
{
	(void)state;
	const char in[] = "<script \x1b]0;OWNED\x07>";
	assert_string_equal(esc(in, sizeof(in) - 1), "<script \\x1b]0;OWNED\\x07>");
}

static void
test_forged_line_in_file_name_stays_on_one_line(void **state)
{
	(void)state;
	const char in[] = "a\x1b]0;HI\x07\nWEBSHELL clean  site: ok.php";
	const char *out = esc(in, sizeof(in) - 1);
	assert_null(strchr(out, '\n'));
	assert_null(strchr(out, '\x1b'));
	assert_string_equal(out, "a\\x1b]0;HI\\x07\\x0aWEBSHELL clean  site: ok.php");
}

static void
test_c0_del_cr_tab_and_conceal_are_escaped(void **state)
{
	(void)state;
	const char in[] = "\x1b[8mhidden\r\t\x7f\x01";
	assert_string_equal(esc(in, sizeof(in) - 1),
	    "\\x1b[8mhidden\\x0d\\x09\\x7f\\x01");
}

static void
test_nul_byte_is_shown_not_a_terminator(void **state)
{
	(void)state;
	assert_string_equal(esc("a\0b", 3), "a\\x00b");
}

static void
test_valid_utf8_is_kept(void **state)
{
	(void)state;
	const char in[] = "Gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80 \xe6\x97\xa5";
	assert_string_equal(esc(in, sizeof(in) - 1), in);
	assert_true(vg_esc_clean(in, sizeof(in) - 1));
}

static void
test_c1_raw_and_encoded_are_escaped(void **state)
{
	(void)state;
	/* Raw 0x9b (8-bit CSI) and U+009B encoded as UTF-8. */
	assert_string_equal(esc("\x9b" "31m", 4), "\\x9b31m");
	assert_string_equal(esc("\xc2\x9b" "31m", 5), "\\xc2\\x9b31m");
}

static void
test_invalid_utf8_is_escaped_per_byte(void **state)
{
	(void)state;
	/* Overlong '/', a lone lead byte, a surrogate, a cut sequence at the end. */
	assert_string_equal(esc("\xc0\xaf", 2), "\\xc0\\xaf");
	assert_string_equal(esc("\xe2x", 2), "\\xe2x");
	assert_string_equal(esc("\xed\xa0\x80", 3), "\\xed\\xa0\\x80");
	assert_string_equal(esc("ok\xe2\x82", 4), "ok\\xe2\\x82");
}

static void
test_bidi_override_and_line_separator_are_escaped(void **state)
{
	(void)state;
	assert_string_equal(esc("a\xe2\x80\xae" "b", 5), "a\\xe2\\x80\\xaeb");
	assert_string_equal(esc("a\xe2\x80\xa8" "b", 5), "a\\xe2\\x80\\xa8b");
}

static void
test_backslash_is_doubled(void **state)
{
	(void)state;
	/* A literal "\x1b" in a name must not read like an escaped ESC. */
	assert_string_equal(esc("\\x1b", 4), "\\\\x1b");
}

static void
test_output_is_bounded_and_marked(void **state)
{
	(void)state;
	char out[16];
	size_t n = vg_esc(out, sizeof(out), "\x1b\x1b\x1b\x1b\x1b", 5);
	assert_int_equal(n, strlen(out));
	assert_true(n < sizeof(out));
	assert_string_equal(out, "\\x1b\\x1b\\x1b...");
	/* Exactly fitting input is not marked. */
	n = vg_esc(out, sizeof(out), "0123456789abcde", 15);
	assert_string_equal(out, "0123456789abcde");
	/* A multi-byte character is never cut in half. */
	n = vg_esc(out, 6, "\xe2\x82\xac\xe2\x82\xac", 6);
	assert_string_equal(out, "...");
	assert_int_equal(vg_esc(out, 0, "x", 1), 0);
}

/* Every size cuts the same escaped text at a character boundary: the copy of plain
 * runs and the per-character path agree on where "..." goes. */
static void
test_cut_at_every_size(void **state)
{
	(void)state;
	static const char *const ins[] = { "plain ascii text only", "ab\x1b" "cd\\ef",
		"\xe2\x82\xac" "xyz\x01", "x\x9b\xc2\x9b" "AAAAAAAA\\B" };
	char full[256], out[256];
	for (size_t k = 0; k < sizeof(ins) / sizeof(ins[0]); k++) {
		size_t fl = vg_esc(full, sizeof(full), ins[k], strlen(ins[k]));
		for (size_t sz = 1; sz < fl + 3; sz++) {
			size_t n = vg_esc(out, sz, ins[k], strlen(ins[k]));
			assert_int_equal(n, strlen(out));
			assert_true(n < sz);
			if (fl + 1 <= sz) {
				assert_string_equal(out, full);
				continue;
			}
			if (sz < 4)
				continue;
			assert_true(n >= 3 && memcmp(out + n - 3, "...", 3) == 0);
			/* kept part: a prefix of the full text, cut at most one character
			 * (<= 16 escaped bytes) short of the room */
			assert_memory_equal(out, full, n - 3);
			assert_true(n - 3 + 4 <= sz && n - 3 + 4 + 16 > sz);
		}
	}
}

static void
test_buf_and_stream_writers_agree(void **state)
{
	(void)state;
	const char in[] = "x\x1b[2Jy\n\xff";
	struct vg_buf *b = vg_buf_new(1024);
	assert_int_equal(vg_esc_buf(b, in, sizeof(in) - 1), VG_OK);
	char *mem = NULL;
	size_t memlen = 0;
	FILE *f = open_memstream(&mem, &memlen);
	assert_int_equal(vg_esc_fwrite(f, in, sizeof(in) - 1), VG_OK);
	fclose(f);
	assert_string_equal(vg_buf_ptr(b), "x\\x1b[2Jy\\x0a\\xff");
	assert_string_equal(mem, vg_buf_ptr(b));
	assert_string_equal(esc(in, sizeof(in) - 1), vg_buf_ptr(b));
	free(mem);
	vg_buf_free(b);
}

static void
test_lines_writer_keeps_only_line_breaks(void **state)
{
	(void)state;
	const char in[] = "+a\x1b[8mb\n-c\rd\n";
	char *mem = NULL;
	size_t memlen = 0;
	FILE *f = open_memstream(&mem, &memlen);
	assert_int_equal(vg_esc_fwrite_lines(f, in, sizeof(in) - 1), VG_OK);
	fclose(f);
	assert_string_equal(mem, "+a\\x1b[8mb\n-c\\x0dd\n");
	free(mem);
}

static void
test_log_text_escapes_quoted_outside_bytes(void **state)
{
	(void)state;
	char *mem = NULL;
	size_t memlen = 0;
	FILE *f = open_memstream(&mem, &memlen);
	struct vg_logger lg = { .level = VG_LOG_WARN, .format = VG_LOG_TEXT, .out = f };
	vg_warn(&lg, "cannot read %s", "a\x1b]0;HI\x07\nb");
	fclose(f);
	assert_string_equal(mem, "vigil: warn: cannot read a\\x1b]0;HI\\x07\\x0ab\n");
	free(mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_osc_title_and_bell_are_escaped),
		cmocka_unit_test(test_forged_line_in_file_name_stays_on_one_line),
		cmocka_unit_test(test_c0_del_cr_tab_and_conceal_are_escaped),
		cmocka_unit_test(test_nul_byte_is_shown_not_a_terminator),
		cmocka_unit_test(test_valid_utf8_is_kept),
		cmocka_unit_test(test_c1_raw_and_encoded_are_escaped),
		cmocka_unit_test(test_invalid_utf8_is_escaped_per_byte),
		cmocka_unit_test(test_bidi_override_and_line_separator_are_escaped),
		cmocka_unit_test(test_backslash_is_doubled),
		cmocka_unit_test(test_output_is_bounded_and_marked),
		cmocka_unit_test(test_cut_at_every_size),
		cmocka_unit_test(test_buf_and_stream_writers_agree),
		cmocka_unit_test(test_lines_writer_keeps_only_line_breaks),
		cmocka_unit_test(test_log_text_escapes_quoted_outside_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
