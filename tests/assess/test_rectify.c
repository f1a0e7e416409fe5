/* Unit tests for the rectification list (assess/): a re-run updates instead of
 * duplicating, states and their history, and the recheck flow through a family
 * table (verified only on a pass, a failing recheck reopens a fixed item). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess/assess.h"
#include "core/err.h"
#include "../helpers/tstore.h"
#include "core/event.h"

struct fixture {
	struct tstore ts;
	bool pass;		/* what the fake family's recheck answers */
	int rechecked;
};

static int
fake_recheck(struct assess_ctx *ctx, const struct assess_item *item, bool *passed, char *ev,
    size_t n)
{
	struct fixture *f = ctx->arg;
	f->rechecked++;
	assert_string_equal(item->check_id, "ssh-1");
	assert_string_equal(item->target, "root=/x");
	*passed = f->pass;
	snprintf(ev, n, "%s", f->pass ? "PermitRootLogin no" : "PermitRootLogin yes");
	return VG_OK;
}

static const struct assess_family_ops fake = { .name = "fake", .kind = ASSESS_BASELINE,
	.recheck = fake_recheck };
static const struct assess_family_ops manual = { .name = ASSESS_FAMILY_MANUAL,
	.kind = ASSESS_NOTICE };
static const struct assess_family_ops *const table[] = { &fake, &manual, NULL };

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || tstore_open(&f->ts, "assess") != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	tstore_remove(&f->ts);
	free(f);
	return 0;
}

static struct assess_finding
ssh_finding(const char *evidence)
{
	return (struct assess_finding){ .kind = ASSESS_BASELINE, .family = "fake",
		.check_id = "ssh-1", .asset = "host1", .target = "root=/x",
		.title = "root may log in over SSH", .severity = VG_SEV_HIGH, .evidence = evidence,
		.remediation = "PermitRootLogin no" };
}

static const char *
state_of(struct fixture *f, int64_t id, json_t **keep)
{
	assert_int_equal(assess_item_get(f->ts.st, id, keep), VG_OK);
	return json_string_value(json_object_get(*keep, "state"));
}

static void
test_rerun_updates_not_duplicates(void **state)
{
	struct fixture *f = *state;
	struct assess_finding a = ssh_finding("yes");
	int64_t id1 = 0, id2 = 0;
	bool created = false;
	json_t *list = NULL;

	assert_int_equal(assess_finding_upsert(f->ts.st, &a, &id1, &created), VG_OK);
	assert_true(created);
	a.evidence = "still yes";
	a.severity = VG_SEV_CRITICAL;
	assert_int_equal(assess_finding_upsert(f->ts.st, &a, &id2, &created), VG_OK);
	assert_false(created);
	assert_int_equal(id1, id2);
	assert_int_equal(assess_item_list(f->ts.st, NULL, &list), VG_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "severity")),
	    "critical");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "evidence")),
	    "still yes");
	json_decref(list);
	/* a required field missing is refused */
	a.asset = NULL;
	assert_int_equal(assess_finding_upsert(f->ts.st, &a, &id2, NULL), VG_ERR_INVAL);
}

static void
test_recheck_flow(void **state)
{
	struct fixture *f = *state;
	struct assess_finding a = ssh_finding("PermitRootLogin yes");
	struct assess_ctx ctx = { .st = f->ts.st, .log = &f->ts.log, .actor = "tester", .arg = f };
	json_t *item = NULL, *res = NULL;
	int64_t id;

	assert_int_equal(assess_finding_upsert(f->ts.st, &a, &id, NULL), VG_OK);
	/* a person cannot verify what a check can re-run */
	assert_int_equal(assess_item_set_state(f->ts.st, table, id, ASSESS_VERIFIED, "bob", "trust me"),
	    VG_ERR_INVAL);
	assert_int_equal(assess_item_set_state(f->ts.st, table, id, ASSESS_FIXED, "bob", NULL), VG_OK);
	/* still failing: the fixed item is reopened */
	f->pass = false;
	assert_int_equal(assess_recheck(&ctx, table, &id, 1, &res), VG_OK);
	assert_true(json_is_false(json_object_get(json_array_get(res, 0), "passed")));
	json_decref(res);
	assert_string_equal(state_of(f, id, &item), "open");
	json_t *h = json_object_get(item, "history");
	json_t *last = json_array_get(h, json_array_size(h) - 1);
	assert_string_equal(json_string_value(json_object_get(last, "action")), "reopened");
	assert_string_equal(json_string_value(json_object_get(last, "from")), "fixed");
	assert_string_equal(json_string_value(json_object_get(last, "actor")), "tester");
	json_decref(item);
	/* fixed for real: only the recheck makes it verified */
	f->pass = true;
	assert_int_equal(assess_recheck(&ctx, table, NULL, 0, &res), VG_OK);
	assert_int_equal(json_array_size(res), 1);
	json_decref(res);
	assert_string_equal(state_of(f, id, &item), "verified");
	json_decref(item);
	/* a run finding it again reopens the verified item */
	assert_int_equal(assess_finding_upsert(f->ts.st, &a, NULL, NULL), VG_OK);
	assert_string_equal(state_of(f, id, &item), "open");
	json_decref(item);
	/* accepted risk: a failing recheck does not move it */
	assert_int_equal(assess_item_accept(f->ts.st, id, NULL, "x", "bob"), VG_ERR_INVAL);
	assert_int_equal(assess_item_accept(f->ts.st, id, "ciso", "compensating WAF", "bob"), VG_OK);
	f->pass = false;
	assert_int_equal(assess_recheck(&ctx, table, &id, 1, &res), VG_OK);
	json_decref(res);
	assert_string_equal(state_of(f, id, &item), "accepted");
	assert_string_equal(json_string_value(json_object_get(item, "approver")), "ciso");
	json_decref(item);
	assert_int_equal(f->rechecked, 3);
	int64_t missing = id + 100;
	assert_int_equal(assess_recheck(&ctx, table, &missing, 1, &res), VG_ERR_NOTFOUND);
}

static void
test_manual_items_and_export(void **state)
{
	struct fixture *f = *state;
	struct assess_finding m = { .kind = ASSESS_NOTICE, .family = ASSESS_FAMILY_MANUAL,
		.check_id = "hand", .asset = "www.example.org", .title = "=HYPERLINK(\"x\")",
		.severity = VG_SEV_MEDIUM };
	char *buf = NULL;
	size_t len = 0;
	int64_t id;

	assert_int_equal(assess_finding_upsert(f->ts.st, &m, &id, NULL), VG_OK);
	assert_int_equal(assess_item_assign(f->ts.st, id, "alice", 0, "bob"), VG_OK);
	assert_int_equal(assess_item_set_state(f->ts.st, table, id, ASSESS_VERIFIED, "bob", NULL),
	    VG_ERR_INVAL);
	assert_int_equal(assess_item_set_state(f->ts.st, table, id, ASSESS_VERIFIED, "bob",
	    "seen fixed on site"), VG_OK);
	FILE *out = open_memstream(&buf, &len);
	struct assess_filter all = { .all = true };
	assert_int_equal(assess_export(f->ts.st, &all, true, out), VG_OK);
	fclose(out);
	/* a formula-looking title is defused, the owner is there */
	assert_non_null(strstr(buf, "\"'=HYPERLINK(\"\"x\"\")\""));
	assert_non_null(strstr(buf, "\"alice\""));
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rerun_updates_not_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recheck_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manual_items_and_export, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
