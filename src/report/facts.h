/* The period's key figures (facts.c), shared by both reports. */
#ifndef VG_REPORT_FACTS_H
#define VG_REPORT_FACTS_H

#include "report/report_int.h"

struct report_facts {
	int64_t at;			/* the period's end, or now if sooner */
	long long alerts, events, sources, first, last;
	long long intrusion, tamper_alerts, restored, quarantined;
	long long blocks_now, blocks_new, blocks_new_targets;
	json_t *rollup;			/* {h, category, sensor, alerts, events}: hour x category x site (owned) */
	json_t *top_sources;		/* the top FACTS_TOP_SOURCES {source_ip, alerts, events, ioc, severity, n_sources, categories} (owned) */
	json_t *incidents;		/* SQL_INCIDENTS rows (owned) */
	long long inc_opened, inc_handled, inc_within, inc_late, inc_overdue, inc_fp;
	bool findings_008;		/* assess's findings table (state, owner, deadline) */
	long long f_total, f_found, f_fixed, f_open, f_accepted, f_critical;
	long long notices_open, notices_overdue;
	long long a_total, a_shadow, a_new_shadow;
	bool has_duty;
	long long duty_minutes, duty_covered;
};

/* The alerts' figures of f (alerts, events, sources, first, last, intrusion,
 * tamper_alerts, rollup, top_sources with their categories) from one pass over the
 * period's alerts (scan.c): from the alerts table, or from the final summary's temp
 * copy when from_tmp. 0 or VG_ERR_* (also in w->err). */
int report_scan_alerts(struct rw *w, struct report_facts *f, bool from_tmp);

/* Fills f (cleared first); 0 or the first VG_ERR_* (also in w->err). Free with
 * report_facts_free, also after a failure. */
int report_facts(struct rw *w, struct report_facts *f);
void report_facts_free(struct report_facts *f);

#define FACTS_TOP_SOURCES 8

/* The rollup summed over one of its keys ("category" or "sensor"): a new array of
 * {key, alerts, events}, most events first, at most max rows (caller decrefs). */
json_t *facts_by(const struct report_facts *f, const char *key, size_t max);

/* When an incident row was handled: disposed, or verified as a false positive. */
int64_t facts_handled_at(const json_t *inc);
/* The SLA clock (ack or dispose) of a severity in µs; 0 = no clock. */
int64_t facts_sla_us(const struct rw *w, int severity, bool ack);
long long facts_duty_gap_hours(const struct report_facts *f);

/* The one-sentence status and the leader's decision list. */
void report_status(struct rw *w, const struct report_facts *f);
void report_decisions(struct rw *w, const struct report_facts *f);

/* Shared cells and sections (daily.c): an incident's handling time against its
 * SLA as one <td>; when its notification went out (or "not notified") as one <td>;
 * the duty section with at most max handovers listed. */
void report_handling_cell(struct rw *w, const json_t *inc);
void report_handovers(struct rw *w, size_t max);
void report_notified_cell(struct rw *w, const json_t *inc);
void report_duty(struct rw *w, const struct report_facts *f, size_t max_handovers);

#endif
