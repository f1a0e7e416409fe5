/* The daily briefing: one A4 page a leader reads in two minutes. The status
 * sentence first, then two columns of small sections, then what needs a decision.
 * Lists are cut to a few rows (the final summary and the console have the rest);
 * a section without data says so in one line instead of drawing an empty chart. */
#include "report/facts.h"
#include "report/sql_report.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define TOP_SITES 5
#define TOP_CATS 6
#define MAX_INCIDENTS 4
#define TITLE_MAX 70	/* bytes of an incident's title on the one-page briefing */
#define PATH_MAX_SHOWN 70
#define MAX_RESPONSES 3
#define MAX_BLOCKS 3
#define MAX_FINDINGS 3
#define MAX_ASSETS 3
#define MAX_HANDOVERS 3
#define MAX_HOURS 25	/* a day that leaves daylight-saving time */

static void
hours_chart(struct rw *w, const struct report_facts *f)
{
	struct svg_bar bars[MAX_HOURS];
	char labels[MAX_HOURS][8];
	size_t n = (size_t)((w->o->to_us - w->o->from_us + 3599999999LL) / 3600000000LL), i;
	json_t *r;

	if (n > MAX_HOURS)
		n = MAX_HOURS;
	for (i = 0; i < n; i++) {
		time_t t = (time_t)((w->o->from_us + (int64_t)i * 3600000000LL) / 1000000);
		struct tm tm;
		localtime_r(&t, &tm);
		snprintf(labels[i], sizeof(labels[i]), "%02d", tm.tm_hour);
		bars[i] = (struct svg_bar){ labels[i], 0 };
	}
	json_array_foreach(f->rollup, i, r) {
		long long h = rj_int(r, "h");
		if (h >= 0 && (size_t)h < n)
			bars[h].value += rj_int(r, "events");
	}
	svg_vbars(w, bars, n, 3);
}

static void
categories_chart(struct rw *w, const struct report_facts *f)
{
	struct svg_bar bars[TOP_CATS];
	json_t *rows = facts_by(f, "category", TOP_CATS), *r;
	size_t i, n = 0;

	json_array_foreach(rows, i, r) {
		if (n < TOP_CATS)
			bars[n++] = (struct svg_bar){ rj_str(r, "key"), rj_int(r, "events") };
	}
	svg_hbars(w, bars, n);
	json_decref(rows);
}

static void
sources(struct rw *w, const struct report_facts *f)
{
	static const enum rstr cols[] = { R_COL_SOURCE, R_COL_EVENTS, R_COL_CATEGORY, R_COL_LABELS };
	json_t *rows = f->top_sources, *r;
	size_t i;

	rw_h2(w, R_TOP_SOURCES);
	if (json_array_size(rows) == 0) {
		rw_none(w, R_NO_ALERTS);
		return;
	}
	rw_table(w, cols, 4);
	json_array_foreach(rows, i, r) {
		rw_raw(w, "<tr>");
		rw_td(w, rj_str(r, "source_ip"));
		rw_td_int(w, rj_int(r, "events"));
		rw_td(w, rj_str(r, "categories"));
		rw_raw(w, "<td>");
		if (rj_int(r, "ioc")) {
			rw_raw(w, "<span class=\"tag\">");
			rw_tr(w, R_IOC);
			rw_raw(w, "</span> ");
		}
		rw_text(w, report_sev(w->lang, (int)rj_int(r, "severity")));
		rw_raw(w, "</td></tr>\n");
	}
	rw_table_end(w);
}

static void
sites(struct rw *w, const struct report_facts *f)
{
	static const enum rstr cols[] = { R_COL_SITE, R_COL_ALERTS, R_COL_EVENTS };
	json_t *rows = facts_by(f, "sensor", TOP_SITES + 1), *r;
	size_t i, shown = 0;

	rw_h2(w, R_TOP_SITES);
	if (json_array_size(rows) == 0) {
		rw_none(w, R_NO_ALERTS);
		json_decref(rows);
		return;
	}
	rw_table(w, cols, 3);
	json_array_foreach(rows, i, r) {
		if (!*rj_str(r, "key") || shown++ >= TOP_SITES)	/* no site: web-root-less alerts */
			continue;
		rw_raw(w, "<tr>");
		rw_td(w, rj_str(r, "key"));
		rw_td_int(w, rj_int(r, "alerts"));
		rw_td_int(w, rj_int(r, "events"));
		rw_raw(w, "</tr>\n");
	}
	rw_table_end(w);
	json_decref(rows);
}

/* When the incident's notification went out (the outbox), not when it was opened. */
void
report_notified_cell(struct rw *w, const json_t *inc)
{
	int64_t at = rj_int(inc, "notified_at");

	if (at > 0) {
		rw_td_time(w, at);
		return;
	}
	rw_raw(w, "<td>");
	rw_tr(w, R_NOT_NOTIFIED);
	rw_raw(w, "</td>");
}

/* Handling time against the dispose clock of the incident's severity. */
void
report_handling_cell(struct rw *w, const json_t *inc)
{
	int64_t handled = facts_handled_at(inc), created = rj_int(inc, "created_at");
	int64_t sla = facts_sla_us(w, (int)rj_int(inc, "severity"), false);

	rw_raw(w, "<td>");
	if (handled <= 0) {
		rw_text(w, rj_str(inc, "state"));
	} else {
		bool late = sla > 0 && handled - created > sla;
		rw_raw(w, late ? "<span class=\"late\">" : "<span class=\"ok\">");
		rw_dur(w, handled - created);
		rw_raw(w, " (");
		rw_tr(w, late ? R_INC_LATE : R_INC_WITHIN_SLA);
		rw_raw(w, ")</span>");
	}
	rw_raw(w, "</td>");
}

static void
incidents(struct rw *w, const struct report_facts *f)
{
	static const enum rstr cols[] = { R_COL_ID, R_COL_SEVERITY, R_COL_TITLE, R_COL_NOTIFIED,
		R_COL_HANDLED };
	size_t i, shown = 0;
	json_t *inc;

	rw_h2(w, R_INCIDENTS);
	if (json_array_size(f->incidents) == 0) {
		rw_none(w, R_NO_INCIDENTS);
		return;
	}
	rw_figs_start(w);
	rw_fig(w, R_INC_OPENED, f->inc_opened);
	rw_fig(w, R_INC_DISPOSED, f->inc_handled);
	rw_fig(w, R_INC_OVERDUE, f->inc_overdue);
	rw_fig(w, R_INC_FP, f->inc_fp);
	rw_figs_end(w);
	rw_table(w, cols, 5);
	/* Worst first: severity, then the oldest. */
	for (int sev = 4; sev >= 0 && shown < MAX_INCIDENTS; sev--) {
		json_array_foreach(f->incidents, i, inc) {
			if (rj_int(inc, "severity") != sev || shown >= MAX_INCIDENTS)
				continue;
			shown++;
			rw_fmt(w, "<tr><td>%lld</td>", rj_int(inc, "id"));
			rw_td(w, report_sev(w->lang, sev));
			rw_raw(w, "<td>");
			rw_text_cut(w, rj_str(inc, "title"), TITLE_MAX);
			rw_raw(w, "</td>");
			report_notified_cell(w, inc);
			report_handling_cell(w, inc);
			rw_raw(w, "</tr>\n");
		}
	}
	rw_table_end(w);
}

static void
tamper(struct rw *w, const struct report_facts *f)
{
	static const enum rstr cols[] = { R_COL_TIME, R_COL_KIND, R_COL_TARGET };
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us),
		SV_INT(MAX_RESPONSES) };
	json_t *rows, *r;
	size_t i;

	rw_h2(w, R_TAMPER);
	if (f->tamper_alerts == 0 && f->restored == 0 && f->quarantined == 0) {
		rw_none(w, R_NO_TAMPER);
		return;
	}
	rw_figs_start(w);
	rw_fig(w, R_TAMPER_ALERTS, f->tamper_alerts);
	rw_fig(w, R_TAMPER_RESTORED, f->restored);
	rw_fig(w, R_TAMPER_QUARANTINED, f->quarantined);
	rw_figs_end(w);
	rows = rw_query(w, SQL_RESPONSES, v, 3, 0);
	if (json_array_size(rows)) {
		rw_table(w, cols, 3);
		json_array_foreach(rows, i, r) {
			rw_raw(w, "<tr>");
			rw_td_time(w, rj_int(r, "at"));
			rw_raw(w, "<td>");
			rw_tr(w, strcmp(rj_str(r, "kind"), "restore") == 0 ? R_ACT_RESTORE : R_ACT_QUARANTINE);
			rw_raw(w, "</td><td>");
			rw_text_cut(w, rj_str(r, "target"), PATH_MAX_SHOWN);
			rw_raw(w, "</td>");
			rw_raw(w, "</tr>\n");
		}
		rw_table_end(w);
	}
	json_decref(rows);
}

static void
blocks(struct rw *w, const struct report_facts *f)
{
	static const enum rstr cols[] = { R_COL_TARGET, R_COL_REASON, R_COL_EXPIRES };
	const struct store_val v[] = { SV_INT(f->at), SV_INT(MAX_BLOCKS) };
	json_t *rows, *r;
	size_t i;

	rw_h2(w, R_BLOCKS);
	if (f->blocks_now == 0 && f->blocks_new == 0) {
		rw_none(w, R_NO_BLOCKS);
		return;
	}
	rw_figs_start(w);
	rw_fig(w, R_BLOCKS_ACTIVE, f->blocks_now);
	rw_fig(w, R_BLOCKS_NEW, f->blocks_new);
	rw_figs_end(w);
	rows = rw_query(w, SQL_BLOCKS_LIST, v, 2, 0);
	if (json_array_size(rows)) {
		rw_table(w, cols, 3);
		json_array_foreach(rows, i, r) {
			rw_raw(w, "<tr>");
			rw_td(w, rj_str(r, "target"));
			rw_td(w, rj_str(r, "reason"));
			rw_td_time(w, rj_int(r, "expires_at"));
			rw_raw(w, "</tr>\n");
		}
		rw_table_end(w);
	}
	json_decref(rows);
}

static void
findings(struct rw *w, const struct report_facts *f)
{
	static const enum rstr cols[] = { R_COL_SEVERITY, R_COL_TITLE, R_COL_TARGET };
	const struct store_val v[] = { SV_INT(w->o->to_us), SV_INT(MAX_FINDINGS) };
	json_t *rows, *r;
	size_t i;

	rw_h2(w, R_VULNS);
	if (f->f_total == 0 && f->notices_open == 0) {
		rw_none(w, R_NO_FINDINGS);
		return;
	}
	rw_figs_start(w);
	if (f->f_total) {
		rw_fig(w, R_FIND_FOUND, f->f_found);
		rw_fig(w, R_FIND_FIXED, f->f_fixed);
		rw_fig(w, R_FIND_OPEN, f->f_open);
		rw_fig(w, R_FIND_ACCEPTED, f->f_accepted);
	}
	rw_fig(w, R_NOTICES_OPEN, f->notices_open);
	rw_figs_end(w);
	if (!f->findings_008 || f->f_open == 0)
		return;
	rows = rw_query(w, SQL_FIND_TOP_008, v, 2, 0);
	rw_table(w, cols, 3);
	json_array_foreach(rows, i, r) {
		rw_raw(w, "<tr>");
		rw_td(w, report_sev(w->lang, (int)rj_int(r, "severity")));
		rw_td(w, rj_str(r, "title"));
		rw_td(w, rj_str(r, "asset"));
		rw_raw(w, "</tr>\n");
	}
	rw_table_end(w);
	json_decref(rows);
}

static void
assets(struct rw *w, const struct report_facts *f)
{
	static const enum rstr cols[] = { R_COL_TARGET, R_COL_SITE, R_COL_TIME };
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us),
		SV_INT(MAX_ASSETS) };
	json_t *rows, *r;
	size_t i;

	rw_h2(w, R_ASSETS);
	if (f->a_total == 0) {
		rw_none(w, R_NO_ASSETS);
		return;
	}
	rw_figs_start(w);
	rw_fig(w, R_ASSETS_TOTAL, f->a_total);
	rw_fig(w, R_ASSETS_SHADOW_NEW, f->a_new_shadow);
	rw_fig(w, R_ASSETS_SHADOW_ALL, f->a_shadow);
	rw_figs_end(w);
	if (f->a_new_shadow == 0)
		return;
	rows = rw_query(w, SQL_ASSETS_NEW, v, 3, 0);
	rw_table(w, cols, 3);
	json_array_foreach(rows, i, r) {
		rw_raw(w, "<tr>");
		rw_td(w, rj_str(r, "address"));
		rw_td(w, rj_str(r, "hostname"));
		rw_td_time(w, rj_int(r, "first_seen"));
		rw_raw(w, "</tr>\n");
	}
	rw_table_end(w);
	json_decref(rows);
}

void
report_handovers(struct rw *w, size_t max)
{
	static const enum rstr cols[] = { R_COL_TIME, R_COL_FROM, R_COL_TO, R_COL_NOTE };
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us),
		SV_INT((long long)max) };
	json_t *rows = rw_query(w, SQL_HANDOVERS, v, 3, 0), *r;
	size_t i;

	if (json_array_size(rows) == 0) {
		rw_none(w, R_NO_HANDOVERS);
		json_decref(rows);
		return;
	}
	rw_table(w, cols, 4);
	json_array_foreach(rows, i, r) {
		rw_raw(w, "<tr>");
		rw_td_time(w, rj_int(r, "at"));
		rw_td(w, rj_str(r, "from_person"));
		rw_td(w, rj_str(r, "to_person"));
		rw_td(w, rj_str(r, "note"));
		rw_raw(w, "</tr>\n");
	}
	rw_table_end(w);
	json_decref(rows);
}

void
report_duty(struct rw *w, const struct report_facts *f, size_t max_handovers)
{
	rw_h2(w, R_DUTY);
	if (!f->has_duty) {
		rw_none(w, R_NO_DUTY);
	} else {
		rw_figs_start(w);
		rw_fig(w, R_DUTY_COVERED, f->duty_covered / 60);
		rw_fig(w, R_DUTY_GAP, facts_duty_gap_hours(f));
		rw_figs_end(w);
	}
	report_handovers(w, max_handovers);
}

int
report_daily(struct rw *w)
{
	struct report_facts f;

	report_facts(w, &f);
	rw_page_start(w, R_DAILY_TITLE);
	report_status(w, &f);
	report_decisions(w, &f);
	rw_raw(w, "<div class=\"grid\"><div>");
	rw_h2(w, R_ATTACKS_HOUR);
	if (f.alerts)
		hours_chart(w, &f);
	else
		rw_none(w, R_NO_ALERTS);
	rw_h2(w, R_ATTACKS_CAT);
	if (f.alerts)
		categories_chart(w, &f);
	else
		rw_none(w, R_NO_ALERTS);
	rw_raw(w, "</div><div>");
	sources(w, &f);
	sites(w, &f);
	rw_raw(w, "</div></div>\n<div class=\"grid\"><div>");
	incidents(w, &f);
	tamper(w, &f);
	rw_raw(w, "</div><div>");
	blocks(w, &f);
	findings(w, &f);
	assets(w, &f);
	report_duty(w, &f, MAX_HANDOVERS);
	rw_raw(w, "</div></div>\n");
	rw_page_end(w);
	report_facts_free(&f);
	return w->err;
}
