/* Reports for leaders and for the record, read from the store alone: the daily
 * briefing (one page) and the final work summary (with its deliverables). Output is
 * one self-contained HTML document (inline CSS and SVG, no scripts), optionally
 * printed to PDF by headless Chromium. Every piece of text that came from the store
 * is escaped: alerts carry attacker bytes. */
#ifndef VG_REPORT_H
#define VG_REPORT_H

#include "core/buf.h"
#include "core/config.h"
#include "core/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum report_lang { REPORT_EN = 0, REPORT_ZH };
enum report_kind { REPORT_DAILY = 0, REPORT_FINAL };

#define REPORT_HTML_MAX (64u << 20)	/* a report larger than this is refused */

struct report_opts {
	enum report_kind kind;
	enum report_lang lang;
	int64_t from_us, to_us;		/* the period [from, to) */
	int64_t now_us;			/* "generated at" and what is overdue */
	const struct vg_config *cfg;	/* SLA clocks (sla.*) */
	/* Final summary only: the deliverables written beside the report
	 * (report_exports' result, borrowed; NULL = none written). */
	const json_t *deliverables;
};

/* "en" / "zh" into *out; 0 or VG_ERR_INVAL. */
int report_lang_parse(const char *s, enum report_lang *out);

/* The local calendar day holding day_us as [*from, *to) (23 or 25 hours across a
 * daylight-saving change). */
void report_day_range(int64_t day_us, int64_t *from, int64_t *to);

/* Renders the report o asks for into html (appended). 0, VG_ERR_STORE (a query
 * failed; store_errmsg says why), VG_ERR_LIMIT (over REPORT_HTML_MAX), VG_ERR_NOMEM. */
int report_render(struct vg_store *st, const struct report_opts *o, struct vg_buf *html);

/* Writes the final summary's deliverables into dir (created 0700 if missing; files
 * 0600, each through core/atomic): asset register, rectification list, incidents
 * with their history, notices and feedback, alerts with evidence counts, actions
 * (restores, quarantines, blocks), handovers, then SHA256SUMS over them. *list gets
 * a new array of {file, what, rows, sha256} (caller decrefs). 0 or VG_ERR_*. */
int report_exports(struct vg_store *st, const struct report_opts *o, const char *dir,
    json_t **list);

/* Prints html_path to pdf_path with headless Chromium (a child process, killed after
 * timeout_s). VG_ERR_NOTFOUND when no chromium is installed, VG_ERR_IO when it
 * failed or timed out; err gets a one-line reason either way. */
int report_pdf(const char *html_path, const char *pdf_path, int timeout_s, char *err,
    size_t err_size);

struct report_files {
	const char *html;		/* the HTML report (written 0600, atomically) */
	const char *pdf;		/* also print it here; NULL = HTML only */
	const char *exports_dir;	/* final summary: write deliverables here; NULL = none */
	int pdf_timeout_s;
};
/* The whole job: deliverables (if asked), the HTML, then the PDF (if asked). On
 * success *result is a new object {html, bytes, pdf?, exports?} (caller decrefs). On
 * failure err has a one-line reason; a failed PDF leaves the HTML written and returns
 * report_pdf's code. */
int report_write(struct vg_store *st, struct report_opts *o, const struct report_files *files,
    json_t **result, char *err, size_t err_size);

#endif
