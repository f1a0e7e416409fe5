/* The one place alerts are built and dispatched (see alert.h). A rule alert arrives
 * built by the correlator (it owns the aggregation window); a webshell finding and a
 * web-root change are turned into a vg_alert here. Each sink then renders the alert
 * its own way: the store keeps the vg_alert (plus evidence and audit rows), text
 * and JSON sinks keep the line formats the commands have always printed. */
#include "monitor/alert.h"
#include "core/err.h"
#include "core/esc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void
alerts_init(struct alerts *al, const struct alerts_opts *o)
{
	memset(al, 0, sizeof(*al));
	al->live = o->live;
	al->with_diff = o->with_diff;
	al->evidence_per_alert = o->evidence_per_alert ? o->evidence_per_alert : 20;
	if (o->store)
		alerts_add_sink(al, &sink_store, o->store);
	if (o->json_out)
		alerts_add_sink(al, &sink_json, o->json_out);
	if (o->text_out)
		alerts_add_sink(al, &sink_text, o->text_out);
}

int
alerts_add_sink(struct alerts *al, const struct sink_ops *ops, void *state)
{
	if (al->n >= ALERT_MAX_SINKS)
		return VG_ERR_LIMIT;
	al->sink[al->n].ops = ops;
	al->sink[al->n].state = state;
	al->n++;
	if (!ops->no_rule_updates)
		al->n_rule_updates++;
	return VG_OK;
}

bool
alerts_want_rule_updates(const struct alerts *al)
{
	return al->n_rule_updates > 0;
}

static enum vg_severity
change_severity(const struct fim_change *ch)
{
	if (ch->action == ACT_RECORDED)
		return VG_SEV_INFO;
	if (ch->injected)
		return VG_SEV_CRITICAL;
	if (ch->kinds & (FIM_ADDED | FIM_DELETED | FIM_CONTENT | FIM_TYPE | FIM_TARGET))
		return VG_SEV_HIGH;
	return VG_SEV_MEDIUM;
}

int
alert_emit(struct alerts *al, const struct alert_in *in)
{
	struct vg_alert built;	/* zeroed below for the kinds built here, not per rule hit */
	char evidence[1024], title[512], kinds[128], rule[64];
	struct alert_msg m = { .in = in, .a = &built, .live = al->live, .with_diff = al->with_diff,
		.evidence_per_alert = al->evidence_per_alert };
	int ret = VG_OK;

	if (in->kind != ALERT_RULE)
		memset(&built, 0, sizeof(built));
	switch (in->kind) {
	case ALERT_RULE:
		m.a = in->rule;
		break;
	case ALERT_WEBSHELL: {
		const struct webshell_finding *f = in->finding;
		bool malicious = strcmp(f->level, "malicious") == 0;
		built.rule_id = "webshell.detected";
		built.title = malicious ? "Webshell dropped in a web root"
					: "Suspicious script in a web root";
		built.category = "webshell";
		built.mitre = "T1505.003";
		built.severity = malicious ? VG_SEV_CRITICAL : VG_SEV_MEDIUM;
		built.sensor = in->root_name;
		built.field = "file.path";
		built.matched = f->families;
		if (snprintf(evidence, sizeof(evidence), "%s score %d rules %s%s%s%s", f->path,
			f->score, f->rules, in->qid && *in->qid ? " quarantined as " : "",
			in->qid ? in->qid : "", in->qerr && *in->qerr ? in->qerr : "") >=
		    (int)sizeof(evidence))
			evidence[sizeof(evidence) - 1] = '\0';	/* cut evidence is still evidence */
		built.evidence = evidence;
		break;
	}
	case ALERT_FIM: {
		const struct fim_change *ch = in->change;
		snprintf(rule, sizeof(rule), "fim.%s", fim_kind_word(ch->kinds));
		snprintf(title, sizeof(title), "web root %s: %s %s%s%s", ch->root->name, ch->path,
		    fim_kind_word(ch->kinds), ch->injected ? "; injected: " : "",
		    ch->injected ? ch->injected : "");
		built.rule_id = rule;
		built.title = title;
		built.category = ch->injected ? "defacement" : "tamper";
		built.mitre = "T1491.001";	/* Defacement: Internal */
		built.severity = change_severity(ch);
		built.sensor = ch->root->name;
		built.field = "file.path";
		built.matched = fim_kind_names(ch->kinds, kinds, sizeof(kinds));
		built.evidence = ch->diff;
		break;
	}
	}
	if (in->kind != ALERT_RULE) {
		built.count = 1;
		built.first_seen_us = built.last_seen_us = vg_now_us();
	}
	if (in->kind == ALERT_FIM && in->agg) {
		built.id = in->agg->id;
		built.count = in->agg->count;
		built.first_seen_us = in->agg->first_seen_us;
		built.last_seen_us = in->agg->last_seen_us;
	}
	for (size_t i = 0; i < al->n; i++) {
		int r = al->sink[i].ops->emit(al->sink[i].state, &m);
		if (r != VG_OK && ret == VG_OK)
			ret = r;
	}
	if (in->kind == ALERT_FIM && in->agg && in->state == ALERT_OPENED)
		in->agg->id = built.id;
	return ret;
}

/* ---- store sink ---- */

static int
store_emit(void *state, const struct alert_msg *m)
{
	struct vg_store *st = state;
	const struct alert_in *in = m->in;
	const struct vg_event *ev = in->ev;
	struct vg_alert *a = m->a;
	int r = VG_OK;

	switch (in->kind) {
	case ALERT_RULE:
		if (in->state == ALERT_OPENED) {
			r = store_alert_add(st, a);
			if (r == VG_OK && ev && ev->raw)
				r = store_alert_event_add(st, a->id, ev->ts_us, ev->raw, ev->raw_len);
		} else if (in->state == ALERT_UPDATED && a->id) {
			if (ev && ev->raw && a->count <= m->evidence_per_alert)
				r = store_alert_event_add(st, a->id, ev->ts_us, ev->raw, ev->raw_len);
			/* the daemon commits positions every round: the open alert's count and
			 * last seen go in the same transaction, or a SIGKILL loses the hits
			 * counted since it opened while their lines count as read */
			if (r == VG_OK && m->live)
				r = store_alert_update(st, a);
		} else if (in->state == ALERT_CLOSED && a->id) {
			r = store_alert_update(st, a);
		}
		return r;
	case ALERT_WEBSHELL:
		/* like the other one-shot alerts, a failed row does not roll a batch back */
		if (store_alert_add(st, a) == VG_OK && in->qid && *in->qid) {
			char res[256];
			store_audit(st, "vigil", "quarantine", a->evidence);
			snprintf(res, sizeof(res), "quarantined as %s", in->qid);
			store_action_add(st, "quarantine", in->finding->path, "done", "vigil", a->id,
			    res);
		}
		return VG_OK;
	case ALERT_FIM: {
		const struct fim_change *ch = in->change;
		char detail[PATH_MAX + 256], kinds[128], target[PATH_MAX + 8];
		if (ch->action == ACT_RECORDED) {
			/* a publishing window is open: an audit row, not an alert (no flood) */
			snprintf(detail, sizeof(detail), "%s/%s: %s", ch->root->path, ch->path,
			    fim_kind_names(ch->kinds, kinds, sizeof(kinds)));
			store_audit(st, "fimwatch", "publish.change", detail);
			return VG_OK;
		}
		if (in->state == ALERT_CLOSED || in->state == ALERT_UPDATED) {
			/* an open window: its count and last seen, not a new row */
			if (a->id)
				store_alert_update(st, a);
			if (in->state == ALERT_CLOSED)
				return VG_OK;
		} else {
			store_alert_add(st, a);
		}
		/* every restore, move and failure keeps its own audit row */
		if (ch->action != ACT_NONE) {
			snprintf(detail, sizeof(detail), "%s/%s: %s%s%s", ch->root->path, ch->path,
			    protect_action_name(ch->action), ch->detail ? ": " : "",
			    ch->detail ? ch->detail : "");
			store_audit(st, "fimwatch", protect_action_name(ch->action), detail);
			/* the incident this alert is filed into lists the response (src/cases) */
			snprintf(target, sizeof(target), "%s/%s", ch->root->path, ch->path);
			store_action_add(st, ch->action == ACT_RESTORED ? "restore" : "quarantine",
			    target, ch->action == ACT_FAILED ? "failed" : "done", "fimwatch", a->id,
			    ch->detail ? ch->detail : protect_action_name(ch->action));
		}
		return VG_OK;
	}
	}
	return VG_OK;
}

const struct sink_ops sink_store = { .name = "store", .emit = store_emit };

/* ---- text sink ---- */

void
alert_print_rule(FILE *out, const struct vg_alert *a, const char *state)
{
	char first[40], last[40], ip[4 * VG_IP_MAX], id[256], title[1024], field[256];
	char matched[512];
	size_t mlen;

	if (ferror(out))
		return;	/* stdout is gone (a closed pipe): stop printing, keep storing */
	vg_time_format(a->first_seen_us, first, sizeof(first));
	vg_time_format(a->last_seen_us, last, sizeof(last));
	/* Rule ids and titles are ours, but a title may quote the event and the
	 * address is only as clean as the decoder that parsed it. */
	fprintf(out, "%s%-8s %-34s %-16s x%-6llu %s .. %s  %s", state ? state : "",
	    vg_severity_name(a->severity), vg_esc_s(id, sizeof(id), a->rule_id),
	    a->source_ip[0] ? vg_esc_s(ip, sizeof(ip), a->source_ip) : "-",
	    (unsigned long long)a->count, first, last,
	    vg_esc_s(title, sizeof(title), a->title));
	if (a->matched) {
		mlen = a->matched_len ? a->matched_len : strlen(a->matched);
		vg_esc(matched, sizeof(matched), a->matched, mlen > 80 ? 80 : mlen);
		fprintf(out, "  [%s: %s]", a->field ? vg_esc_s(field, sizeof(field), a->field)
		    : "match", matched);
	}
	fputc('\n', out);
}

static int
text_emit(void *state, const struct alert_msg *m)
{
	FILE *out = state;
	const struct alert_in *in = m->in;

	switch (in->kind) {
	case ALERT_RULE:
		if (in->state == ALERT_OPENED && m->live)
			alert_print_rule(out, m->a, "NEW    ");
		else if (in->state == ALERT_CLOSED)
			alert_print_rule(out, m->a, m->live ? "CLOSED " : NULL);
		break;
	case ALERT_WEBSHELL: {
		const struct webshell_finding *f = in->finding;
		char root[256], path[VG_ESC_MAX];
		if (ferror(out))
			break;
		char note[VG_ESC_MAX];
		bool qid = in->qid && *in->qid;
		/* not quarantined: say why (a failed move, a publishing window) */
		fprintf(out, "WEBSHELL %-10s %s: %s (score %d; %s)%s%s%s%s\n", f->level,
		    vg_esc_s(root, sizeof(root), in->root_name), vg_esc_s(path, sizeof(path), f->path),
		    f->score, f->families, qid ? " -> quarantined " : "", qid ? in->qid : "",
		    !qid && in->qerr && *in->qerr ? "; " : "", !qid && in->qerr && *in->qerr ?
		    vg_esc_s(note, sizeof(note), in->qerr) : "");
		fflush(out);
		break;
	}
	case ALERT_FIM:
		/* a window prints its first change and its summary, not every repeat */
		if (in->state != ALERT_UPDATED)
			alert_change_print(out, in->change, false, m->with_diff,
			    in->change->root->base_id);
		break;
	}
	return VG_OK;
}

const struct sink_ops sink_text = { .name = "text", .emit = text_emit, .no_rule_updates = true };

/* ---- JSON sink ---- */

static void
put_json(FILE *out, json_t *j)
{
	if (!j)
		return;
	json_dumpf(j, out, JSON_COMPACT);
	fputc('\n', out);
	json_decref(j);
}

static int
json_emit(void *state, const struct alert_msg *m)
{
	FILE *out = state;
	const struct alert_in *in = m->in;
	const char *st = NULL;
	json_t *j;

	switch (in->kind) {
	case ALERT_RULE:
		if (in->state == ALERT_OPENED && m->live)
			st = "open";
		else if (in->state == ALERT_CLOSED)
			st = m->live ? "closed" : NULL;
		else
			break;
		if ((j = vg_alert_to_json(m->a)) && st)
			vg_json_set_path(j, "vigil.state", json_string(st));
		put_json(out, j);
		break;
	case ALERT_WEBSHELL: {
		const struct webshell_finding *f = in->finding;
		if (!(j = vg_alert_to_json(m->a)))
			break;
		vg_json_set_path(j, "file.path", vg_json_string_lossy(f->path, strlen(f->path)));
		vg_json_set_path(j, "vigil.webshell.score", json_integer(f->score));
		vg_json_set_path(j, "vigil.webshell.rules", json_string(f->rules));
		if (in->qid && *in->qid)
			vg_json_set_path(j, "vigil.quarantine.id", json_string(in->qid));
		put_json(out, j);
		fflush(out);
		break;
	}
	case ALERT_FIM:
		if (in->state != ALERT_UPDATED)
			alert_change_print(out, in->change, true, m->with_diff,
			    in->change->root->base_id);
		break;
	}
	return VG_OK;
}

const struct sink_ops sink_json = { .name = "json", .emit = json_emit, .no_rule_updates = true };

/* ---- web-root change records ---- */

static json_t *
kinds_json(unsigned kinds)
{
	static const char *const names[] = { "added", "deleted", "content", "mode", "owner",
		"type", "symlink" };
	json_t *a = json_array();
	for (size_t i = 0; a && i < sizeof(names) / sizeof(names[0]); i++)
		if (kinds & (1u << i))
			json_array_append_new(a, json_string(names[i]));
	return a;
}

static json_t *
entry_json(const struct mf_entry *e)
{
	json_t *o;
	if (!e)
		return json_null();
	o = json_pack("{s:s, s:s, s:I, s:I, s:I}", "type", e->type == MF_FILE ? "file" :
	    e->type == MF_DIR ? "dir" : e->type == MF_LINK ? "symlink" : "other",
	    "mode", "", "uid", (json_int_t)e->uid, "gid", (json_int_t)e->gid,
	    "size", (json_int_t)e->size);
	if (!o)
		return json_null();
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)e->mode);
	json_object_set_new(o, "mode", json_string(mode));
	if (e->sha256[0])
		json_object_set_new(o, "sha256", json_string(e->sha256));
	if (e->target)
		json_object_set_new(o, "target", vg_json_string_lossy(e->target,
		    strlen(e->target)));
	return o;
}

json_t *
alert_change_json(const struct fim_change *ch, const char *baseline)
{
	char ts[40];
	vg_time_format(vg_now_us(), ts, sizeof(ts));
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "@timestamp", json_string(ts));
	json_object_set_new(o, "event", json_pack("{s:s, s:s, s:s, s:s}", "kind",
	    ch->action == ACT_RECORDED ? "event" : "alert", "category", "file", "action",
	    fim_kind_word(ch->kinds), "severity", vg_severity_name(change_severity(ch))));
	json_object_set_new(o, "webroot", json_string(ch->root->name));
	json_object_set_new(o, "file", json_pack("{s:o, s:s}", "path",
	    vg_json_string_lossy(ch->path, strlen(ch->path)), "directory", ch->root->path));
	json_object_set_new(o, "changes", kinds_json(ch->kinds));
	json_object_set_new(o, "action", json_string(protect_action_name(ch->action)));
	if (ch->detail)
		json_object_set_new(o, "detail", vg_json_string_lossy(ch->detail,
		    strlen(ch->detail)));
	if (ch->attempts > 1)
		json_object_set_new(o, "restore_attempts", json_integer(ch->attempts));
	if (ch->repeats) {
		char first[40];
		vg_time_format(ch->first_us, first, sizeof(first));
		json_object_set_new(o, "count", json_integer((json_int_t)ch->repeats));
		json_object_set_new(o, "first_seen", json_string(first));
	}
	json_object_set_new(o, "baseline", baseline ? json_string(baseline) : json_null());
	json_object_set_new(o, "before", entry_json(ch->base));
	json_object_set_new(o, "after", entry_json(ch->cur));
	if (ch->tamper) {
		json_t *flags = json_array();
		for (int f = 0; f < TAMPER__COUNT; f++)
			if (ch->tamper->flags & (1u << f))
				json_array_append_new(flags, json_pack("{s:s, s:o}", "flag",
				    tamper_flag_name((enum tamper_flag)f), "match",
				    vg_json_string_lossy(ch->tamper->match[f],
				    strlen(ch->tamper->match[f]))));
		json_object_set_new(o, "tamper", json_pack("{s:o, s:o}", "flags", flags,
		    "injected", ch->injected ? vg_json_string_lossy(ch->injected,
		    strlen(ch->injected)) : json_null()));
	}
	if (ch->diff)
		json_object_set_new(o, "diff", vg_json_string_lossy(ch->diff, strlen(ch->diff)));
	return o;
}

void
alert_change_print(FILE *out, const struct fim_change *ch, bool json, bool with_diff,
    const char *baseline)
{
	if (json) {
		json_t *o = alert_change_json(ch, baseline);
		if (!with_diff)
			json_object_del(o, "diff");
		put_json(out, o);
		fflush(out);
		return;
	}
	char kinds[128], ts[40], name[256], esc[VG_ESC_MAX];
	if (ferror(out))
		return;	/* stdout is gone: stop printing, the caller keeps working */
	vg_time_format(vg_now_us(), ts, sizeof(ts));
	fprintf(out, "%s %s: %s: %s [%s]", ts, vg_esc_s(name, sizeof(name), ch->root->name),
	    *ch->path ? vg_esc_s(esc, sizeof(esc), ch->path) : ".",
	    fim_kind_word(ch->kinds), fim_kind_names(ch->kinds, kinds, sizeof(kinds)));
	if (ch->action != ACT_NONE)
		fprintf(out, " -> %s", protect_action_name(ch->action));
	if (ch->detail)
		fprintf(out, " (%s)", vg_esc_s(esc, sizeof(esc), ch->detail));
	if (ch->injected)
		fprintf(out, "; injected: %s", vg_esc_s(esc, sizeof(esc), ch->injected));
	if (ch->repeats) {
		char first[40];
		vg_time_format(ch->first_us, first, sizeof(first));
		fprintf(out, " x%llu since %s", (unsigned long long)ch->repeats, first);
	}
	fputc('\n', out);
	/* Diff lines quote the page: a "\x1b[8m" in it must not hide what follows. */
	if (with_diff && ch->diff)
		vg_esc_fwrite_lines(out, ch->diff, strlen(ch->diff));
	fflush(out);
}
