/* Unit tests for normalize_field: each obfuscation attackers use must reduce to
 * the same canonical text, and the output buffer must never overflow. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "monitor/normalize.h"

/* The byte-at-a-time build of normalize.c, the reference its SIMD fast path
 * (x86-64) must agree with byte for byte. */
#define NORMALIZE_SCALAR 1
#define normalize_field normalize_field_scalar
#include "../../src/monitor/normalize.c"
#undef normalize_field

static void
expect_norm(const char *in, const char *want)
{
	char out[512];
	size_t n = 99;
	assert_int_equal(normalize_field(in, strlen(in), out, sizeof(out), &n), VG_OK);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void
test_url_decoding_repeats_until_fixpoint(void **state)
{
	(void)state;
	expect_norm("/s?q=%3Cscript%3E", "/s?q=<script>");
	expect_norm("/s?q=%253Cscript%253E", "/s?q=<script>");
	expect_norm("/s?q=%25253Cscript%25253E", "/s?q=<script>");
	/* a fourth level is beyond NORMALIZE_MAX_ROUNDS: it stays partly encoded */
	expect_norm("/s?q=%2525253C", "/s?q=%3c");
}

/* nginx logs '"' and '\\' in the request line as \x22 and \x5C */
static void
test_nginx_log_escapes_decode(void **state)
{
	(void)state;
	expect_norm("/i?id=1\\x22 or \\x22a\\x22=\\x22a", "/i?id=1\" or \"a\"=\"a");
	expect_norm("/p?f=C:\\x5CWindows\\x5Cwin.ini", "/p?f=c:\\windows\\win.ini");
	expect_norm("x\\x00y\\xzz", "xy\\xzz");
}

static void
test_percent_u_and_plus_in_query(void **state)
{
	(void)state;
	expect_norm("/s?q=%u003Cscript%u003E", "/s?q=<script>");
	expect_norm("/s?q=%u4E2D", "/s?q=\xe4\xb8\xad");
	expect_norm("/a+b/c?q=union+select", "/a+b/c?q=union select");
	/* malformed escapes are left alone */
	expect_norm("/s?q=%zz%4%u12", "/s?q=%zz%4%u12");
}

static void
test_html_entities_decode(void **state)
{
	(void)state;
	expect_norm("&lt;script&gt;", "<script>");
	expect_norm("&#x3c;&#X3C;&#60;&#0000060", "<<<<");
	expect_norm("&LT;img&Tab;src&equals;x&GT;", "<img src=x>");
	expect_norm("javascript&colon;alert&lpar;1&rpar;", "javascript:alert(1)");
	/* not entities */
	expect_norm("a&b=c&ltx", "a&b=c&ltx");
	expect_norm("&#xFFFFFFFFFF;", "&#xffffffffff;");
}

static void
test_case_comments_and_whitespace(void **state)
{
	(void)state;
	expect_norm("UnIoN/**/SeLeCt", "union select");
	expect_norm("1/*!50000UNION*/ /*!SELECT*/1", "1 union select 1");
	expect_norm("un/*comment*/ion", "un ion");
	expect_norm("a \t\r\n  b", "a b");
	expect_norm("1%09%0a%0dunion%a0select", "1 union\xa0select");
	/* non-ASCII bytes are not case-folded */
	expect_norm("\xc3\x89T\xc3\x89", "\xc3\x89t\xc3\x89");
}

static void
test_path_collapsing_keeps_traversal_above_root(void **state)
{
	(void)state;
	expect_norm("/a/./b//c/../d", "/a/b/d");
	expect_norm("/a/b/../../../etc/passwd", "/../etc/passwd");
	expect_norm("/../../etc/passwd", "/../../etc/passwd");
	expect_norm("/static/..%2f..%2f..%2fetc/hosts", "/../../etc/hosts");
	expect_norm("/a\\..\\..\\b", "/../b");
	expect_norm("/a/b/..", "/a/");
	expect_norm("/..", "/..");
	expect_norm("//x", "/x");
	/* the query is not a path */
	expect_norm("/v/./x?f=../../a//b", "/v/x?f=../../a//b");
	expect_norm("/%2e%2e/%2e%2e/x", "/../../x");
	/* not a path: left alone */
	expect_norm("a/../b", "a/../b");
}

static void
test_nul_bytes_are_removed(void **state)
{
	(void)state;
	char out[32];
	size_t n;
	assert_int_equal(normalize_field("ab\0c", 4, out, sizeof(out), &n), VG_OK);
	assert_int_equal(n, 3);
	assert_string_equal(out, "abc");
	expect_norm("/x.php%00.jpg", "/x.php.jpg");
	expect_norm("&#0;a%u0000b", "ab");
}

static void
test_truncation_never_writes_past_out_size(void **state)
{
	(void)state;
	char buf[16];
	size_t n;

	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(normalize_field("ABCDEFGHIJKLMNOP", 16, buf, 8, &n), VG_ERR_LIMIT);
	assert_int_equal(n, 7);
	assert_string_equal(buf, "abcdefg");
	for (size_t i = 8; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 'Z');
	assert_int_equal(normalize_field("x", 1, buf, 1, &n), VG_ERR_LIMIT);
	assert_string_equal(buf, "");
}

static void
test_bad_arguments_are_rejected(void **state)
{
	(void)state;
	char buf[8];
	size_t n;
	assert_int_equal(normalize_field("x", 1, NULL, 8, &n), VG_ERR_INVAL);
	assert_int_equal(normalize_field("x", 1, buf, 0, &n), VG_ERR_INVAL);
	assert_int_equal(normalize_field(NULL, 1, buf, 8, &n), VG_ERR_INVAL);
	assert_int_equal(normalize_field(NULL, 0, buf, 8, &n), VG_OK);
	assert_int_equal(n, 0);
}

static void
test_garbage_input_stays_in_bounds(void **state)
{
	(void)state;
	/* Deterministic pseudo-random bytes biased to the characters the decoder reacts to. */
	static const char alphabet[] = "%u25&#x;/.\\*!+?0aFZ \t\xff\xc0";
	char in[300], out[128];
	unsigned x = 12345;
	size_t n;

	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(round % 300);
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			in[i] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
		}
		int r = normalize_field(in, len, out, sizeof(out), &n);
		assert_true(r == VG_OK || r == VG_ERR_LIMIT);
		assert_true(n < sizeof(out));
		assert_int_equal(out[n], '\0');
	}
}

/* Many unterminated comment openers must stay linear: a quadratic scan would
 * let one 200 KB request stall a worker for seconds. */
static void
test_unterminated_comments_stay_linear(void **state)
{
	(void)state;
	const size_t len = 200000;
	char *in = malloc(len), *out = malloc(len + 1);
	struct timespec a, b;
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	for (size_t i = 0; i < len; i++)
		in[i] = "/*a"[i % 3];
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(normalize_field(in, len, out, len + 1, &n), VG_OK);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(n > 0 && n < len);
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 2000);
	free(in);
	free(out);
}

/* Random text built from the bytes canon() treats specially (spaces and their runs,
 * comment openers and closers, escapes, controls, NUL, case) at every alignment:
 * the SIMD path and the byte loop give the same output and the same length. */
static void
test_simd_path_matches_byte_loop(void **state)
{
	(void)state;
	static const char *const bits[] = { "a", "Z", " ", "  ", "/", "*", "/*", "*/", "/*!50000",
		"%", "%41", "%2f%2a", "%25", "&lt;", "&#x3c;", "+", "?", "\\", "\\x22", "\t", "\n",
		"\r\n", "\x01", "\x7f", "\xc3\xa9", "..", "./", "/../", "SELECT", "union all",
		"Mozilla/5.0 (X11; Linux x86_64)", "0123456789abcdef", "\0" };
	char in[700], out_a[800], out_b[800];
	unsigned seed = 12345;

	for (int iter = 0; iter < 40000; iter++) {
		size_t n = 0, na = 0, nb = 0;
		seed = seed * 1103515245u + 12345u;
		size_t pieces = (seed >> 16) % 40;
		if (seed & 1)
			in[n++] = '/';
		for (size_t k = 0; k < pieces; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *b = bits[(seed >> 16) % (sizeof(bits) / sizeof(bits[0]))];
			size_t l = b[0] ? strlen(b) : 1;	/* "\0" is one NUL byte */
			if (n + l > sizeof(in))
				break;
			memcpy(in + n, b, l);
			n += l;
		}
		seed = seed * 1103515245u + 12345u;
		size_t size = (seed >> 16) % 4 == 0 ? 1 + (seed >> 18) % (n + 1) : sizeof(out_a);
		int ra = normalize_field(in, n, out_a, size, &na);
		int rb = normalize_field_scalar(in, n, out_b, size, &nb);
		assert_int_equal(ra, rb);
		assert_int_equal(na, nb);
		assert_memory_equal(out_a, out_b, na + 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_decoding_repeats_until_fixpoint),
		cmocka_unit_test(test_percent_u_and_plus_in_query),
		cmocka_unit_test(test_nginx_log_escapes_decode),
		cmocka_unit_test(test_html_entities_decode),
		cmocka_unit_test(test_case_comments_and_whitespace),
		cmocka_unit_test(test_path_collapsing_keeps_traversal_above_root),
		cmocka_unit_test(test_nul_bytes_are_removed),
		cmocka_unit_test(test_truncation_never_writes_past_out_size),
		cmocka_unit_test(test_bad_arguments_are_rejected),
		cmocka_unit_test(test_garbage_input_stays_in_bounds),
		cmocka_unit_test(test_unterminated_comments_stay_linear),
		cmocka_unit_test(test_simd_path_matches_byte_loop),
	};
	return cmocka_run_group_tests_name("normalize", tests, NULL, NULL);
}
