/* The rectification list as people work it: list, show, assign, move, accept. A
 * person may say "fixing" or "fixed"; only a passing recheck says "verified"
 * (except for hand-entered items no family can recheck, where a person's
 * recheck note stands in for it). */
#include "assess/assess_int.h"
#include "assess/sql_assess.h"
#include "core/err.h"
#include "core/event.h"

#include <stdio.h>
#include <string.h>

static void
json_time(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	char buf[40];

	if (!json_is_integer(v))
		return;
	vg_time_format(json_integer_value(v), buf, sizeof(buf));
	json_object_set_new(o, key, json_string(buf));
}

void
assess_decorate(json_t *row, int64_t now_us)
{
	static const char *const times[] = { "deadline", "found_at", "last_seen", "updated_at",
		"fixed_at", "verified_at", "checked_at", "at" };
	json_t *dl = json_object_get(row, "deadline");
	const char *st = json_string_value(json_object_get(row, "state"));
	json_t *sev = json_object_get(row, "severity");
	json_t *cp = json_object_get(row, "check_passed");

	if (json_is_integer(dl) && st && strcmp(st, "verified") != 0 && strcmp(st, "accepted") != 0)
		json_object_set_new(row, "overdue", json_boolean(json_integer_value(dl) < now_us));
	else if (json_object_get(row, "state"))
		json_object_set_new(row, "overdue", json_false());
	if (json_is_integer(sev))
		json_object_set_new(row, "severity",
		    json_string(vg_severity_name((enum vg_severity)json_integer_value(sev))));
	if (json_is_integer(cp))
		json_object_set_new(row, "check_passed", json_boolean(json_integer_value(cp) != 0));
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		json_time(row, times[i]);
}

int
assess_item_list(struct vg_store *st, const struct assess_filter *f, json_t **out)
{
	static const struct assess_filter none;
	json_t *rows = NULL, *row;
	size_t i;
	int r;

	*out = NULL;
	if (!f)
		f = &none;
	struct store_val b[] = { SV_TEXT(f->state), SV_TEXT(f->kind), SV_TEXT(f->asset),
		SV_TEXT(f->family), SV_INT(f->all ? 1 : 0), SV_INT(f->min_severity),
		SV_INT(f->limit ? (int64_t)f->limit : -1) };
	if ((r = store_query(st, SQL_ASSESS_LIST, b, 7, 0, &rows)) != VG_OK)
		return r;
	int64_t now = vg_now_us();
	json_array_foreach(rows, i, row)
		assess_decorate(row, now);
	*out = rows;
	return VG_OK;
}

int
assess_item_get(struct vg_store *st, int64_t id, json_t **out)
{
	json_t *row = NULL, *hist = NULL, *h;
	size_t i;
	int r;

	*out = NULL;
	struct store_val b[] = { SV_INT(id) };
	if ((r = store_query_one(st, SQL_ASSESS_GET, b, 1, &row)) != VG_OK)
		return r;
	if ((r = store_query(st, SQL_ASSESS_HISTORY, b, 1, 0, &hist)) != VG_OK) {
		json_decref(row);
		return r;
	}
	int64_t now = vg_now_us();
	assess_decorate(row, now);
	json_array_foreach(hist, i, h)
		assess_decorate(h, now);
	json_object_set_new(row, "history", hist);
	*out = row;
	return VG_OK;
}

/* One change to item id, in one transaction: fn gets the item's row and state and
 * writes the change and its history; rolled back when fn fails. VG_ERR_NOTFOUND. */
struct change {
	const struct assess_family_ops *const *table;
	const char *actor, *owner, *note, *approver, *reason;
	int64_t deadline_us;
	enum assess_state to;
};
typedef int (*change_fn)(struct vg_store *st, int64_t id, const json_t *row,
    enum assess_state from, const struct change *c);

static int
with_item(struct vg_store *st, int64_t id, change_fn fn, const struct change *c)
{
	struct store_val b[] = { SV_INT(id) };
	enum assess_state from;
	json_t *row = NULL;
	int r;

	if ((r = store_begin(st)) != VG_OK)
		return r;
	if ((r = store_query_one(st, SQL_ASSESS_ITEM, b, 1, &row)) == VG_OK) {
		if (assess_state_parse(json_string_value(json_object_get(row, "state")), &from) != VG_OK)
			r = VG_ERR_STORE;
		else
			r = fn(st, id, row, from, c);
	}
	json_decref(row);
	if (r != VG_OK)
		return assess_fail(st, r);
	return store_commit(st) == VG_OK ? VG_OK : assess_fail(st, VG_ERR_STORE);
}

static int
assign_fn(struct vg_store *st, int64_t id, const json_t *row, enum assess_state from,
    const struct change *c)
{
	bool has_owner = c->owner && *c->owner;
	char note[256], dl[40] = "";
	int r;
	(void)row, (void)from;

	struct store_val b[] = { SV_INT(id), SV_TEXT(has_owner ? c->owner : NULL),
		SV_INT(c->deadline_us), SV_INT(vg_now_us()) };
	if ((r = store_exec(st, SQL_ASSESS_ASSIGN, b, 4, NULL, NULL)) != VG_OK)
		return r;
	if (c->deadline_us > 0)
		vg_time_format(c->deadline_us, dl, sizeof(dl));
	snprintf(note, sizeof(note), "%s%s%s%s", has_owner ? "owner " : "",
	    has_owner ? c->owner : "", *dl ? " deadline " : "", dl);
	return assess_history(st, id, c->actor, "assign", NULL, NULL, note);
}

int
assess_item_assign(struct vg_store *st, int64_t id, const char *owner, int64_t deadline_us,
    const char *actor)
{
	struct change c = { .actor = actor, .owner = owner, .deadline_us = deadline_us };

	if ((!owner || !*owner) && deadline_us <= 0)
		return VG_ERR_INVAL;
	return with_item(st, id, assign_fn, &c);
}

static int
state_fn(struct vg_store *st, int64_t id, const json_t *row, enum assess_state from,
    const struct change *c)
{
	if (c->to == ASSESS_VERIFIED) {
		/* a person's word verifies only what no check can re-run */
		const struct assess_family_ops *fam = assess_family_find(c->table,
		    json_string_value(json_object_get(row, "family")));
		if ((fam && fam->recheck) || !c->note || !*c->note)
			return VG_ERR_INVAL;
	}
	if (from == c->to)
		return VG_ERR_INVAL;
	return assess_set_state_tx(st, id, assess_state_name(from), c->to, c->actor,
	    c->to == ASSESS_VERIFIED ? "verified-by-hand" : "set-state", c->note);
}

int
assess_item_set_state(struct vg_store *st, const struct assess_family_ops *const *table,
    int64_t id, enum assess_state to, const char *actor, const char *note)
{
	struct change c = { .table = table, .actor = actor, .note = note, .to = to };

	if (to == ASSESS_ACCEPTED)
		return VG_ERR_INVAL;
	return with_item(st, id, state_fn, &c);
}

static int
accept_fn(struct vg_store *st, int64_t id, const json_t *row, enum assess_state from,
    const struct change *c)
{
	char note[512];
	int r;
	(void)row;

	struct store_val b[] = { SV_INT(id), SV_TEXT(c->approver), SV_TEXT(c->reason),
		SV_INT(vg_now_us()) };
	if ((r = store_exec(st, SQL_ASSESS_ACCEPT, b, 4, NULL, NULL)) != VG_OK)
		return r;
	snprintf(note, sizeof(note), "approved by %s: %s", c->approver, c->reason);
	return assess_history(st, id, c->actor, "accept", assess_state_name(from), "accepted", note);
}

int
assess_item_accept(struct vg_store *st, int64_t id, const char *approver, const char *reason,
    const char *actor)
{
	struct change c = { .actor = actor, .approver = approver, .reason = reason };

	if (!approver || !*approver || !reason || !*reason)
		return VG_ERR_INVAL;
	return with_item(st, id, accept_fn, &c);
}
