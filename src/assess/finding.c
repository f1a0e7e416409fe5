/* Findings into rectification items: the upsert every check family calls, and the
 * outcome of a recheck. State changes and their history row commit together, and
 * each also goes to the audit log, as cases/ does for incidents. */
#include "assess/assess_int.h"
#include "assess/sql_assess.h"
#include "core/err.h"
#include "core/event.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = { "vuln", "exposure", "baseline", "checklist", "notice" };
static const char *const state_names[] = { "open", "fixing", "fixed", "verified", "accepted" };
#define N_KINDS (sizeof(kind_names) / sizeof(kind_names[0]))
#define N_STATES (sizeof(state_names) / sizeof(state_names[0]))

const char *
assess_kind_name(enum assess_kind k)
{
	return (unsigned)k < N_KINDS ? kind_names[k] : "?";
}

const char *
assess_state_name(enum assess_state s)
{
	return (unsigned)s < N_STATES ? state_names[s] : "?";
}

int
assess_kind_parse(const char *s, enum assess_kind *out)
{
	for (size_t i = 0; s && i < N_KINDS; i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum assess_kind)i;
			return VG_OK;
		}
	return VG_ERR_INVAL;
}

int
assess_state_parse(const char *s, enum assess_state *out)
{
	for (size_t i = 0; s && i < N_STATES; i++)
		if (strcmp(s, state_names[i]) == 0) {
			*out = (enum assess_state)i;
			return VG_OK;
		}
	return VG_ERR_INVAL;
}

int
assess_fail(struct vg_store *st, int r)
{
	store_rollback(st);
	return r;
}

int
assess_history(struct vg_store *st, int64_t id, const char *actor, const char *action,
    const char *from, const char *to, const char *comment)
{
	struct store_val b[] = { SV_INT(id), SV_INT(vg_now_us()), SV_TEXT(actor ? actor : "vigil"),
		SV_TEXT(action), SV_TEXT(from), SV_TEXT(to), SV_TEXT(comment) };
	char detail[256];
	int r;

	if ((r = store_exec(st, SQL_ASSESS_HISTORY_ADD, b, 7, NULL, NULL)) != VG_OK)
		return r;
	snprintf(detail, sizeof(detail), "item %lld%s%s%s%s", (long long)id, from ? " " : "",
	    from ? from : "", to ? " -> " : "", to ? to : "");
	return store_audit(st, actor ? actor : "vigil", action, detail);
}

int
assess_set_state_tx(struct vg_store *st, int64_t id, const char *from, enum assess_state to,
    const char *actor, const char *action, const char *comment)
{
	struct store_val b[] = { SV_INT(id), SV_TEXT(assess_state_name(to)), SV_INT(vg_now_us()) };
	int r;

	if ((r = store_exec(st, SQL_ASSESS_SET_STATE, b, 3, NULL, NULL)) != VG_OK)
		return r;
	return assess_history(st, id, actor, action, from, assess_state_name(to), comment);
}

/* "family|check|asset", the key a finding gets when its family gives none. */
static int
default_key(const struct assess_finding *f, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s|%s|%s", f->family, f->check_id, f->asset);
	return n < 0 || (size_t)n >= size ? VG_ERR_LIMIT : VG_OK;
}

static int
upsert_tx(struct vg_store *st, const struct assess_finding *f, const char *key, int64_t *id,
    bool *created)
{
	int64_t now = vg_now_us();
	json_t *row = NULL;
	int r;

	struct store_val k[] = { SV_TEXT(key) };
	r = store_query_one(st, SQL_ASSESS_BY_KEY, k, 1, &row);
	if (r == VG_ERR_NOTFOUND) {
		struct store_val b[] = { SV_TEXT(key), SV_TEXT(assess_kind_name(f->kind)),
			SV_TEXT(f->family), SV_TEXT(f->check_id), SV_TEXT(f->asset),
			f->service_id > 0 ? SV_INT(f->service_id) : SV_NULL, SV_TEXT(f->target),
			SV_TEXT(f->ref), SV_TEXT(f->title), SV_INT(f->severity), SV_TEXT(f->evidence),
			SV_TEXT(f->remediation), SV_TEXT(f->fix_script), SV_INT(now),
			f->asset_id > 0 ? SV_INT(f->asset_id) : SV_NULL };
		if ((r = store_exec(st, SQL_ASSESS_INSERT, b, 15, id, NULL)) != VG_OK)
			return r;
		*created = true;
		return assess_history(st, *id, f->actor, "found", NULL, "open", f->evidence);
	}
	if (r != VG_OK)
		return r;
	*id = json_integer_value(json_object_get(row, "id"));
	const char *state = json_string_value(json_object_get(row, "state"));
	struct store_val u[] = { SV_INT(*id), SV_TEXT(f->title), SV_INT(f->severity),
		SV_TEXT(f->evidence), SV_TEXT(f->remediation), SV_TEXT(f->fix_script),
		SV_TEXT(f->target), SV_TEXT(f->ref), SV_INT(now),
		f->service_id > 0 ? SV_INT(f->service_id) : SV_NULL };
	if ((r = store_exec(st, SQL_ASSESS_REFRESH, u, 10, NULL, NULL)) == VG_OK && state &&
	    (strcmp(state, "fixed") == 0 || strcmp(state, "verified") == 0))
		/* someone said it was fixed, but the run found it again */
		r = assess_set_state_tx(st, *id, state, ASSESS_OPEN, f->actor, "reopened",
		    f->evidence && *f->evidence ? f->evidence : "found failing again by a run");
	json_decref(row);
	return r;
}

int
assess_finding_upsert(struct vg_store *st, const struct assess_finding *f, int64_t *item_id,
    bool *created)
{
	char keybuf[1024];
	const char *key = f ? f->key : NULL;
	int64_t id = 0;
	bool isnew = false;
	int r;

	if (item_id)
		*item_id = 0;
	if (created)
		*created = false;
	if (!f || !f->family || !*f->family || !f->check_id || !*f->check_id || !f->asset ||
	    !*f->asset || !f->title || !*f->title || (unsigned)f->kind >= N_KINDS ||
	    f->severity < VG_SEV_INFO || f->severity > VG_SEV_CRITICAL)
		return VG_ERR_INVAL;
	if (!key || !*key) {
		if ((r = default_key(f, keybuf, sizeof(keybuf))) != VG_OK)
			return r;
		key = keybuf;
	}
	if ((r = store_begin(st)) != VG_OK)
		return r;
	if ((r = upsert_tx(st, f, key, &id, &isnew)) != VG_OK)
		return assess_fail(st, r);
	if ((r = store_commit(st)) != VG_OK)
		return assess_fail(st, r);
	if (item_id)
		*item_id = id;
	if (created)
		*created = isnew;
	return VG_OK;
}

int
assess_item_checked(struct vg_store *st, int64_t id, bool passed, const char *evidence,
    const char *actor, enum assess_state *to)
{
	json_t *row = NULL;
	enum assess_state from = ASSESS_OPEN, next;
	int r;

	if ((r = store_begin(st)) != VG_OK)
		return r;
	struct store_val k[] = { SV_INT(id) };
	if ((r = store_query_one(st, SQL_ASSESS_ITEM, k, 1, &row)) != VG_OK)
		return assess_fail(st, r);
	const char *fs = json_string_value(json_object_get(row, "state"));
	if (assess_state_parse(fs, &from) != VG_OK) {
		json_decref(row);
		return assess_fail(st, VG_ERR_STORE);
	}
	next = from;
	if (from != ASSESS_ACCEPTED)
		next = passed ? ASSESS_VERIFIED
			      : (from == ASSESS_FIXED || from == ASSESS_VERIFIED ? ASSESS_OPEN : from);
	struct store_val c[] = { SV_INT(id), SV_INT(vg_now_us()), SV_INT(passed ? 1 : 0),
		SV_TEXT(evidence) };
	if ((r = store_exec(st, SQL_ASSESS_CHECKED, c, 4, NULL, NULL)) != VG_OK)
		goto fail;
	if (next != from)
		r = assess_set_state_tx(st, id, fs, next, actor,
		    passed ? "verified" : "reopened",
		    passed ? (evidence && *evidence ? evidence : "recheck passed")
			   : (evidence && *evidence ? evidence : "recheck failed"));
	else
		r = assess_history(st, id, actor, passed ? "recheck-passed" : "recheck-failed", fs,
		    fs, evidence);
	if (r != VG_OK)
		goto fail;
	json_decref(row);
	if ((r = store_commit(st)) != VG_OK)
		return assess_fail(st, r);
	if (to)
		*to = next;
	return VG_OK;
fail:
	json_decref(row);
	return assess_fail(st, r);
}

int
assess_item_by_key(struct vg_store *st, const char *key, int64_t *id, enum assess_state *state)
{
	struct store_val k[] = { SV_TEXT(key) };
	json_t *row = NULL;
	int r;

	*id = 0;
	if ((r = store_query_one(st, SQL_ASSESS_BY_KEY, k, 1, &row)) != VG_OK)
		return r;
	*id = json_integer_value(json_object_get(row, "id"));
	r = assess_state_parse(json_string_value(json_object_get(row, "state")), state);
	json_decref(row);
	return r == VG_OK ? VG_OK : VG_ERR_STORE;
}
