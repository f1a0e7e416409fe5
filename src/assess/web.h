/* `vigil assess web`: runs a set of web templates against one site. The site's
 * not-found behaviour is learnt first (three random paths); a probe whose answer
 * looks like that not-found page is dropped, so a site answering 200 to every
 * path yields no exposure findings. Requests for the site's own base URL (header,
 * cookie, CORS and method checks) are judged as they are. */
#ifndef VG_WEB_H
#define VG_WEB_H

#include "assess/web_http.h"
#include "assess/web_tmpl.h"
#include "assess/webcheck.h"

#include <stddef.h>
#include <stdint.h>

struct web_run_opts {
	struct web_http_opts http;
	const char *only;	/* run only the template with this id (recheck), or NULL */
};

struct web_run_stats {
	size_t templates;	/* templates run */
	size_t requests;	/* requests sent, not-found probes included */
	size_t failed;		/* requests without an answer */
	size_t findings;
	size_t dropped;		/* matches dropped as looking like the not-found page */
};

/* The base URL of url for templates ({{BaseURL}}: scheme://host[:port][/path]
 * without a trailing slash, query or fragment) into out. VG_ERR_INVAL for what is
 * not an http(s) URL with a host (why says so). */
int web_base_url(const char *url, char *out, size_t size, char *why, size_t whysz);

/* Runs the templates of ts (or only o->only) against the site at url: fn gets one
 * finding per template that matched (family "web", check = template id, target =
 * the base URL, asset_id as given). *st is cleared first. 0; VG_ERR_INVAL for a bad
 * URL or an unknown o->only; VG_ERR_IO when the site did not answer any of the
 * not-found probes (why says what curl said); what fn returned, if not 0. */
int web_check_site(const struct web_tmpl_set *ts, const char *url, int64_t asset_id,
    const struct web_run_opts *o, wc_finding_fn fn, void *arg, struct web_run_stats *st,
    char *why, size_t whysz);

#endif
