/* Notices from regulators and supervising units (vulnerability, incident and
 * internet-asset notices): tracked with owner and deadline, closed only with a
 * re-check verdict, and closing writes the feedback text to send back. */
#include "cases/cases_int.h"
#include "cases/sql_notice.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = { "vulnerability", "incident", "asset", NULL };
static const char *const verdicts[] = { "fixed", "mitigated", "not_affected", "accepted", NULL };
static const char *const verdicts_zh[] = { "已修复", "已缓解", "不受影响", "风险已接受", NULL };

static int
choice(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

static int
history_add(struct cases *cs, int64_t id, const char *actor, const char *action,
    const char *comment)
{
	struct store_val b[] = { SV_INT(id), SV_INT(vg_now_us()), SV_TEXT(actor), SV_TEXT(action),
		SV_TEXT(comment) };
	return store_exec(cs->st, SQL_NOTICE_HISTORY_ADD, b, 5, NULL, NULL);
}

int
cases_notice_check(const struct cases_notice *n)
{
	if (choice(kinds, n->kind) < 0 || !n->title || !*n->title || !n->asset || !*n->asset ||
	    n->severity < VG_SEV_INFO || n->severity > VG_SEV_CRITICAL)
		return VG_ERR_INVAL;
	return VG_OK;
}

int
cases_notice_insert(struct cases *cs, const struct cases_notice *n, const char *actor,
    int64_t *id, bool *dup)
{
	json_t *row = NULL;
	int r;

	*dup = false;
	*id = 0;
	if (n->ref && *n->ref) {
		struct store_val e[] = { SV_TEXT(n->issuer), SV_TEXT(n->ref) };
		r = store_query_one(cs->st, SQL_NOTICE_EXISTS, e, 2, &row);
		json_decref(row);
		if (r == VG_OK) {
			*dup = true;
			return VG_OK;
		}
		if (r != VG_ERR_NOTFOUND)
			return r;
	}
	struct store_val b[] = { SV_TEXT(n->kind), SV_TEXT(n->ref && *n->ref ? n->ref : NULL),
		SV_TEXT(n->title), SV_TEXT(n->asset), SV_INT(n->severity), SV_TEXT(n->owner),
		n->deadline_us ? SV_INT(n->deadline_us) : SV_NULL, SV_TEXT(n->required_feedback),
		SV_TEXT(n->issuer), SV_TEXT(n->detail), SV_INT(vg_now_us()), SV_TEXT(actor) };
	if ((r = store_exec(cs->st, SQL_NOTICE_ADD, b, 12, id, NULL)) != VG_OK ||
	    (r = history_add(cs, *id, actor, "add", n->title)) != VG_OK)
		return r;
	return cases_audit(cs, actor, "notice.add", "notice %lld: %s %s on %s", (long long)*id,
	    n->kind, n->title, n->asset);
}

void
cases_notice_announce(struct cases *cs, int64_t id)
{
	json_t *msg = NULL;
	char key[64];

	if (!cs->notify || cases_notice_get(cs, id, &msg) != VG_OK)
		return;
	json_object_del(msg, "history");
	snprintf(key, sizeof(key), "notice-%lld-new", (long long)id);
	enum vg_severity sev = VG_SEV_INFO;
	vg_severity_parse(json_string_value(json_object_get(msg, "severity")), &sev);
	cases_tell(cs, "notice", (int)sev, key, msg);
	json_decref(msg);
}

int
cases_notice_add(struct cases *cs, const struct cases_notice *n, const char *actor, int64_t *id)
{
	int64_t nid = 0;
	bool dup;
	int r;

	if (id)
		*id = 0;
	if (!actor || cases_notice_check(n) != VG_OK)
		return VG_ERR_INVAL;
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	if ((r = cases_notice_insert(cs, n, actor, &nid, &dup)) != VG_OK)
		return cases_fail(cs, r);
	if (dup)
		return cases_fail(cs, VG_ERR_INVAL);
	if ((r = store_commit(cs->st)) != VG_OK)
		return cases_fail(cs, r);
	cases_notice_announce(cs, nid);
	if (id)
		*id = nid;
	return VG_OK;
}

static void
decorate(json_t *row, int64_t now)
{
	json_t *dl = json_object_get(row, "deadline");
	bool open = json_string_value(json_object_get(row, "state")) &&
	    strcmp(json_string_value(json_object_get(row, "state")), "open") == 0;

	json_object_set_new(row, "overdue",
	    json_boolean(open && json_is_integer(dl) && json_integer_value(dl) <= now));
	if (open && json_is_integer(dl))
		json_object_set_new(row, "due_in_s",
		    json_integer((json_integer_value(dl) - now) / 1000000));
	cases_json_severity(row, "severity");
	cases_json_time(row, "deadline");
	cases_json_time(row, "created_at");
	cases_json_time(row, "closed_at");
}

int
cases_notice_list(struct cases *cs, bool all, json_t **out)
{
	int64_t now = vg_now_us();
	json_t *row;
	size_t i;
	int r = store_query(cs->st, all ? SQL_NOTICE_LIST_ALL : SQL_NOTICE_LIST_OPEN, NULL, 0, 0,
	    out);

	if (r != VG_OK)
		return r;
	json_array_foreach(*out, i, row)
		decorate(row, now);
	return VG_OK;
}

int
cases_notice_get(struct cases *cs, int64_t id, json_t **out)
{
	json_t *row = NULL, *hist = NULL, *h;
	size_t i;
	int r;

	*out = NULL;
	if ((r = store_query_one(cs->st, SQL_NOTICE_GET, (struct store_val[]){ SV_INT(id) }, 1,
		 &row)) != VG_OK)
		return r;
	if ((r = store_query(cs->st, SQL_NOTICE_HISTORY, (struct store_val[]){ SV_INT(id) }, 1, 0,
		 &hist)) != VG_OK) {
		json_decref(row);
		return r;
	}
	json_array_foreach(hist, i, h)
		cases_json_time(h, "at");
	decorate(row, vg_now_us());
	json_object_set_new(row, "history", hist);
	*out = row;
	return VG_OK;
}

/* The text sent back to the issuer: Chinese first (most issuers are Chinese
 * regulators), then English. Caller frees. */
static char *
feedback_text(const json_t *row, int verdict, const char *note, const char *actor)
{
	struct vg_buf *b = vg_buf_new(16 << 10);
	const char *ref = json_string_value(json_object_get(row, "ref"));
	const char *title = json_string_value(json_object_get(row, "title"));
	const char *asset = json_string_value(json_object_get(row, "asset"));
	const char *req = json_string_value(json_object_get(row, "required_feedback"));
	long long id = (long long)json_integer_value(json_object_get(row, "id"));
	char when[40], idbuf[32];
	char *out;

	if (!b)
		return NULL;
	vg_time_format(vg_now_us(), when, sizeof(when));
	snprintf(idbuf, sizeof(idbuf), "#%lld", id);
	if (!ref)
		ref = idbuf;
	vg_buf_putf(b, "关于通报 %s《%s》（资产：%s）的反馈：经复查，结论为「%s」。", ref, title,
	    asset, verdicts_zh[verdict]);
	if (note && *note)
		vg_buf_putf(b, "处置说明：%s。", note);
	if (req && *req)
		vg_buf_putf(b, "按要求反馈：%s。", req);
	vg_buf_putf(b, "反馈人：%s，时间：%s。\n\n", actor, when);
	vg_buf_putf(b, "Feedback on notice %s \"%s\" (asset %s): re-check verdict: %s.", ref, title,
	    asset, verdicts[verdict]);
	if (note && *note)
		vg_buf_putf(b, " Remediation: %s.", note);
	if (req && *req)
		vg_buf_putf(b, " Requested feedback: %s.", req);
	vg_buf_putf(b, " Reported by %s at %s.\n", actor, when);
	out = vg_buf_steal(b);
	vg_buf_free(b);
	return out;
}

int
cases_notice_close(struct cases *cs, int64_t id, const char *verdict, const char *note,
    const char *actor, char **feedback)
{
	json_t *row = NULL;
	char *text = NULL;
	int64_t changed = 0;
	int v = choice(verdicts, verdict), r;

	if (feedback)
		*feedback = NULL;
	if (v < 0 || !actor || !*actor)
		return VG_ERR_INVAL;
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	if ((r = store_query_one(cs->st, SQL_NOTICE_GET, (struct store_val[]){ SV_INT(id) }, 1,
		 &row)) != VG_OK)
		goto fail;
	if (!(text = feedback_text(row, v, note, actor))) {
		r = VG_ERR_NOMEM;
		goto fail;
	}
	struct store_val b[] = { SV_TEXT(verdict), SV_TEXT(note), SV_TEXT(text),
		SV_INT(vg_now_us()), SV_TEXT(actor), SV_INT(id) };
	if ((r = store_exec(cs->st, SQL_NOTICE_CLOSE, b, 6, NULL, &changed)) != VG_OK)
		goto fail;
	if (changed == 0) {
		r = VG_ERR_INVAL;	/* already closed */
		goto fail;
	}
	if ((r = history_add(cs, id, actor, "close", verdict)) != VG_OK ||
	    (r = cases_audit(cs, actor, "notice.close", "notice %lld: re-check %s", (long long)id,
		 verdict)) != VG_OK ||
	    (r = store_commit(cs->st)) != VG_OK)
		goto fail;
	json_decref(row);
	if (feedback)
		*feedback = text;
	else
		free(text);
	return VG_OK;
fail:
	free(text);
	json_decref(row);
	return cases_fail(cs, r);
}
