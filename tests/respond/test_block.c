/* Unit tests for block targets (parsing, canonical form, containment) and the
 * active-block table (covering networks, expiry), plus decisions in dry-run mode
 * against a real store: allowlist, already-covered, caps and escalation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "respond/block.h"
#include "respond/block_table.h"

static struct block_target
T(const char *s)
{
	struct block_target t;
	assert_int_equal(block_target_parse(s, &t), VG_OK);
	return t;
}

static void
test_parse_canonicalises_and_formats(void **state)
{
	(void)state;
	char buf[BLOCK_TARGET_MAX];
	struct block_target t = T("10.1.2.3/8");
	block_target_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/8");
	t = T("2001:db8::1");
	block_target_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1");
	t = T("::ffff:198.51.100.7");	/* how dual-stack servers log IPv4 clients */
	block_target_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, "198.51.100.7");
	assert_int_equal(t.family, 4);
	struct block_target bad;
	assert_int_equal(block_target_parse("10.0.0.0/33", &bad), VG_ERR_PARSE);
	assert_int_equal(block_target_parse("host.example", &bad), VG_ERR_PARSE);
	assert_int_equal(block_target_parse("1.2.3.4/", &bad), VG_ERR_PARSE);
	assert_int_equal(block_target_parse("1.2.3.4/8x", &bad), VG_ERR_PARSE);
	assert_int_equal(block_target_parse("", &bad), VG_ERR_PARSE);
}

static void
test_contains_respects_prefix_bits(void **state)
{
	(void)state;
	struct block_target net = T("10.1.0.0/17"), in = T("10.1.127.255"), out = T("10.1.128.0");
	assert_true(block_target_contains(&net, &in));
	assert_false(block_target_contains(&net, &out));
	assert_false(block_target_contains(&in, &net));
	struct block_target v6 = T("2001:db8::/32"), a6 = T("2001:db8:ffff::1");
	assert_true(block_target_contains(&v6, &a6));
	assert_false(block_target_contains(&v6, &in));
}

static void
test_table_finds_covering_network_and_expires(void **state)
{
	(void)state;
	struct block_table tab;
	struct block_target net = T("10.0.0.0/8"), host = T("10.9.9.9"), other = T("11.0.0.1");
	size_t nets;
	assert_int_equal(block_table_init(&tab), VG_OK);
	assert_int_equal(block_table_put(&tab, &net, 1000), VG_OK);
	const struct block_slot *s = block_table_covering(&tab, &host, false, 10);
	assert_non_null(s);
	assert_int_equal(s->t.prefix, 8);
	assert_null(block_table_covering(&tab, &other, false, 10));
	assert_null(block_table_covering(&tab, &net, true, 10));	/* strict: itself does not count */
	assert_null(block_table_covering(&tab, &host, false, 1000));	/* expired at its time */
	/* Growth past the initial size keeps every entry findable. */
	for (int i = 0; i < 5000; i++) {
		struct block_target t = T("192.0.2.1");
		t.addr[2] = (uint8_t)(i >> 8);
		t.addr[3] = (uint8_t)i;
		assert_int_equal(block_table_put(&tab, &t, 500), VG_OK);
	}
	assert_int_equal(tab.n_live, 5001);
	assert_int_equal(block_table_expire(&tab, 600, &nets), 5000);
	assert_int_equal(nets, 0);
	assert_int_equal(tab.n_live, 1);
	assert_non_null(block_table_get(&tab, &net, 600));
	block_table_free(&tab);
}

static void
test_dry_run_decisions(void **state)
{
	(void)state;
	char dir[] = "/tmp/vigil-block-test.XXXXXX", path[512], err[256], *errors = NULL;
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	struct blocker *b = NULL;
	struct vg_logger log = { .level = VG_LOG_ERROR };
	enum block_outcome o;
	static const char yaml[] = "block: {dry_run: true, allowlist: [192.0.2.0/24],"
				   " max_per_minute: 2, durations: [1m, 1h]}\n";

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	assert_int_equal(vg_config_load_string("t.yaml", yaml, sizeof(yaml) - 1, dir, &cfg,
	    &errors, NULL), VG_OK);
	assert_int_equal(store_open("sqlite", path, &log, &st, err, sizeof(err)), VG_OK);
	assert_int_equal(block_open(cfg, st, &log, &b, err, sizeof(err)), VG_OK);

	struct block_request rq = { .t = T("192.0.2.9"), .actor = "rule:x", .automatic = true };
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	assert_int_equal(o, BLOCK_ALLOWLISTED);
	rq.t = T("192.0.0.0/16");	/* contains an allowed network */
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	assert_int_equal(o, BLOCK_ALLOWLISTED);
	rq.t = T("203.0.113.5");
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	assert_int_equal(o, BLOCK_DRY_RUN);
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	assert_int_equal(o, BLOCK_ALREADY);
	rq.t = T("203.0.113.6");
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	rq.t = T("203.0.113.7");	/* third automatic block in the minute */
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	assert_int_equal(o, BLOCK_CAPPED);
	rq.automatic = false;	/* an analyst is not held by the per-minute cap */
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	assert_int_equal(o, BLOCK_DRY_RUN);

	json_t *list = NULL;
	assert_int_equal(block_list(st, true, &list), VG_OK);
	assert_int_equal(json_array_size(list), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "state")),
	    "dry_run");
	json_decref(list);

	block_close(b);
	store_close(st);
	vg_config_free(cfg);
	free(errors);
	static const char *const files[] = { "s.db", "s.db-wal", "s.db-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* A block written inside a transaction that rolls back (a watch round) is not
 * lost: the re-raised alert writes it again, linked; without one, the next tick
 * does. */
static void
test_rolled_back_record_is_written_again(void **state)
{
	(void)state;
	char dir[] = "/tmp/vigil-block-test.XXXXXX", path[512], err[256], *errors = NULL;
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	struct blocker *b = NULL;
	struct vg_logger log = { .level = VG_LOG_ERROR };
	enum block_outcome o;
	json_t *list = NULL;
	static const char yaml[] = "block: {dry_run: true}\n";

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.db", dir);
	assert_int_equal(vg_config_load_string("t.yaml", yaml, sizeof(yaml) - 1, dir, &cfg,
	    &errors, NULL), VG_OK);
	assert_int_equal(store_open("sqlite", path, &log, &st, err, sizeof(err)), VG_OK);
	assert_int_equal(block_open(cfg, st, &log, &b, err, sizeof(err)), VG_OK);

	struct block_request rq = { .t = T("203.0.113.5"), .actor = "rule:x", .automatic = true };
	assert_int_equal(store_begin(st), VG_OK);
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	assert_int_equal(o, BLOCK_DRY_RUN);
	rq.t = T("203.0.113.6");
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	assert_int_equal(store_rollback(st), VG_OK);
	assert_int_equal(block_list(st, true, &list), VG_OK);
	assert_int_equal(json_array_size(list), 0);	/* both rows went with the round */
	json_decref(list);

	/* The round comes again and re-raises the first alert. */
	rq.t = T("203.0.113.5");
	assert_int_equal(block_add(b, &rq, &o, NULL), VG_OK);
	assert_int_equal(o, BLOCK_ALREADY);
	assert_int_equal(block_list(st, true, &list), VG_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "target")),
	    "203.0.113.5");
	json_decref(list);
	/* The second one's alert never comes back: the tick writes it. */
	assert_int_equal(block_tick(b, vg_now_us()), VG_OK);
	assert_int_equal(block_list(st, true, &list), VG_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	/* Committed rows are settled, not written twice. */
	assert_int_equal(block_tick(b, vg_now_us()), VG_OK);
	assert_int_equal(block_tick(b, vg_now_us()), VG_OK);
	assert_int_equal(block_list(st, true, &list), VG_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);

	block_close(b);
	store_close(st);
	vg_config_free(cfg);
	free(errors);
	static const char *const files[] = { "s.db", "s.db-wal", "s.db-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_canonicalises_and_formats),
		cmocka_unit_test(test_contains_respects_prefix_bits),
		cmocka_unit_test(test_table_finds_covering_network_and_expires),
		cmocka_unit_test(test_dry_run_decisions),
		cmocka_unit_test(test_rolled_back_record_is_written_again),
	};
	return cmocka_run_group_tests_name("block", tests, NULL, NULL);
}
