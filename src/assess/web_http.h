/* The web checks' HTTP client: a batch of requests run concurrently on libcurl's
 * multi interface, with a per-host rate limit, timeouts and a cap on what is kept
 * of each body. Redirects are never followed (a check judges the answer it got,
 * and a Location header could point outside the scope), only http and https are
 * spoken, and certificates are not verified here: the TLS family judges them. */
#ifndef VG_WEB_HTTP_H
#define VG_WEB_HTTP_H

#include "assess/web_tmpl.h"

#include <stdbool.h>
#include <stddef.h>

struct vg_buf;

struct web_http_opts {
	long timeout_ms;	/* whole request; default 10000 */
	long connect_ms;	/* default 5000 */
	size_t max_body;	/* bytes kept of a body; default 1 MiB */
	unsigned rate;		/* requests started per second per host; default 10 */
	unsigned parallel;	/* requests in flight at once; default 4 */
};

/* One request: the caller fills the first block; web_http_run the second. */
struct web_fetch {
	const char *url;
	const char *method;		/* GET, HEAD, OPTIONS, TRACE */
	const struct web_header *headers;
	size_t nheaders;
	const char *body;		/* NULL = none */

	long status;			/* 0 when no answer */
	struct vg_buf *hdr;		/* raw header block of the response (caller frees) */
	struct vg_buf *resp;		/* body, at most max_body bytes (caller frees) */
	bool truncated;
	int err;			/* 0, or VG_ERR_IO (no answer: error text in why) */
	char why[128];
};

/* Runs f[0..n). A request that fails leaves its own err/why and the rest go on;
 * the result is 0, or VG_ERR_NOMEM / VG_ERR_IO when the client itself could not
 * run. Options of 0 take the defaults. */
int web_http_run(const struct web_http_opts *o, struct web_fetch *f, size_t n);
/* Frees what web_http_run put into f[0..n) (accepts never-run entries). */
void web_fetch_release(struct web_fetch *f, size_t n);

#endif
