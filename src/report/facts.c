/* The period's key figures, computed once and shared by the status sentence, the
 * sections and the decisions list of both reports, so the sentence at the top can
 * never disagree with the tables under it. */
#include "report/facts.h"
#include "report/sql_report.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t
facts_handled_at(const json_t *inc)
{
	/* A false positive skips disposal: verifying it is its handling. */
	if (strcmp(rj_str(inc, "verdict"), "false_positive") == 0)
		return rj_int(inc, "verified_at");
	return rj_int(inc, "disposed_at");
}

int64_t
facts_sla_us(const struct rw *w, int severity, bool ack)
{
	const struct vg_config *cfg = w->o->cfg;

	if (!cfg || severity < 0 || severity > 4)
		return 0;
	return (ack ? cfg->sla[severity].ack : cfg->sla[severity].dispose) * 1000000LL;
}

static bool
open_state(const char *s)
{
	return strcmp(s, "new") == 0 || strcmp(s, "acknowledged") == 0 ||
	    strcmp(s, "verified") == 0;
}

static void
incident_facts(struct rw *w, struct report_facts *f)
{
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us) };
	json_t *inc;
	size_t i;

	f->incidents = rw_query(w, SQL_INCIDENTS, v, 2, 0);
	json_array_foreach(f->incidents, i, inc) {
		int64_t created = rj_int(inc, "created_at"), handled = facts_handled_at(inc);
		int64_t due = rj_int(inc, "due_at"), sla;

		if (created >= w->o->from_us && created < w->o->to_us)
			f->inc_opened++;
		if (strcmp(rj_str(inc, "verdict"), "false_positive") == 0 && created >= w->o->from_us)
			f->inc_fp++;
		if (handled >= w->o->from_us && handled < w->o->to_us) {
			f->inc_handled++;
			sla = facts_sla_us(w, (int)rj_int(inc, "severity"), false);
			if (sla == 0 || handled - created <= sla)
				f->inc_within++;
			else
				f->inc_late++;
		}
		if (open_state(rj_str(inc, "state")) && due > 0 && due <= f->at)
			f->inc_overdue++;
	}
}

static void
row_counts(struct rw *w, const char *sql, const struct store_val *v, size_t n,
    const char *const *keys, long long *const *out, size_t nk)
{
	json_t *rows = rw_query(w, sql, v, n, 1), *row = json_array_get(rows, 0);

	for (size_t i = 0; i < nk; i++)
		*out[i] = rj_int(row, keys[i]);
	json_decref(rows);
}

/* The shift of repetition k (k days after the first), in µs: a daily shift starts
 * at the same local time each day and ends its length later on the clock, as the
 * roster decides who is on duty (cases/duty.c: local time of day), so across a DST
 * change it keeps its hours and a night shift over it is an hour shorter or longer. */
static void
shift_rep(int64_t a_us, int64_t len_us, int64_t k, int64_t *s0, int64_t *s1)
{
	time_t a = (time_t)(a_us / 1000000);
	struct tm start, end;

	localtime_r(&a, &start);
	end = start;
	start.tm_mday += (int)k;
	start.tm_isdst = -1;
	end.tm_mday += (int)k;
	end.tm_sec += (int)(len_us / 1000000);
	end.tm_isdst = -1;
	*s0 = (int64_t)mktime(&start) * 1000000 + a_us % 1000000;
	*s1 = (int64_t)mktime(&end) * 1000000 + a_us % 1000000;
}

/* Minutes of [from, to) covered by at least one shift (daily shifts repeat on the
 * local calendar: shift_rep). */
static void
duty_facts(struct rw *w, struct report_facts *f)
{
	int64_t from = w->o->from_us, to = w->o->to_us, min_us = 60000000LL;
	size_t minutes = (size_t)((to - from + min_us - 1) / min_us), i;
	unsigned char *cov;
	json_t *rows, *s;

	f->duty_minutes = (long long)minutes;
	if (!rw_has(w, "duty_shifts", NULL) || minutes > 60 * 24 * 400)
		return;
	rows = rw_query(w, SQL_SHIFTS, NULL, 0, 0);
	if (!rows || json_array_size(rows) == 0) {
		json_decref(rows);
		return;
	}
	f->has_duty = true;
	if (!(cov = calloc(minutes, 1))) {
		w->err = VG_ERR_NOMEM;
		json_decref(rows);
		return;
	}
	json_array_foreach(rows, i, s) {
		int64_t a = rj_int(s, "starts_at"), b = rj_int(s, "ends_at"), day = 86400000000LL;
		int64_t k0 = 0, k1 = 0;

		if (rj_int(s, "daily")) {
			/* Repetitions that can reach the period (a day either side covers
			 * the hour a DST change moves them). */
			k0 = (from - b) / day - 1;
			k1 = (to - a) / day + 1;
		}
		for (int64_t k = k0; k <= k1; k++) {
			int64_t r0 = a, r1 = b;
			if (rj_int(s, "daily"))
				shift_rep(a, b - a, k, &r0, &r1);
			int64_t s0 = r0 - from, s1 = r1 - from;
			if (s1 <= 0 || s0 >= to - from)
				continue;
			for (int64_t m = s0 < 0 ? 0 : s0 / min_us; m < (int64_t)minutes && m * min_us < s1; m++)
				cov[m] = 1;
		}
	}
	for (size_t m = 0; m < minutes; m++)
		f->duty_covered += cov[m];
	free(cov);
	json_decref(rows);
}

int
report_facts(struct rw *w, struct report_facts *f)
{
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us) };

	memset(f, 0, sizeof(*f));
	f->at = w->o->now_us < w->o->to_us ? w->o->now_us : w->o->to_us;
	const struct store_val at[] = { SV_INT(f->at) };

	report_scan_alerts(w, f, w->o->kind == REPORT_FINAL);
	row_counts(w, SQL_RESPONSE_COUNTS, v, 2, (const char *const[]){ "restored", "quarantined" },
	    (long long *const[]){ &f->restored, &f->quarantined }, 2);
	f->blocks_now = rw_count(w, SQL_BLOCKS_COUNT, at, 1);
	row_counts(w, SQL_BLOCKS_NEW, v, 2, (const char *const[]){ "n", "targets" },
	    (long long *const[]){ &f->blocks_new, &f->blocks_new_targets }, 2);
	incident_facts(w, f);

	const char *fk[] = { "total", "found", "fixed", "open", "accepted", "critical" };
	long long *fo[] = { &f->f_total, &f->f_found, &f->f_fixed, &f->f_open, &f->f_accepted,
		&f->f_critical };
	f->findings_008 = rw_has(w, "findings", "state");
	if (f->findings_008)
		row_counts(w, SQL_FIND_008, v, 2, fk, fo, 6);
	else if (rw_has(w, "findings", "status"))
		row_counts(w, SQL_FIND_001, v, 2, fk, fo, 6);
	row_counts(w, SQL_NOTICES, at, 1, (const char *const[]){ "open", "overdue" },
	    (long long *const[]){ &f->notices_open, &f->notices_overdue }, 2);
	if (rw_has(w, "assets", "declared"))
		row_counts(w, SQL_ASSETS, v, 2, (const char *const[]){ "total", "shadow", "new_shadow" },
		    (long long *const[]){ &f->a_total, &f->a_shadow, &f->a_new_shadow }, 3);
	duty_facts(w, f);
	return w->err;
}

void
report_facts_free(struct report_facts *f)
{
	json_decref(f->rollup);
	json_decref(f->top_sources);
	json_decref(f->incidents);
	f->rollup = f->top_sources = f->incidents = NULL;
}

static int
by_events(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
	long long ex = rj_int(x, "events"), ey = rj_int(y, "events");

	if (ex != ey)
		return ex < ey ? 1 : -1;
	return strcmp(rj_str(x, "key"), rj_str(y, "key"));
}

json_t *
facts_by(const struct report_facts *f, const char *key, size_t max)
{
	json_t *map = json_object(), *out = json_array(), *r, *e;
	json_t **all = NULL;
	const char *k;
	size_t i, n = 0;

	if (!map || !out)
		goto out;
	json_array_foreach(f->rollup, i, r) {
		k = rj_str(r, key);
		if (!(e = json_object_get(map, k))) {
			e = json_pack("{s:s, s:I, s:I}", "key", k, "alerts", (json_int_t)0, "events",
			    (json_int_t)0);
			if (!e || json_object_set_new(map, k, e) != 0)
				goto out;
		}
		json_object_set_new(e, "alerts", json_integer(rj_int(e, "alerts") + rj_int(r, "alerts")));
		json_object_set_new(e, "events", json_integer(rj_int(e, "events") + rj_int(r, "events")));
	}
	if (!(all = calloc(json_object_size(map) + 1, sizeof(*all))))
		goto out;
	json_object_foreach(map, k, e)
		all[n++] = e;
	qsort(all, n, sizeof(*all), by_events);
	for (i = 0; i < n && i < max; i++)
		json_array_append(out, all[i]);
out:
	free(all);
	json_decref(map);
	return out;
}

long long
facts_duty_gap_hours(const struct report_facts *f)
{
	if (!f->has_duty)
		return 0;
	return (f->duty_minutes - f->duty_covered) / 60;
}

/* One piece of the sentence; one is the English singular (n == 1) or 0. */
static void
piece(struct rw *w, bool *first, enum rstr id, enum rstr one, long long n, long long m)
{
	if (!*first)
		rw_tr(w, R_ST_SEP);
	*first = false;
	rw_tpl(w, n == 1 && one ? one : id, n, m);
}

void
report_status(struct rw *w, const struct report_facts *f)
{
	bool first = true;

	rw_raw(w, "<div class=\"status\">");
	if (f->events && f->sources)
		piece(w, &first, R_ST_ATTACKS, 0, f->events, f->sources);
	else if (f->events)
		piece(w, &first, R_ST_EVENTS, 0, f->events, 0);
	else
		piece(w, &first, R_ST_NO_ATTACKS, 0, 0, 0);
	if (f->intrusion)
		piece(w, &first, R_ST_INTRUSION, R_ST_INTRUSION_1, f->intrusion, 0);
	else
		piece(w, &first, R_ST_NO_INTRUSION, 0, 0, 0);
	if (f->inc_within)
		piece(w, &first, R_ST_DISPOSED_SLA, R_ST_DISPOSED_SLA_1, f->inc_within, 0);
	if (f->inc_late)
		piece(w, &first, R_ST_LATE, R_ST_LATE_1, f->inc_late, 0);
	if (f->inc_overdue)
		piece(w, &first, R_ST_OVERDUE, R_ST_OVERDUE_1, f->inc_overdue, 0);
	if (f->restored)
		piece(w, &first, R_ST_RESTORED, R_ST_RESTORED_1, f->restored, 0);
	if (f->quarantined)
		piece(w, &first, R_ST_QUARANTINED, R_ST_QUARANTINED_1, f->quarantined, 0);
	if (f->blocks_new_targets)
		piece(w, &first, R_ST_BLOCKED, R_ST_BLOCKED_1, f->blocks_new_targets, 0);
	rw_tr(w, R_ST_END);
	rw_raw(w, "</div>\n");
}

void
report_decisions(struct rw *w, const struct report_facts *f)
{
	const struct { enum rstr id; long long n; } items[] = {
		{ R_DEC_INTRUSION, f->intrusion },
		{ R_DEC_OVERDUE_INC, f->inc_overdue },
		{ R_DEC_CRIT_OPEN, f->f_critical },
		{ R_DEC_ACCEPTED, f->f_accepted },
		{ R_DEC_NOTICES, f->notices_overdue },
		{ R_DEC_DUTY_GAP, facts_duty_gap_hours(f) },
	};
	bool any = false;

	rw_h2(w, R_DECISIONS);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (items[i].n <= 0)
			continue;
		if (!any)
			rw_raw(w, "<ul class=\"decide\">");
		any = true;
		rw_raw(w, "<li>");
		rw_tpl(w, items[i].id, items[i].n, 0);
		rw_raw(w, "</li>");
	}
	if (any)
		rw_raw(w, "</ul>\n");
	else
		rw_none(w, R_NO_DECISIONS);
}
