/* Inside src/report: the HTML writer every section shares. Errors are sticky (as in
 * curl's dynbuf): after the first failed append every write is a no-op and the
 * section code checks w->err once, at the end, instead of after each cell. */
#ifndef VG_REPORT_INT_H
#define VG_REPORT_INT_H

#include "report/i18n.h"
#include "report/report.h"

#include <stdbool.h>

struct rw {
	struct vg_buf *b;
	struct vg_store *st;
	const struct report_opts *o;
	enum report_lang lang;
	int err;	/* first VG_ERR_* of a write or query; 0 while fine */
};

/* Trusted markup (string literals of this folder only). */
void rw_raw(struct rw *w, const char *s);
void rw_fmt(struct rw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text from the store: HTML-escaped, control bytes shown as \xNN; NULL as "-". */
void rw_text(struct rw *w, const char *s);
/* The same cut to at most max bytes at a character boundary, "..." marking a cut
 * (the one-page briefing cannot give a defacement's whole title a row). */
void rw_text_cut(struct rw *w, const char *s, size_t max);
/* A word of the language, escaped. */
void rw_tr(struct rw *w, enum rstr id);
/* A template of the language with {n} and {m} replaced by the counts. */
void rw_tpl(struct rw *w, enum rstr id, long long n, long long m);
/* µs since the epoch as local "YYYY-MM-DD HH:MM" ("-" for 0). */
void rw_time(struct rw *w, int64_t us);
/* A duration as "2d 3h", "1h 05m", "4m 10s" or "12s". */
void rw_dur(struct rw *w, int64_t us);
void rw_int(struct rw *w, long long n);
/* Percentage n/d with one decimal ("-" when d is 0). */
void rw_pct(struct rw *w, long long n, long long d);

void rw_page_start(struct rw *w, enum rstr title);
void rw_page_end(struct rw *w);
/* <h2> with the section's title. */
void rw_h2(struct rw *w, enum rstr id);
/* The one line a section without data gets. */
void rw_none(struct rw *w, enum rstr id);
/* <table> with a header row of n column titles; rw_table_end closes it. */
void rw_table(struct rw *w, const enum rstr *cols, size_t n);
void rw_table_end(struct rw *w);
/* One key-figure row "<tr><th>label</th><td>n</td></tr>" of a two-column table. */
void rw_kv(struct rw *w, enum rstr label, long long n);
/* Key figures on one line: rw_figs_start, then one rw_fig per figure, rw_figs_end. */
void rw_figs_start(struct rw *w);
void rw_fig(struct rw *w, enum rstr label, long long n);
void rw_figs_end(struct rw *w);
/* Cells: escaped text, an integer, a local time. */
void rw_td(struct rw *w, const char *s);
void rw_td_int(struct rw *w, long long n);
void rw_td_time(struct rw *w, int64_t us);

/* Queries through the store's statement API; failures become w->err. *rows / *row
 * are new (caller decrefs) or NULL after a failure. */
json_t *rw_query(struct rw *w, const char *sql, const struct store_val *v, size_t n,
    size_t max_rows);
/* The first column of a one-row query as an integer (0 when NULL or failed). */
long long rw_count(struct rw *w, const char *sql, const struct store_val *v, size_t n);
/* Whether table (and column, when not NULL) exists: later migrations (assets,
 * findings of other stages) may not be in every store, and a section says so. */
bool rw_has(struct rw *w, const char *table, const char *column);

/* Member k of o as a string ("" when absent) / an integer (0). */
const char *rj_str(const json_t *o, const char *k);
long long rj_int(const json_t *o, const char *k);

/* SVG charts (svg.c): bars of values with labels; both escape the labels. */
struct svg_bar {
	const char *label;
	long long value;
};
/* Vertical bars (e.g. 24 hours); label every `every`-th bar. */
void svg_vbars(struct rw *w, const struct svg_bar *bars, size_t n, size_t every);
/* Horizontal bars, one labelled row each (e.g. categories). */
void svg_hbars(struct rw *w, const struct svg_bar *bars, size_t n);

/* The sorted values' q-quantile (0..1) by nearest rank; 0 for n == 0. Sorts v. */
int64_t report_quantile(int64_t *v, size_t n, double q);

/* Sections (daily.c, final.c). */
int report_daily(struct rw *w);
int report_final(struct rw *w);

/* The temp table "rpt_alerts" holding the period's alerts (narrow columns), built
 * with one scan of alerts, for the final summary's timeline and advice, which
 * group it by day and category instead of rescanning the wide alerts table. The
 * daily briefing does not build it (scan.c reads alerts once instead). */
int report_period_alerts(struct rw *w);

#endif
