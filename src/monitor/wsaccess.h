/* webshell.accessed: joins what no single source shows. `watch` saw a script appear in
 * a web root since its baseline (or quarantined one); the access log then shows a
 * request for it. The scripts come in as a sink of the alert path (fim.added and
 * webshell.detected alerts, after the store sink gave them their ids); the requests
 * are looked up by the pipeline, which turns a match into a correlated rule hit, so
 * the alert is stored, printed, blocked on and filed like any other rule alert. */
#ifndef VG_WSACCESS_H
#define VG_WSACCESS_H

#include "core/config.h"
#include "core/event.h"
#include "core/log.h"
#include "core/store.h"
#include "monitor/alert.h"
#include "monitor/correlate.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Scripts remembered at most; the oldest is forgotten first (counted in stats). */
#define WSACCESS_MAX_FILES 10000

struct protect;
struct wsaccess;

/* New tracker for the web roots of p (borrowed: names, paths and loaded baselines;
 * must outlive the tracker) with each root's url_prefix and access_logs from its
 * config. max_files 0 = WSACCESS_MAX_FILES. Caller frees with wsaccess_free. */
int wsaccess_new(const struct protect *p, size_t max_files, const struct vg_logger *lg,
    struct wsaccess **out);
void wsaccess_free(struct wsaccess *w);

/* The sink row (state = the struct wsaccess): remembers a server-side script from a
 * fim.added alert, and one a webshell.detected alert found outside the baseline or
 * quarantined. Register it after the store sink, so the file alert's id is known. */
extern const struct sink_ops sink_wsaccess;

/* Start of `watch`: remembers the scripts of the newest stored fim.added and
 * webshell.detected alerts (up to the cap) that are still not in their root's
 * baseline, so a restart does not forget a dropped file. Returns how many via n. */
int wsaccess_restore(struct wsaccess *w, struct vg_store *st, size_t *n);

/* Whether the HTTP request ev asks for a remembered script (through its root's
 * url_prefix, from one of its access_logs). On a match, hit is filled with the
 * webshell.accessed rule (static strings) and its text, which links the file event:
 * path, when it was seen, verdict, file alert id, and what made the request stand out
 * (POST, no referer, a high-entropy query). text (text_size bytes, e.g.
 * RULE_HIT_TEXT_MAX) is the caller's and backs hit->text. */
bool wsaccess_match(struct wsaccess *w, const struct vg_event *ev, struct correlate_hit *hit,
    char *text, size_t text_size);

struct wsaccess_stats {
	uint64_t files;		/* remembered now */
	uint64_t forgotten;	/* dropped for the cap */
	uint64_t matches;	/* requests that matched */
};
void wsaccess_get_stats(const struct wsaccess *w, struct wsaccess_stats *out);

/* The URL path a request names: query and fragment cut, an absolute-form
 * "http://host" dropped, %XX decoded, "//", "/./" and "/../" folded the way a web
 * server maps it to a file. Exposed for the unit test. 0 or VG_ERR_LIMIT/INVAL. */
int wsaccess_url_path(const char *url, char *out, size_t size);

#endif
