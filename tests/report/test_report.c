/* Unit tests for the report stage's pieces: every word exists in both languages,
 * store text is escaped (attacker bytes), templates fill counts, quantiles, cuts at
 * character boundaries, and a report over an empty store says so per section. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "report/report_int.h"

static void
test_every_word_in_both_languages(void **state)
{
	(void)state;
	for (int i = 0; i < R_COUNT_; i++) {
		assert_string_not_equal(report_str(REPORT_EN, (enum rstr)i), "?");
		assert_string_not_equal(report_str(REPORT_ZH, (enum rstr)i), "?");
	}
	assert_string_equal(report_str(REPORT_ZH, R_DAILY_TITLE), "每日简报");
	assert_string_equal(report_str(REPORT_ZH, R_FINAL_TITLE), "工作总结");
}

static void
test_text_is_escaped(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(4096);
	struct rw w = { .b = b, .lang = REPORT_EN };

	rw_text(&w, "<img src=x onerror=\"alert('1')\">&\x1b[31m\n");
	assert_int_equal(w.err, 0);
	assert_string_equal(vg_buf_ptr(b),
	    "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;\\x1b[31m\\x0a");
	vg_buf_free(b);
}

static void
test_template_fills_counts(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(4096);
	struct rw w = { .b = b, .lang = REPORT_EN };

	rw_tpl(&w, R_ST_ATTACKS, 1234, 5);
	assert_string_equal(vg_buf_ptr(b), "1234 attack events from 5 sources");
	vg_buf_reset(b);
	w.lang = REPORT_ZH;
	rw_tpl(&w, R_ST_ATTACKS, 7, 2);
	assert_string_equal(vg_buf_ptr(b), "共记录攻击 7 次，来自 2 个来源");
	vg_buf_free(b);
}

static void
test_cut_keeps_characters_whole(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(4096);
	struct rw w = { .b = b, .lang = REPORT_EN };

	rw_text_cut(&w, "博彩博彩", 4);	/* 3-byte characters: 4 bytes hold one */
	assert_string_equal(vg_buf_ptr(b), "博&hellip;");
	vg_buf_reset(b);
	rw_text_cut(&w, "<b>", 10);
	assert_string_equal(vg_buf_ptr(b), "&lt;b&gt;");
	vg_buf_free(b);
}

static void
test_quantiles_by_nearest_rank(void **state)
{
	(void)state;
	int64_t v[] = { 50, 10, 40, 20, 30, 100, 90, 80, 70, 60 };
	assert_int_equal(report_quantile(v, 10, 0.5), 50);
	assert_int_equal(report_quantile(v, 10, 0.9), 90);
	assert_int_equal(report_quantile(v, 1, 0.9), 10);
	assert_int_equal(report_quantile(v, 0, 0.5), 0);
}

static void
test_writer_errors_are_sticky(void **state)
{
	(void)state;
	struct vg_buf *b = vg_buf_new(8);
	struct rw w = { .b = b, .lang = REPORT_EN };

	rw_raw(&w, "0123456789");
	assert_int_equal(w.err, VG_ERR_LIMIT);
	rw_raw(&w, "x");
	assert_int_equal(vg_buf_len(b), 0);
	vg_buf_free(b);
}

/* An empty store: each section says so in one line, no chart is drawn. */
static void
test_empty_store_says_so(void **state)
{
	(void)state;
	char dir[] = "/tmp/vigil-report-unit.XXXXXX", path[64], err[256];
	struct vg_store *st = NULL;
	struct vg_buf *b = vg_buf_new(REPORT_HTML_MAX);
	struct vg_config cfg;
	struct report_opts o = { .kind = REPORT_DAILY, .lang = REPORT_EN, .now_us = 2000000,
		.from_us = 0, .to_us = 86400000000LL, .cfg = &cfg };

	memset(&cfg, 0, sizeof(cfg));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	assert_int_equal(store_open("sqlite", path, NULL, &st, err, sizeof(err)), VG_OK);
	assert_int_equal(report_render(st, &o, b), VG_OK);
	assert_non_null(strstr(vg_buf_ptr(b), "No attacks recorded in this period."));
	assert_non_null(strstr(vg_buf_ptr(b), "No incidents in this period."));
	assert_non_null(strstr(vg_buf_ptr(b), "Nothing waits for a decision."));
	assert_null(strstr(vg_buf_ptr(b), "<svg"));
	assert_null(strstr(vg_buf_ptr(b), "<script"));
	vg_buf_reset(b);
	o.kind = REPORT_FINAL;
	o.lang = REPORT_ZH;
	assert_int_equal(report_render(st, &o, b), VG_OK);
	assert_non_null(strstr(vg_buf_ptr(b), "工作总结"));
	store_close(st);
	vg_buf_free(b);
	snprintf(path, sizeof(path), "%s/s.db", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/s.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/s.db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_word_in_both_languages),
		cmocka_unit_test(test_text_is_escaped),
		cmocka_unit_test(test_template_fills_counts),
		cmocka_unit_test(test_cut_keeps_characters_whole),
		cmocka_unit_test(test_quantiles_by_nearest_rank),
		cmocka_unit_test(test_writer_errors_are_sticky),
		cmocka_unit_test(test_empty_store_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
