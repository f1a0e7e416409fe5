/* The final work summary: what happened over the whole event, how it was handled and
 * what to plan next, for the record. Everything is derived from the store: the
 * advice section states a pattern only when the data shows it (a category seen again
 * and again, incidents handled late, the same system hit twice, ...), with the count
 * that triggered it. */
#include "report/facts.h"
#include "report/sql_report.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SIGNIFICANT 200
#define MAX_DAYS 400

static void
totals(struct rw *w, const struct report_facts *f)
{
	rw_h2(w, R_TOTALS);
	rw_raw(w, "<table>");
	rw_raw(w, "<tr><th>");
	rw_tr(w, R_FIRST_EVENT);
	rw_raw(w, "</th>");
	rw_td_time(w, f->first);
	rw_raw(w, "</tr><tr><th>");
	rw_tr(w, R_LAST_EVENT);
	rw_raw(w, "</th>");
	rw_td_time(w, f->last);
	rw_raw(w, "</tr>\n");
	rw_kv(w, R_TOT_ALERTS, f->alerts);
	rw_kv(w, R_TOT_EVENTS, f->events);
	rw_kv(w, R_TOT_SOURCES, f->sources);
	rw_kv(w, R_TOT_INCIDENTS, f->inc_opened);
	rw_kv(w, R_INC_FP, f->inc_fp);
	rw_kv(w, R_TOT_RESTORES, f->restored);
	rw_kv(w, R_TOT_QUARANTINES, f->quarantined);
	rw_kv(w, R_TOT_BLOCKS, f->blocks_new);
	rw_table_end(w);
}

static void
timeline(struct rw *w)
{
	static const enum rstr cols[] = { R_COL_DAY, R_COL_ALERTS, R_COL_EVENTS, R_TOT_INCIDENTS,
		R_COL_RESPONSES, R_TOT_BLOCKS };
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us) };
	json_t *rows = rw_query(w, SQL_TIMELINE, v, 2, 0), *r;
	struct svg_bar *bars = NULL;
	size_t i, n = json_array_size(rows);

	rw_h2(w, R_TRENDS);
	if (n == 0) {
		rw_none(w, R_NO_ALERTS);
		json_decref(rows);
		return;
	}
	if (n > MAX_DAYS)
		n = MAX_DAYS;
	if ((bars = calloc(n, sizeof(*bars)))) {
		for (i = 0; i < n; i++) {
			r = json_array_get(rows, i);
			/* "2026-11-30" -> "11-30": the year is in the period line. */
			const char *day = rj_str(r, "day");
			bars[i] = (struct svg_bar){ strlen(day) > 5 ? day + 5 : day, rj_int(r, "events") };
		}
		svg_vbars(w, bars, n, n > 16 ? n / 8 : 1);
		free(bars);
	}
	rw_h2(w, R_TIMELINE);
	rw_table(w, cols, 6);
	json_array_foreach(rows, i, r) {
		rw_raw(w, "<tr>");
		rw_td(w, rj_str(r, "day"));
		rw_td_int(w, rj_int(r, "alerts"));
		rw_td_int(w, rj_int(r, "events"));
		rw_td_int(w, rj_int(r, "incidents"));
		rw_td_int(w, rj_int(r, "responses"));
		rw_td_int(w, rj_int(r, "blocks"));
		rw_raw(w, "</tr>\n");
	}
	rw_table_end(w);
	json_decref(rows);
}

static enum rstr
step_name(const char *action)
{
	static const struct { const char *action; enum rstr name; } steps[] = {
		{ "create", R_CHAIN_OPEN }, { "ack", R_CHAIN_ACK }, { "verify", R_CHAIN_VERIFY },
		{ "dispose", R_CHAIN_DISPOSE }, { "feedback", R_CHAIN_FEEDBACK },
		{ "close", R_CHAIN_CLOSE },
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(action, steps[i].action) == 0)
			return steps[i].name;
	return R_COUNT_;
}

/* The notification step: when it went out (the outbox), or that none did. */
static void
notified_step(struct rw *w, int64_t at)
{
	rw_raw(w, " &rarr; <b>");
	rw_tr(w, R_CHAIN_NOTIFY);
	rw_raw(w, "</b> ");
	if (at > 0)
		rw_time(w, at);
	else
		rw_tr(w, R_NOT_NOTIFIED);
}

/* The handling chain of incident inc: its history steps in order (rows sorted by id,
 * walked from *pos), each "Step time who: comment", with the notification in its
 * place in time (after the opening). */
static void
chain(struct rw *w, json_t *hist, size_t *pos, const json_t *inc)
{
	long long id = rj_int(inc, "id");
	int64_t notified = rj_int(inc, "notified_at");
	bool first = true, told = false;
	json_t *h;

	for (; (h = json_array_get(hist, *pos)) && rj_int(h, "id") <= id; (*pos)++) {
		enum rstr name = step_name(rj_str(h, "action"));
		if (rj_int(h, "id") != id)
			continue;
		if (!first && !told && (notified <= 0 || rj_int(h, "at") > notified)) {
			notified_step(w, notified);
			told = true;
		}
		if (!first)
			rw_raw(w, " &rarr; ");
		first = false;
		rw_raw(w, "<b>");
		if (name == R_COUNT_)
			rw_text(w, rj_str(h, "action"));
		else
			rw_tr(w, name);
		rw_raw(w, "</b> ");
		rw_time(w, rj_int(h, "at"));
		rw_raw(w, " ");
		rw_text(w, rj_str(h, "actor"));
		if (*rj_str(h, "comment")) {
			rw_raw(w, ": ");
			rw_text_cut(w, rj_str(h, "comment"), 160);
		}
	}
	if (!first && !told)
		notified_step(w, notified);
}

static void
significant(struct rw *w)
{
	static const enum rstr cols[] = { R_COL_ID, R_COL_SEVERITY, R_COL_TITLE, R_COL_HANDLED };
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us),
		SV_INT(MAX_SIGNIFICANT) };
	json_t *inc = rw_query(w, SQL_SIGNIFICANT, v, 3, 0), *hist, *r;
	size_t i, pos = 0;

	rw_h2(w, R_SIGNIFICANT);
	if (json_array_size(inc) == 0) {
		rw_none(w, R_NO_SIGNIFICANT);
		json_decref(inc);
		return;
	}
	hist = rw_query(w, SQL_SIG_HISTORY, v, 2, 0);
	rw_table(w, cols, 4);
	/* Both lists come sorted by incident id: one walk through the history. */
	json_array_foreach(inc, i, r) {
		rw_fmt(w, "<tr><td>%lld</td>", rj_int(r, "id"));
		rw_td(w, report_sev(w->lang, (int)rj_int(r, "severity")));
		rw_raw(w, "<td>");
		rw_text(w, rj_str(r, "title"));
		if (*rj_str(r, "verdict")) {
			rw_raw(w, " (");
			rw_tr(w, strcmp(rj_str(r, "verdict"), "false_positive") == 0 ? R_VERDICT_FP :
			    R_VERDICT_TP);
			rw_raw(w, ")");
		}
		rw_raw(w, "<br><small>");
		chain(w, hist, &pos, r);
		rw_raw(w, "</small></td>");
		report_handling_cell(w, r);
		rw_raw(w, "</tr>\n");
	}
	rw_table_end(w);
	json_decref(hist);
	json_decref(inc);
}

struct durations {
	int64_t *v;
	size_t n;
	long long within;
};

static void
times_row(struct rw *w, enum rstr label, struct durations *d, bool has_sla)
{
	rw_raw(w, "<tr><th>");
	rw_tr(w, label);
	rw_fmt(w, "</th><td class=\"n\">%zu</td><td class=\"n\">", d->n);
	if (d->n) {
		rw_dur(w, report_quantile(d->v, d->n, 0.5));
		rw_raw(w, "</td><td class=\"n\">");
		rw_dur(w, report_quantile(d->v, d->n, 0.9));
	} else {
		rw_raw(w, "-</td><td class=\"n\">-");
	}
	rw_raw(w, "</td><td class=\"n\">");
	if (has_sla && d->n)
		rw_fmt(w, "%lld / %zu", d->within, d->n);
	else
		rw_raw(w, "-");
	rw_raw(w, "</td></tr>\n");
}

/* Acknowledge and dispose times (and detection lag) of the incidents opened in the
 * period, against each one's own severity clock. */
static void
times(struct rw *w, const struct report_facts *f)
{
	static const enum rstr cols[] = { R_COL_MEASURE, R_COL_COUNT, R_COL_MEDIAN, R_COL_P90,
		R_COL_WITHIN };
	size_t cap = json_array_size(f->incidents), i;
	struct durations ack = { 0 }, disp = { 0 }, det = { 0 };
	json_t *inc;

	rw_h2(w, R_TIMES);
	if (f->inc_opened == 0) {
		rw_none(w, R_NO_TIMES);
		return;
	}
	ack.v = calloc(cap, sizeof(int64_t));
	disp.v = calloc(cap, sizeof(int64_t));
	det.v = calloc(cap, sizeof(int64_t));
	if (!ack.v || !disp.v || !det.v) {
		w->err = VG_ERR_NOMEM;
		goto out;
	}
	json_array_foreach(f->incidents, i, inc) {
		int64_t created = rj_int(inc, "created_at"), acked = rj_int(inc, "acked_at");
		int64_t handled = facts_handled_at(inc), first = rj_int(inc, "first_seen");
		int sev = (int)rj_int(inc, "severity");
		int64_t sla;

		if (created < w->o->from_us || created >= w->o->to_us)
			continue;
		if (first > 0 && created >= first)
			det.v[det.n++] = created - first;
		if (acked > 0) {
			sla = facts_sla_us(w, sev, true);
			ack.within += sla == 0 || acked - created <= sla;
			ack.v[ack.n++] = acked - created;
		}
		if (handled > 0) {
			sla = facts_sla_us(w, sev, false);
			disp.within += sla == 0 || handled - created <= sla;
			disp.v[disp.n++] = handled - created;
		}
	}
	rw_table(w, cols, 5);
	times_row(w, R_TIME_DETECT, &det, false);
	times_row(w, R_TIME_ACK, &ack, true);
	times_row(w, R_TIME_DISPOSE, &disp, true);
	rw_table_end(w);
out:
	free(ack.v);
	free(disp.v);
	free(det.v);
}

static void
kv_pct(struct rw *w, enum rstr label, long long n, long long d)
{
	rw_raw(w, "<tr><th>");
	rw_tr(w, label);
	rw_fmt(w, "</th><td class=\"n\">%lld</td><td class=\"n\">", n);
	rw_pct(w, n, d);
	rw_raw(w, "</td></tr>\n");
}

static void
coverage(struct rw *w, const struct report_facts *f)
{
	rw_h2(w, R_COVERAGE);
	if (f->a_total == 0) {
		rw_none(w, R_NO_ASSETS);
		return;
	}
	rw_raw(w, "<table>");
	kv_pct(w, R_COV_ASSETS, f->a_total, f->a_total);
	kv_pct(w, R_COV_DECLARED, f->a_total - f->a_shadow, f->a_total);
	kv_pct(w, R_COV_SHADOW, f->a_shadow, f->a_total);
	if (rw_has(w, "scan_hosts", "asset_id"))
		kv_pct(w, R_COV_SCANNED, rw_count(w, SQL_COV_SCANNED, NULL, 0), f->a_total);
	if (rw_has(w, "findings", "asset_id"))
		kv_pct(w, R_COV_FINDINGS_CHECKED, rw_count(w, SQL_COV_ASSESSED, NULL, 0), f->a_total);
	rw_table_end(w);
}

static void
before_after(struct rw *w, const struct report_facts *f)
{
	static const enum rstr cols[] = { R_COL_KIND, R_BA_BEFORE, R_BA_FIXED, R_BA_AFTER,
		R_FIND_ACCEPTED, R_COL_PASSED };
	const struct store_val v[] = { SV_INT(w->o->to_us) };
	json_t *rows, *r;
	size_t i;

	rw_h2(w, R_VULN_BA);
	if (f->f_total == 0) {
		rw_none(w, R_NO_FINDINGS);
		return;
	}
	rows = rw_query(w, f->findings_008 ? SQL_BA_008 : SQL_BA_001, v, 1, 0);
	rw_table(w, cols, 6);
	json_array_foreach(rows, i, r) {
		rw_raw(w, "<tr>");
		rw_td(w, rj_str(r, "kind"));
		rw_td_int(w, rj_int(r, "found"));
		rw_td_int(w, rj_int(r, "fixed"));
		rw_td_int(w, rj_int(r, "open"));
		rw_td_int(w, rj_int(r, "accepted"));
		rw_td_int(w, rj_int(r, "passed"));
		rw_raw(w, "</tr>\n");
	}
	rw_table_end(w);
	json_decref(rows);
}

/* One advice item per row of a query: template with the row's count, then its name. */
static void
advice_rows(struct rw *w, bool *any, enum rstr id, const char *sql, const struct store_val *v,
    size_t nv, const char *count_key, const char *name_key)
{
	json_t *rows = rw_query(w, sql, v, nv, 0), *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		*any = true;
		rw_raw(w, "<li>");
		rw_tpl(w, id, rj_int(r, count_key), 0);
		rw_raw(w, " <b>");
		rw_text(w, rj_str(r, name_key));
		rw_raw(w, "</b></li>\n");
	}
	json_decref(rows);
}

static void
advice_item(struct rw *w, bool *any, enum rstr id, long long n)
{
	if (n <= 0)
		return;
	*any = true;
	rw_raw(w, "<li>");
	rw_tpl(w, id, n, 0);
	rw_raw(w, "</li>\n");
}

static void
advice(struct rw *w, const struct report_facts *f)
{
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us) };
	bool any = false;

	rw_h2(w, R_ADVICE);
	rw_raw(w, "<ul>");
	advice_rows(w, &any, R_ADV_WEAK, SQL_ADV_WEAK, NULL, 0, "alerts", "category");
	if (f->findings_008) {
		advice_rows(w, &any, R_ADV_WEAK_FIND, SQL_ADV_WEAK_FIND, NULL, 0, "n", "title");
		advice_item(w, &any, R_ADV_SLOW_FIX, rw_count(w, SQL_ADV_SLOW_FIX, v, 2));
	}
	advice_item(w, &any, R_ADV_SLOW_INC, f->inc_late);
	advice_rows(w, &any, R_ADV_REPEAT, SQL_ADV_REPEAT, v, 2, "n", "sys");
	advice_item(w, &any, R_ADV_SHADOW_LATE, f->a_new_shadow);
	advice_rows(w, &any, R_ADV_FP, SQL_ADV_FP, v, 2, "n", "rule_id");
	advice_item(w, &any, R_ADV_DUTY, facts_duty_gap_hours(f));
	rw_raw(w, "</ul>\n");
	if (!any)
		rw_none(w, R_NO_ADVICE);
}

static void
deliverables(struct rw *w)
{
	static const enum rstr cols[] = { R_COL_ITEM, R_DEL_FILE, R_DEL_ROWS, R_DEL_SHA };
	const json_t *list = w->o->deliverables, *d;
	size_t i;

	rw_h2(w, R_DELIVERABLES);
	if (json_array_size(list) == 0) {
		rw_none(w, R_NO_DELIVERABLES);
		return;
	}
	rw_table(w, cols, 4);
	json_array_foreach(list, i, d) {
		rw_raw(w, "<tr>");
		rw_td(w, rj_str(d, w->lang == REPORT_ZH ? "what_zh" : "what"));
		rw_td(w, rj_str(d, "file"));
		rw_td_int(w, rj_int(d, "rows"));
		rw_raw(w, "<td><code style=\"font-size:7pt\">");
		rw_text(w, rj_str(d, "sha256"));
		rw_raw(w, "</code></td></tr>\n");
	}
	rw_table_end(w);
}

int
report_final(struct rw *w)
{
	struct report_facts f;

	report_facts(w, &f);
	rw_page_start(w, R_FINAL_TITLE);
	report_status(w, &f);
	report_decisions(w, &f);
	totals(w, &f);
	timeline(w);
	significant(w);
	times(w, &f);
	coverage(w, &f);
	before_after(w, &f);
	advice(w, &f);
	report_duty(w, &f, 50);
	deliverables(w);
	rw_page_end(w);
	report_facts_free(&f);
	return w->err;
}
