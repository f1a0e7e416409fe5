/* Unit tests for tamper flags: each kind of injected content is flagged with what
 * matched, and ordinary page edits are not. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "monitor/tamper.h"

static int
setup(void **state)
{
	struct tamper *t = NULL;
	assert_int_equal(tamper_new(&t), VG_OK);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	tamper_free(*state);
	return 0;
}

static unsigned
scan(void **state, const char *text, struct tamper_result *r)
{
	assert_int_equal(tamper_scan(*state, text, strlen(text), r), VG_OK);
	return r->flags;
}

#define F(x) (1u << (x))

static void
test_display_none_link_is_hidden_link(void **state)
{
	struct tamper_result r;
	unsigned f = scan(state, "<div style=\"display: none\"><a href=\"http://x.example/\">"
	    "cheap</a></div>", &r);
	assert_true(f & F(TAMPER_HIDDEN_STYLE));
	assert_true(f & F(TAMPER_HIDDEN_LINK));
	assert_string_equal(r.match[TAMPER_HIDDEN_LINK], "<a href=\"http://x.example/\">");
}

static void
test_offscreen_and_tiny_font_are_flagged(void **state)
{
	struct tamper_result r;
	unsigned f = scan(state, "<p style=\"position:absolute;left:-9999px\">x</p>", &r);
	assert_true(f & F(TAMPER_OFFSCREEN));
	assert_false(f & F(TAMPER_HIDDEN_LINK));	/* no link, no hidden link */
	f = scan(state, "<span style=\"font-size:0px\"><a href=\"/x\">y</a></span>", &r);
	assert_true(f & F(TAMPER_TINY_FONT));
	assert_true(f & F(TAMPER_HIDDEN_LINK));
	f = scan(state, "<span style=\"font-size:1px;\">z</span>", &r);
	assert_true(f & F(TAMPER_TINY_FONT));
}

static void
test_chinese_and_english_spam_words(void **state)
{
	struct tamper_result r;
	assert_true(scan(state, "<p>最新六合彩开奖</p>", &r) & F(TAMPER_SPAM_WORDS));
	assert_string_equal(r.match[TAMPER_SPAM_WORDS], "六合彩");
	assert_true(scan(state, "<p>百家乐 在线</p>", &r) & F(TAMPER_SPAM_WORDS));
	assert_true(scan(state, "Best online CASINO bonus", &r) & F(TAMPER_SPAM_WORDS));
	assert_true(scan(state, "free porn", &r) & F(TAMPER_SPAM_WORDS));
	/* a word inside another word is not spam */
	assert_false(scan(state, "casinos_table_id occasional", &r) & F(TAMPER_SPAM_WORDS));
}

static void
test_external_script_and_iframe(void **state)
{
	struct tamper_result r;
	unsigned f = scan(state, "<script type=\"text/javascript\" src=\"//evil.example/a.js\">"
	    "</script>", &r);
	assert_true(f & F(TAMPER_EXT_SCRIPT));
	assert_non_null(strstr(r.match[TAMPER_EXT_SCRIPT], "evil.example"));
	assert_false(scan(state, "<script src=\"/js/local.js\"></script>", &r) &
	    F(TAMPER_EXT_SCRIPT));
	assert_true(scan(state, "<IFRAME width=0 src=http://x>", &r) & F(TAMPER_IFRAME));
}

static void
test_redirects_and_meta_refresh(void **state)
{
	struct tamper_result r;
	assert_true(scan(state, "<script>window.location.href='http://x.example'</script>", &r) &
	    F(TAMPER_JS_REDIRECT));
	assert_true(scan(state, "location.replace(\"http://x\")", &r) & F(TAMPER_JS_REDIRECT));
	assert_false(scan(state, "if (location.href == base) {}", &r) & F(TAMPER_JS_REDIRECT));
	assert_true(scan(state, "<meta http-equiv=\"refresh\" content=\"0;url=http://x\">", &r) &
	    F(TAMPER_META_REFRESH));
}

static void
test_obfuscation_and_deface_text(void **state)
{
	struct tamper_result r;
	assert_true(scan(state, "eval(atob('ZG9jdW1lbnQ='))", &r) & F(TAMPER_OBFUSCATED_JS));
	assert_true(scan(state, "document.write(unescape('%3C'))", &r) & F(TAMPER_OBFUSCATED_JS));
	assert_true(scan(state, "<h1>Hacked by someone</h1>", &r) & F(TAMPER_DEFACE_TEXT));
	assert_true(scan(state, "本站已被入侵", &r) & F(TAMPER_DEFACE_TEXT));
}

static void
test_plain_edit_has_no_flags(void **state)
{
	struct tamper_result r;
	assert_int_equal(scan(state, "<p>Office hours changed to 9:00-17:00.</p>\n"
	    "<a href=\"/notice/2024.html\">Notice</a>\n<script src=\"/js/app.js\"></script>\n",
	    &r), 0);
}

static void
test_invalid_utf8_does_not_break_scan(void **state)
{
	struct tamper_result r;
	const char bad[] = "\xff\xfe casino \xc3";
	assert_int_equal(tamper_scan(*state, bad, sizeof(bad) - 1, &r), VG_OK);
	assert_true(r.flags & F(TAMPER_SPAM_WORDS));
}

static void
test_describe_names_what_was_injected(void **state)
{
	struct tamper_result r;
	struct vg_buf *b = vg_buf_new(4096);
	scan(state, "<div style=\"display:none\"><a href=\"http://bet.example\">博彩</a></div>", &r);
	assert_int_equal(tamper_describe(&r, b), VG_OK);
	assert_non_null(strstr(vg_buf_ptr(b), "hidden link (<a href=\"http://bet.example\">)"));
	assert_non_null(strstr(vg_buf_ptr(b), "gambling/porn/lottery words (博彩)"));
	vg_buf_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_display_none_link_is_hidden_link),
		cmocka_unit_test(test_offscreen_and_tiny_font_are_flagged),
		cmocka_unit_test(test_chinese_and_english_spam_words),
		cmocka_unit_test(test_external_script_and_iframe),
		cmocka_unit_test(test_redirects_and_meta_refresh),
		cmocka_unit_test(test_obfuscation_and_deface_text),
		cmocka_unit_test(test_plain_edit_has_no_flags),
		cmocka_unit_test(test_invalid_utf8_does_not_break_scan),
		cmocka_unit_test(test_describe_names_what_was_injected),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
