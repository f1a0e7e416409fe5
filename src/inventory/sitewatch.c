/* Website watch checks (sitewatch.h): fetch, read the page, compare with the
 * baseline, record, report. One finding per rule and check (a page with forty
 * injected links is one alert listing some of them); a finding the previous check
 * also had is reported with is_new false, so a daemon alerts once per problem,
 * not once per interval. */
#include "inventory/sitewatch.h"
#include "inventory/sitewatch_fetch.h"
#include "inventory/sitewatch_page.h"

#include "core/sha256.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"

#include <errno.h>
#include <stdarg.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SW_MAX_FINDINGS 16
#define SW_MAX_KEYWORDS 2000
#define SW_BASE_TEXT (64 * 1024)
#define SW_DEFACED_BELOW 0.5

struct sitewatch {
	struct vg_store *st;
	const struct vg_config *cfg;
	char **keywords;
	size_t nkeywords;
};

static const char SQL_SW_BASE[] =
    "SELECT status, title, text_hash, text, links, dns_a, dns_ns, final_url"
    " FROM site_baselines WHERE url = $1";
static const char SQL_SW_BASE_SET[] =
    "INSERT INTO site_baselines(url, created_at, status, title, text_hash, text, links,"
    " dns_a, dns_ns, final_url) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    " ON CONFLICT(url) DO UPDATE SET created_at = excluded.created_at,"
    " status = excluded.status, title = excluded.title, text_hash = excluded.text_hash,"
    " text = excluded.text, links = excluded.links, dns_a = excluded.dns_a,"
    " dns_ns = excluded.dns_ns, final_url = excluded.final_url";
static const char SQL_SW_PREV[] =
    "SELECT findings FROM site_checks WHERE url = $1 ORDER BY id DESC LIMIT 1";
static const char SQL_SW_CHECK_ADD[] =
    "INSERT INTO site_checks(url, at, ok, status, ms, tls_not_after, error, findings)"
    " VALUES($1, $2, $3, $4, $5, $6, $7, $8)";

static int
load_keywords(struct sitewatch *sw, const char *path, char *err, size_t err_size)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f) {
		snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
		return VG_ERR_IO;
	}
	if (!(sw->keywords = calloc(SW_MAX_KEYWORDS, sizeof(char *)))) {
		fclose(f);
		return VG_ERR_NOMEM;
	}
	while (fgets(line, sizeof(line), f) && sw->nkeywords < SW_MAX_KEYWORDS) {
		size_t n = strcspn(line, "\r\n");
		line[n] = '\0';
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!(sw->keywords[sw->nkeywords] = strdup(line)))
			break;
		sw->nkeywords++;
	}
	fclose(f);
	return VG_OK;
}

int
sitewatch_open(struct vg_store *st, const struct vg_config *cfg, const char *rules_dir,
    struct sitewatch **out, char *err, size_t err_size)
{
	struct sitewatch *sw = calloc(1, sizeof(*sw));
	char path[4200];
	int r = VG_OK;

	*out = NULL;
	if (!sw)
		return VG_ERR_NOMEM;
	sw->st = st;
	sw->cfg = cfg;
	if (cfg->sitewatch.keywords) {
		r = load_keywords(sw, cfg->sitewatch.keywords, err, err_size);
	} else if (rules_dir) {
		snprintf(path, sizeof(path), "%s/assets/spamlinks.txt", rules_dir);
		r = load_keywords(sw, path, err, err_size);
	}
	if (r != VG_OK) {
		sitewatch_close(sw);
		return r;
	}
	*out = sw;
	return VG_OK;
}

void
sitewatch_close(struct sitewatch *sw)
{
	if (!sw)
		return;
	for (size_t i = 0; i < sw->nkeywords; i++)
		free(sw->keywords[i]);
	free(sw->keywords);
	free(sw);
}

struct run {
	struct sitewatch *sw;
	const struct vg_site_cfg *site;
	const char *name;
	struct site_fetch f;
	struct page pg;
	json_t *base;		/* baseline row, or NULL */
	json_t *base_extra;	/* parsed links column {links, redirects, scripts} */
	json_t *prev;		/* previous check's finding rule ids */
	struct site_finding fs[SW_MAX_FINDINGS];
	size_t n;
};

static struct site_finding *
finding(struct run *r, const char *rule, const char *cat, const char *mitre,
    enum vg_severity sev)
{
	struct site_finding *f;

	if (r->n == SW_MAX_FINDINGS)
		return NULL;
	f = &r->fs[r->n++];
	memset(f, 0, sizeof(*f));
	f->rule_id = rule;
	f->category = cat;
	f->mitre = mitre;
	f->severity = sev;
	f->site = r->name;
	f->url = r->site->url;
	return f;
}

/* Appends to a finding's evidence, "; " separated, cut at its size. */
static void __attribute__((format(printf, 2, 3)))
evidence_add(struct site_finding *f, const char *fmt, ...)
{
	size_t n = strlen(f->evidence);
	va_list ap;

	if (n + 8 >= sizeof(f->evidence))
		return;
	if (n)
		n += (size_t)snprintf(f->evidence + n, sizeof(f->evidence) - n, "; ");
	if (n < sizeof(f->evidence)) {
		va_start(ap, fmt);
		vsnprintf(f->evidence + n, sizeof(f->evidence) - n, fmt, ap);
		va_end(ap);
	}
}

/* The host of an absolute or protocol-relative URL, lower-cased into out; the
 * site's own host for a relative one. */
static void
url_host(const char *href, const char *self, char *out, size_t size)
{
	const char *p = NULL;
	size_t n;

	if (strncasecmp(href, "http://", 7) == 0)
		p = href + 7;
	else if (strncasecmp(href, "https://", 8) == 0)
		p = href + 8;
	else if (strncmp(href, "//", 2) == 0)
		p = href + 2;
	if (!p) {
		vg_strlcpy(out, self, size);
		return;
	}
	n = strcspn(p, "/:?#");
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
	out[n] = '\0';
}

/* Foreign to the site: neither its host nor a host under the same name without
 * "www." (static.example.org belongs to www.example.org). */
static bool
foreign(const char *host, const char *self)
{
	const char *base = strncasecmp(self, "www.", 4) == 0 ? self + 4 : self;
	size_t h = strlen(host), b = strlen(base);

	if (strcasecmp(host, self) == 0 || strcasecmp(host, base) == 0)
		return false;
	return !(h > b && host[h - b - 1] == '.' && strcasecmp(host + h - b, base) == 0);
}

static bool
in_list(json_t *list, const char *key, const char *v)
{
	json_t *x;
	size_t i;

	json_array_foreach(list, i, x) {
		const char *s = key ? json_string_value(json_object_get(x, key)) : json_string_value(x);
		if (s && strcmp(s, v) == 0)
			return true;
	}
	return false;
}

static const char *
keyword_in(const struct sitewatch *sw, const char *a, const char *b)
{
	for (size_t i = 0; i < sw->nkeywords; i++)
		if ((a && strcasestr(a, sw->keywords[i])) || (b && strcasestr(b, sw->keywords[i])))
			return sw->keywords[i];
	return NULL;
}

static void
check_links(struct run *r)
{
	json_t *base_links = json_object_get(r->base_extra, "links");
	struct site_finding *hidden = NULL, *spam = NULL;
	char host[256];
	size_t nh = 0, ns = 0;

	for (size_t i = 0; i < r->pg.nlinks; i++) {
		const struct page_link *l = &r->pg.links[i];
		const char *kw = keyword_in(r->sw, l->href, l->text);
		url_host(l->href, r->f.host, host, sizeof(host));
		if (kw) {
			if (!spam && !(spam = finding(r, "site.spam_link", "defacement", "T1491.002",
					   VG_SEV_HIGH)))
				continue;
			if (l->hidden)
				spam->severity = VG_SEV_CRITICAL;
			if (ns++ < 5)
				evidence_add(spam, "%slink %.200s '%.80s' (keyword %.40s)",
				    l->hidden ? "hidden " : "", l->href, l->text ? l->text : "", kw);
			continue;
		}
		if (r->base && l->hidden && foreign(host, r->f.host) &&
		    !in_list(base_links, "href", l->href)) {
			if (!hidden && !(hidden = finding(r, "site.hidden_link", "defacement",
					     "T1491.002", VG_SEV_CRITICAL)))
				continue;
			if (nh++ < 5)
				evidence_add(hidden, "%s '%.80s'", l->href, l->text ? l->text : "");
		}
	}
	if (spam)
		snprintf(spam->title, sizeof(spam->title), "%s: %zu spam (gambling/porn) link%s%s",
		    r->name, ns, ns == 1 ? "" : "s", spam->severity == VG_SEV_CRITICAL ?
		    ", hidden from visitors" : "");
	if (hidden)
		snprintf(hidden->title, sizeof(hidden->title),
		    "%s: %zu new hidden link%s to other sites", r->name, nh, nh == 1 ? "" : "s");
}

static void
check_injections(struct run *r)
{
	json_t *base_red = json_object_get(r->base_extra, "redirects");
	json_t *base_js = json_object_get(r->base_extra, "scripts");
	struct site_finding *red = NULL, *js = NULL;
	char host[256], base_host[256];

	for (size_t i = 0; i < r->pg.nredirects; i++)
		if (!in_list(base_red, NULL, r->pg.redirects[i]) &&
		    (red || (red = finding(r, "site.redirect_injected", "injection", "T1491.002",
				 VG_SEV_CRITICAL))))
			evidence_add(red, "in page: %.200s", r->pg.redirects[i]);
	url_host(r->f.final_url, r->f.host, host, sizeof(host));
	url_host(json_string_value(json_object_get(r->base, "final_url")) ?
		json_string_value(json_object_get(r->base, "final_url")) : r->site->url,
	    r->f.host, base_host, sizeof(base_host));
	if (foreign(host, r->f.host) && strcasecmp(host, base_host) != 0 &&
	    (red || (red = finding(r, "site.redirect_injected", "injection", "T1491.002",
			 VG_SEV_CRITICAL))))
		evidence_add(red, "visitors end up at %.300s", r->f.final_url);
	if (red)
		snprintf(red->title, sizeof(red->title), "%s: redirect injected", r->name);
	for (size_t i = 0; i < r->pg.nscripts; i++) {
		url_host(r->pg.scripts[i], r->f.host, host, sizeof(host));
		if (foreign(host, r->f.host) && !in_list(base_js, NULL, r->pg.scripts[i]) &&
		    (js || (js = finding(r, "site.script_injected", "injection", "T1491.002",
				VG_SEV_HIGH))))
			evidence_add(js, "%.300s", r->pg.scripts[i]);
	}
	if (js)
		snprintf(js->title, sizeof(js->title), "%s: new script from another site", r->name);
}

static void
check_content(struct run *r)
{
	const char *btext = json_string_value(json_object_get(r->base, "text"));
	const char *btitle = json_string_value(json_object_get(r->base, "title"));
	size_t cmp_len = r->pg.text_len < SW_BASE_TEXT ? r->pg.text_len : SW_BASE_TEXT;
	double sim;

	if (!btext)
		return;
	sim = page_similarity(btext, strlen(btext), r->pg.text, cmp_len);
	if (sim >= SW_DEFACED_BELOW)
		return;
	struct site_finding *f = finding(r, "site.defaced", "defacement", "T1491.002",
	    VG_SEV_CRITICAL);
	if (!f)
		return;
	snprintf(f->title, sizeof(f->title), "%s: page defaced (%.0f%% like the baseline)",
	    r->name, sim * 100);
	if (btitle && strcmp(btitle, r->pg.title) != 0)
		evidence_add(f, "title '%.200s' -> '%.200s'", btitle, r->pg.title);
	evidence_add(f, "text now: %.400s", r->pg.text);
}

static void
check_dns(struct run *r)
{
	static const char *const keys[] = { "dns_a", "dns_ns" };

	for (int k = 0; k < 2; k++) {
		const char *was = json_string_value(json_object_get(r->base, keys[k]));
		json_t *now = k ? r->f.dns_ns : r->f.dns_a;
		json_t *before = was ? json_loads(was, 0, NULL) : NULL;
		if (before && json_array_size(now) && !json_equal(before, now)) {
			struct site_finding *f = k ? finding(r, "site.ns_changed", "dns", "T1584.002",
							 VG_SEV_CRITICAL)
						   : finding(r, "site.dns_changed", "dns", "T1584.002",
							 VG_SEV_HIGH);
			char *b = json_dumps(before, JSON_COMPACT), *n = json_dumps(now, JSON_COMPACT);
			if (f) {
				snprintf(f->title, sizeof(f->title), "%s: %s answers changed (DNS hijack?)",
				    r->name, k ? "NS" : "A/AAAA");
				evidence_add(f, "was %.400s, now %.400s", b, n);
			}
			free(b);
			free(n);
		}
		json_decref(before);
	}
}

static void
check_basics(struct run *r, int64_t now)
{
	const struct vg_config *cfg = r->sw->cfg;
	long expect = r->site->expect_status ? r->site->expect_status :
	    (long)json_integer_value(json_object_get(r->base, "status"));
	struct site_finding *f;
	char a[64], b[64];

	if (r->f.err[0] || r->f.status == 0 || r->f.status >= 500) {
		if ((f = finding(r, "site.down", "availability", NULL, VG_SEV_HIGH))) {
			snprintf(f->title, sizeof(f->title), "%s: site down", r->name);
			snprintf(a, sizeof(a), "HTTP %ld", r->f.status);
			evidence_add(f, "%s", r->f.err[0] ? r->f.err : a);
		}
		return;
	}
	if (expect && r->f.status != expect &&
	    (f = finding(r, "site.status_changed", "availability", NULL, VG_SEV_MEDIUM))) {
		snprintf(f->title, sizeof(f->title), "%s: HTTP status %ld, expected %ld", r->name,
		    r->f.status, expect);
	}
	if (r->f.ms > cfg->sitewatch.slow_ms &&
	    (f = finding(r, "site.slow", "availability", NULL, VG_SEV_LOW))) {
		snprintf(f->title, sizeof(f->title), "%s: slow response (%ld ms)", r->name, r->f.ms);
	}
	if (r->f.tls_bad && (f = finding(r, "site.tls_invalid", "tls", NULL, VG_SEV_HIGH))) {
		snprintf(f->title, sizeof(f->title), "%s: certificate does not verify", r->name);
		evidence_add(f, "%s", r->f.tls_err);
	}
	if (r->f.tls_not_after) {
		int64_t left = r->f.tls_not_after - now;
		bool expired = left <= 0;
		if ((expired || left < cfg->sitewatch.tls_warn * 1000000LL) &&
		    (f = finding(r, expired ? "site.tls_expired" : "site.tls_expiring", "tls", NULL,
			 expired ? VG_SEV_HIGH : VG_SEV_MEDIUM))) {
			snprintf(f->title, sizeof(f->title), "%s: certificate %s", r->name,
			    expired ? "expired" : "expires soon");
			vg_time_format(r->f.tls_not_after, b, sizeof(b));
			evidence_add(f, "not after %s", b);
		}
	}
}

static char *
sha256_hex(const char *s, size_t n)
{
	char *hex = malloc(VG_SHA256_HEX);

	if (hex && vg_sha256_hex(s, n, hex) != VG_OK) {
		free(hex);
		hex = NULL;
	}
	return hex;
}

/* The page's links, redirects and scripts as the baseline keeps them. */
static json_t *
page_extra(const struct page *pg)
{
	json_t *o = json_pack("{s:[], s:[], s:[]}", "links", "redirects", "scripts");

	for (size_t i = 0; o && i < pg->nlinks; i++)
		json_array_append_new(json_object_get(o, "links"),
		    json_pack("{s:s?, s:b}", "href", pg->links[i].href, "hidden", pg->links[i].hidden));
	for (size_t i = 0; o && i < pg->nredirects; i++)
		json_array_append_new(json_object_get(o, "redirects"), json_string(pg->redirects[i]));
	for (size_t i = 0; o && i < pg->nscripts; i++)
		json_array_append_new(json_object_get(o, "scripts"), json_string(pg->scripts[i]));
	return o;
}

static int
save_baseline(struct run *r, int64_t now)
{
	json_t *extra = page_extra(&r->pg);
	char *links = extra ? json_dumps(extra, JSON_COMPACT) : NULL;
	char *a = json_dumps(r->f.dns_a, JSON_COMPACT), *ns = json_dumps(r->f.dns_ns, JSON_COMPACT);
	char *hash = sha256_hex(r->pg.text, r->pg.text_len);
	size_t tl = r->pg.text_len < SW_BASE_TEXT ? r->pg.text_len : SW_BASE_TEXT;
	char *text = strndup(r->pg.text, tl);
	int ret = VG_ERR_NOMEM;

	if (links && a && ns && hash && text) {
		struct store_val b[] = { SV_TEXT(r->site->url), SV_INT(now), SV_INT(r->f.status),
			SV_TEXT(r->pg.title), SV_TEXT(hash), SV_TEXT(text), SV_TEXT(links), SV_TEXT(a),
			SV_TEXT(ns), SV_TEXT(r->f.final_url) };
		ret = store_exec(r->sw->st, SQL_SW_BASE_SET, b, 10, NULL, NULL);
	}
	json_decref(extra);
	free(links);
	free(a);
	free(ns);
	free(hash);
	free(text);
	return ret;
}

static json_t *
findings_json(struct run *r, bool ids_only)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < r->n; i++) {
		struct site_finding *f = &r->fs[i];
		json_array_append_new(arr, ids_only ? json_string(f->rule_id) :
		    json_pack("{s:s, s:s, s:s, s:s, s:b}", "rule", f->rule_id, "severity",
			vg_severity_name(f->severity), "title", f->title, "evidence", f->evidence,
			"new", f->is_new));
	}
	return arr;
}

static int
load_state(struct run *r)
{
	struct store_val u[] = { SV_TEXT(r->site->url) };
	json_t *row = NULL;
	int ret = store_query_one(r->sw->st, SQL_SW_BASE, u, 1, &r->base);

	if (ret == VG_ERR_NOTFOUND)
		r->base = NULL;
	else if (ret != VG_OK)
		return ret;
	if (r->base) {
		const char *links = json_string_value(json_object_get(r->base, "links"));
		r->base_extra = links ? json_loads(links, 0, NULL) : NULL;
	}
	ret = store_query_one(r->sw->st, SQL_SW_PREV, u, 1, &row);
	if (ret == VG_OK) {
		const char *txt = json_string_value(json_object_get(row, "findings"));
		r->prev = txt ? json_loads(txt, 0, NULL) : NULL;
	}
	json_decref(row);
	return ret == VG_ERR_NOTFOUND ? VG_OK : ret;
}

int
sitewatch_check(struct sitewatch *sw, const struct vg_site_cfg *site, bool rebaseline,
    sitewatch_fn fn, void *arg, json_t **result)
{
	struct run *r = calloc(1, sizeof(*r));
	int64_t now = vg_now_us();
	const char *baseline = "kept";
	char *ids = NULL;
	int ret;

	if (result)
		*result = NULL;
	if (!r)
		return VG_ERR_NOMEM;
	r->sw = sw;
	r->site = site;
	if ((ret = site_fetch(site->url, site->ca_file, (long)sw->cfg->sitewatch.timeout,
		 &r->f)) != VG_OK)
		goto out;
	r->name = site->name ? site->name : r->f.host;
	if ((ret = page_parse(r->f.body, r->f.len, &r->pg)) != VG_OK ||
	    (ret = load_state(r)) != VG_OK)
		goto out;
	check_basics(r, now);
	bool up = r->n == 0 || strcmp(r->fs[0].rule_id, "site.down") != 0;
	if (r->base && !rebaseline) {
		check_dns(r);
		if (up) {
			check_content(r);
			check_injections(r);
		}
	}
	if (up)
		check_links(r);
	for (size_t i = 0; i < r->n; i++)
		r->fs[i].is_new = !in_list(r->prev, NULL, r->fs[i].rule_id);
	json_t *idl = findings_json(r, true);
	ids = idl ? json_dumps(idl, JSON_COMPACT) : NULL;
	json_decref(idl);
	if (!ids) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	if ((ret = store_begin(sw->st)) != VG_OK)
		goto out;
	struct store_val c[] = { SV_TEXT(site->url), SV_INT(now), SV_INT(r->n == 0),
		r->f.status ? SV_INT(r->f.status) : SV_NULL, SV_INT(r->f.ms),
		r->f.tls_not_after ? SV_INT(r->f.tls_not_after) : SV_NULL,
		SV_TEXT(r->f.err[0] ? r->f.err : NULL), SV_TEXT(ids) };
	ret = store_exec(sw->st, SQL_SW_CHECK_ADD, c, 8, NULL, NULL);
	/* a site first seen down has nothing worth keeping as its baseline */
	if (ret == VG_OK && up && r->f.status < 400 && (!r->base || rebaseline)) {
		baseline = r->base ? "replaced" : "created";
		ret = save_baseline(r, now);
	}
	if (ret != VG_OK) {
		store_rollback(sw->st);
		goto out;
	}
	if ((ret = store_commit(sw->st)) != VG_OK)
		goto out;
	for (size_t i = 0; fn && i < r->n; i++)
		fn(arg, &r->fs[i]);
	if (result)
		*result = json_pack("{s:s, s:s, s:i, s:i, s:b, s:O, s:O, s:I, s:s, s:o}", "url",
		    site->url, "name", r->name, "status", (int)r->f.status, "ms", (int)r->f.ms, "ok",
		    r->n == 0, "dns_a", r->f.dns_a, "dns_ns", r->f.dns_ns, "tls_not_after",
		    (json_int_t)(r->f.tls_not_after / 1000000), "baseline", baseline, "findings",
		    findings_json(r, false));
out:
	free(ids);
	page_free(&r->pg);
	site_fetch_free(&r->f);
	json_decref(r->base);
	json_decref(r->base_extra);
	json_decref(r->prev);
	free(r);
	return ret;
}
