/* Unit tests for notify/: templates in both languages, robot signatures against
 * independently computed values, routing, idempotent enqueue, retries with
 * back-off, digests under a rate limit, using command channels (/bin/true,
 * /bin/false) so no network is involved. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "notify/notify.h"

struct fixture {
	char dir[64], path[128];
	struct vg_config *cfg;
	struct vg_store *st;
	struct notify *nt;
	struct vg_logger log;
};

static const char *const config_text =
    "notify:\n"
    "  max_backoff: 4s\n"
    "  channels:\n"
    "    - {name: ok, type: command, command: [/bin/true], rate: 0}\n"
    "    - {name: down, type: command, command: [/bin/false], rate: 0}\n"
    "    - {name: slow, type: command, command: [/bin/true], rate: 3, digest: true}\n"
    "  routes:\n"
    "    - {min_severity: high, kinds: [incident], channels: [ok, down]}\n"
    "    - {channels: [ok], kinds: [notice]}\n"
    "    - {channels: [slow], kinds: [test]}\n";

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *errors = NULL, *warnings = NULL, err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-notify-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/v.db", f->dir);
	f->log.level = VG_LOG_ERROR;
	if (vg_config_load_string("t.yaml", config_text, strlen(config_text), f->dir, &f->cfg,
		&errors, &warnings) != VG_OK) {
		fprintf(stderr, "%s", errors ? errors : "config");
		return -1;
	}
	free(warnings);
	if (notify_config_check(f->cfg, err, sizeof(err)) != VG_OK ||
	    store_open("sqlite", f->path, &f->log, &f->st, err, sizeof(err)) != VG_OK ||
	    notify_open(f->st, f->cfg, &f->log, &f->nt) != VG_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = { "v.db", "v.db-wal", "v.db-shm" };
	char p[192];
	notify_close(f->nt);
	store_close(f->st);
	vg_config_free(f->cfg);
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", f->dir, files[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static json_int_t
stat_of(struct fixture *f, const char *k)
{
	json_t *s = NULL;
	json_int_t v;
	assert_int_equal(notify_outbox_stats(f->nt, &s), VG_OK);
	v = json_integer_value(json_object_get(s, k));
	json_decref(s);
	return v;
}

static void
test_templates_render_english_and_chinese(void **state)
{
	struct vg_channel_cfg en = { .language = "en" }, zh = { .language = "zh" },
			      own = { .template_text = "{title} / {nope} / {id} {unclosed" };
	json_t *msg = json_pack("{s:i, s:s, s:s, s:s, s:s, s:i}", "id", 7, "title", "SQLi on /login",
	    "severity", "critical", "state", "new", "source_ip", "203.0.113.7", "alert_count", 3);
	char *title, *text;
	(void)state;

	assert_int_equal(notify_render(&en, "incident", msg, &title, &text), VG_OK);
	assert_string_equal(title, "[critical] Incident #7: SQLi on /login");
	assert_non_null(strstr(text, "Source 203.0.113.7"));
	assert_non_null(strstr(text, "3 alerts"));
	free(title);
	free(text);
	assert_int_equal(notify_render(&zh, "incident", msg, &title, &text), VG_OK);
	assert_string_equal(title, "【严重】安全事件 #7：SQLi on /login");
	assert_non_null(strstr(text, "状态：待确认"));
	free(title);
	free(text);
	assert_int_equal(notify_render(&own, "incident", msg, &title, &text), VG_OK);
	assert_string_equal(text, "SQLi on /login / - / 7 {unclosed");
	free(title);
	free(text);
	json_decref(msg);
}

static void
test_robot_signatures_match_reference(void **state)
{
	char out[160];
	(void)state;
	/* Reference values from Python's hmac/base64/urllib (see the commit). */
	assert_int_equal(notify_sign_dingtalk("SECabc", 1700000000000LL, out, sizeof(out)), VG_OK);
	assert_string_equal(out, "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D");
	assert_int_equal(notify_sign_feishu("s3", 1700000000LL, out, sizeof(out)), VG_OK);
	assert_string_equal(out, "eadg3K8D5pJHina1SanWPdQUcpqxvN+0kGvFxsngPzI=");
}

static void
test_routing_and_idempotent_enqueue(void **state)
{
	struct fixture *f = *state;
	json_t *msg = json_pack("{s:s}", "title", "x");
	size_t n = 0;

	assert_int_equal(notify_enqueue(f->nt, "incident", 2, "incident-1-new", msg, &n), VG_OK);
	assert_int_equal(n, 0);	/* below the route's min_severity */
	assert_int_equal(notify_enqueue(f->nt, "incident", 4, "incident-2-new", msg, &n), VG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(notify_enqueue(f->nt, "incident", 4, "incident-2-new", msg, &n), VG_OK);
	assert_int_equal(n, 0);	/* same key: nothing new */
	assert_int_equal(notify_enqueue(f->nt, "notice", 0, "notice-1-new", msg, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(stat_of(f, "pending"), 3);
	json_decref(msg);
}

static void
test_failed_sends_back_off_and_are_kept(void **state)
{
	struct fixture *f = *state;
	json_t *msg = json_pack("{s:s}", "title", "x"), *rows = NULL;
	struct notify_pass p;
	int64_t now;

	assert_int_equal(notify_enqueue(f->nt, "incident", 4, "incident-9-new", msg, NULL), VG_OK);
	now = vg_now_us();
	assert_int_equal(notify_flush(f->nt, now, &p), VG_OK);
	assert_int_equal(p.sent, 1);	/* ok */
	assert_int_equal(p.failed, 1);	/* down */
	assert_int_equal(p.pending, 1);
	/* Not due again before its back-off (1s after the first failure). */
	assert_int_equal(notify_flush(f->nt, now + 100000, &p), VG_OK);
	assert_int_equal(p.failed + p.sent, 0);
	assert_int_equal(notify_flush(f->nt, vg_now_us() + 1100000, &p), VG_OK);
	assert_int_equal(p.failed, 1);
	assert_int_equal(notify_outbox_list(f->nt, "pending", 0, &rows), VG_OK);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "attempts")), 2);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(rows, 0),
				   "last_error")), "exit 1"));
	json_decref(rows);
	json_decref(msg);
}

static void
test_flood_beyond_rate_becomes_one_digest(void **state)
{
	struct fixture *f = *state;
	struct notify_pass p;
	char key[32];

	for (int i = 0; i < 20; i++) {
		json_t *msg = json_pack("{s:s, s:s}", "title", "flood", "severity", "high");
		snprintf(key, sizeof(key), "t-%d", i);
		assert_int_equal(notify_enqueue(f->nt, "test", 3, key, msg, NULL), VG_OK);
		json_decref(msg);
	}
	assert_int_equal(notify_flush(f->nt, vg_now_us(), &p), VG_OK);
	assert_int_equal(p.digested, 20);
	assert_int_equal(p.sent, 1);
	assert_int_equal(p.pending, 0);
	assert_int_equal(stat_of(f, "digested"), 20);
	assert_int_equal(stat_of(f, "sent"), 1);
}

/* `notify test` and `notify flush`: a test message reaches its one channel, bypassing
 * routes; flushing until empty sums its passes and stops once nothing is pending. */
static void
test_test_message_then_flush_until_empty(void **state)
{
	struct fixture *f = *state;
	struct notify_pass total;
	char key[64];

	assert_true(notify_has_channel(f->nt, "ok"));
	assert_false(notify_has_channel(f->nt, "nope"));
	assert_int_equal(notify_test(f->nt, "nope", NULL, 0, key, sizeof(key)), VG_ERR_NOTFOUND);
	assert_int_equal(notify_test(f->nt, "ok", "hi", 3, key, sizeof(key)), VG_OK);
	assert_int_equal(strncmp(key, "test-", 5), 0);
	assert_int_equal(stat_of(f, "pending"), 1);
	assert_int_equal(notify_flush_until(f->nt, 60, &total), VG_OK);
	assert_int_equal(total.sent, 1);
	assert_int_equal(total.pending, 0);
	assert_int_equal(stat_of(f, "sent"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_templates_render_english_and_chinese),
		cmocka_unit_test(test_robot_signatures_match_reference),
		cmocka_unit_test_setup_teardown(test_routing_and_idempotent_enqueue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_sends_back_off_and_are_kept, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_test_message_then_flush_until_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_flood_beyond_rate_becomes_one_digest, setup,
		    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
