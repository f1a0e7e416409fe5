/* One site, every template: learn the not-found page, send all probes as one
 * batch through web_http (rate limited per host), then judge each template's
 * answers. A template is one finding at most: its first matching answer. */
#include "assess/web.h"
#include "assess/web_match.h"
#include "core/sha256.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define NF_PROBES 3
#define URL_MAX 2048

/* One probe of the batch: which template/request it serves. */
struct probe {
	size_t t, q;
	char url[URL_MAX];
	size_t path;		/* offset of url's path part, for the fingerprint (an
				 * offset: the array of probes is realloc'd) */
	bool is_base;		/* the site's base itself: never compared with not-found */
};

int
web_base_url(const char *url, char *out, size_t size, char *why, size_t whysz)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	int rc = VG_ERR_INVAL;
	size_t pl;

	out[0] = '\0';
	if (!u)
		return VG_ERR_NOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
		snprintf(why, whysz, "'%.200s' is not a URL with a host", url);
		goto out;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		snprintf(why, whysz, "'%.200s': only http and https URLs", url);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
		port = NULL;
	if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		path = NULL;
	/* host names are case-insensitive: one spelling keeps one item per site */
	for (char *c = host; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	pl = path ? strlen(path) : 0;
	while (pl && path[pl - 1] == '/')
		pl--;
	if ((size_t)snprintf(out, size, "%s://%s%s%s%.*s", scheme, host, port ? ":" : "",
		port ? port : "", (int)pl, path ? path : "") >= size) {
		snprintf(why, whysz, "URL too long");
		out[0] = '\0';
		goto out;
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

/* The host of a base URL (an IPv6 address without its brackets), the asset name. */
static void
host_of(const char *base, char *out, size_t size)
{
	CURLU *u = curl_url();
	char *h = NULL;

	out[0] = '\0';
	if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
		size_t n = strlen(h);

		if (n >= 2 && h[0] == '[' && h[n - 1] == ']')
			snprintf(out, size, "%.*s", (int)n - 2, h + 1);
		else
			snprintf(out, size, "%s", h);
	}
	curl_free(h);
	curl_url_cleanup(u);
}

/* scheme://host[:port] of a base URL. */
static void
root_of(const char *base, char *out, size_t size)
{
	const char *h = strstr(base, "://");
	size_t n = h ? (size_t)(h + 3 - base) + strcspn(h + 3, "/") : strlen(base);

	snprintf(out, size, "%.*s", (int)n, base);
}

static int
expand(const char *tmpl_path, const char *base, const char *root, struct probe *p)
{
	const char *rest = tmpl_path + 11;	/* both placeholders are 11 bytes */
	const char *pre = strncmp(tmpl_path, "{{BaseURL}}", 11) == 0 ? base : root;
	const char *slash;

	if ((size_t)snprintf(p->url, sizeof(p->url), "%s%s", pre, rest) >= sizeof(p->url))
		return VG_ERR_LIMIT;
	slash = strstr(p->url, "://");
	p->path = slash ? (size_t)(slash - p->url) + 3 + strcspn(slash + 3, "/") : 0;
	p->is_base = *rest == '\0' || strcmp(rest, "/") == 0;
	return 0;
}

static void
resp_of(const struct web_fetch *f, struct web_resp *r)
{
	memset(r, 0, sizeof(*r));
	r->status = f->status;
	r->headers = vg_buf_ptr(f->hdr);
	r->hlen = vg_buf_len(f->hdr);
	r->body = vg_buf_ptr(f->resp);
	r->blen = vg_buf_len(f->resp);
	r->truncated = f->truncated;
}

/* Three paths no site has: plain, with an archive's extension, and a dot file,
 * since sites often route those three differently. */
static void
nf_paths(char out[NF_PROBES][64])
{
	unsigned char r[8];
	char hex[17];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0x5a, sizeof(r));
	vg_hex(r, sizeof(r), hex);
	snprintf(out[0], 64, "/vigil-nf-%s", hex);
	snprintf(out[1], 64, "/vigil-nf-%s.zip", hex);
	snprintf(out[2], 64, "/.vigil-nf-%s", hex);
}

static int
judge(const struct web_tmpl *t, const struct web_request *q, const struct probe *p,
    const struct web_fetch *f, const struct web_nf *nf, size_t nnf, struct vg_buf *ev,
    struct web_run_stats *st)
{
	struct web_resp r;
	char e[URL_MAX + 64];

	(void)t;
	if (f->err)
		return 0;
	resp_of(f, &r);
	if (!p->is_base) {
		struct web_nf mine;

		web_nf_make(&r, p->url + p->path, &mine);
		for (size_t i = 0; i < nnf; i++)
			if (web_nf_similar(&mine, &nf[i])) {
				/* Count a drop only when the template would have matched. */
				if (web_match(q, &r, NULL))
					st->dropped++;
				return 0;
			}
	}
	vg_buf_reset(ev);
	(void)vg_buf_putf(ev, "%s %s -> %ld (%zu bytes%s): ", q->method,
	    vg_esc_s(e, sizeof(e), p->url), r.status, r.blen, r.truncated ? ", cut" : "");
	if (!web_match(q, &r, ev))
		return 0;
	{
		struct vg_buf *x = vg_buf_new(2048);

		if (x) {
			web_extract(q, &r, x);
			if (vg_buf_len(x))
				(void)vg_buf_putf(ev, "; %s", vg_buf_ptr(x));
			vg_buf_free(x);
		}
	}
	return 1;
}

int
web_check_site(const struct web_tmpl_set *ts, const char *url, int64_t asset_id,
    const struct web_run_opts *o, wc_finding_fn fn, void *arg, struct web_run_stats *st,
    char *why, size_t whysz)
{
	char base[URL_MAX], root[URL_MAX], host[256], nfp[NF_PROBES][64];
	struct web_fetch nff[NF_PROBES];
	struct web_nf nf[NF_PROBES];
	struct probe *pr = NULL;
	struct web_fetch *fe = NULL;
	struct vg_buf *ev = NULL;
	size_t np = 0, cap = 0, nnf = 0;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(nff, 0, sizeof(nff));
	if ((rc = web_base_url(url, base, sizeof(base), why, whysz)))
		return rc;
	root_of(base, root, sizeof(root));
	host_of(base, host, sizeof(host));
	if (o->only && !web_tmpl_find(ts, o->only)) {
		snprintf(why, whysz, "no web template '%.64s'", o->only);
		return VG_ERR_INVAL;
	}
	/* 1. the not-found page */
	nf_paths(nfp);
	{
		char nfu[NF_PROBES][URL_MAX];

		for (int i = 0; i < NF_PROBES; i++) {
			snprintf(nfu[i], URL_MAX, "%s%s", base, nfp[i]);
			nff[i].url = nfu[i];
			nff[i].method = "GET";
		}
		if ((rc = web_http_run(&o->http, nff, NF_PROBES)))
			goto out;
		st->requests += NF_PROBES;
		for (int i = 0; i < NF_PROBES; i++) {
			struct web_resp r;

			if (nff[i].err) {
				st->failed++;
				snprintf(why, whysz, "%s: %s", base, nff[i].why);
				continue;
			}
			resp_of(&nff[i], &r);
			web_nf_make(&r, nfp[i], &nf[nnf++]);
		}
	}
	if (nnf == 0) {
		rc = VG_ERR_IO;
		goto out;
	}
	/* 2. every probe of every template, one batch */
	for (size_t t = 0; t < ts->n; t++) {
		const struct web_tmpl *tp = ts->t[t];

		if (o->only && strcmp(o->only, tp->id) != 0)
			continue;
		st->templates++;
		for (size_t q = 0; q < tp->nrequests; q++) {
			const struct web_request *rq = &tp->requests[q];

			/* "http" must not pass for "https": compare up to the colon */
			if (rq->scheme && (strncmp(base, rq->scheme, strlen(rq->scheme)) != 0 ||
				base[strlen(rq->scheme)] != ':'))
				continue;
			for (size_t k = 0; k < rq->npaths; k++) {
				if (np == cap) {
					size_t nc = cap ? cap * 2 : 64;
					struct probe *g = realloc(pr, nc * sizeof(*pr));

					if (!g) {
						rc = VG_ERR_NOMEM;
						goto out;
					}
					pr = g;
					cap = nc;
				}
				pr[np].t = t;
				pr[np].q = q;
				if (expand(rq->paths[k], base, root, &pr[np]) == 0)
					np++;
			}
		}
	}
	if (np && !(fe = calloc(np, sizeof(*fe)))) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < np; i++) {
		const struct web_request *rq = &ts->t[pr[i].t]->requests[pr[i].q];

		fe[i].url = pr[i].url;
		fe[i].method = rq->method;
		fe[i].headers = rq->headers;
		fe[i].nheaders = rq->nheaders;
		fe[i].body = rq->body;
	}
	if (np && (rc = web_http_run(&o->http, fe, np)))
		goto out;
	st->requests += np;
	if (!(ev = vg_buf_new(8192))) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	/* 3. judge, template by template (probes are in template order) */
	for (size_t i = 0; i < np; i++) {
		const struct web_tmpl *tp = ts->t[pr[i].t];
		struct wc_finding f;

		if (fe[i].err)
			st->failed++;
		if (!judge(tp, &tp->requests[pr[i].q], &pr[i], &fe[i], nf, nnf, ev, st))
			continue;
		f = (struct wc_finding){ .family = "web", .check = tp->id, .target = base,
			.asset = host, .ref = tp->origin, .title = tp->name, .severity = tp->severity, .evidence = vg_buf_ptr(ev),
			.remediation = tp->remediation, .asset_id = asset_id };
		st->findings++;
		if ((rc = fn(arg, &f)))
			goto out;
		/* one finding per template: skip its remaining probes */
		while (i + 1 < np && pr[i + 1].t == pr[i].t)
			i++;
	}
	rc = 0;
out:
	web_fetch_release(nff, NF_PROBES);
	web_fetch_release(fe, np);
	free(fe);
	free(pr);
	vg_buf_free(ev);
	return rc;
}
