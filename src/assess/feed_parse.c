/* The four feed formats into sink records (see feed.h). Everything is read through
 * jansson's typed accessors: a field of the wrong type is absent, never trusted, so a
 * hostile feed file can only produce fewer records. */
#include "assess/feed.h"
#include "core/err.h"
#include "core/event.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define FEED_ALIASES_MAX 1024

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

const char *
feed_format_name(enum feed_format f)
{
	static const char *const n[] = { "auto", "osv", "cve5", "debian", "kev" };
	return (unsigned)f < 5 ? n[f] : "?";
}

int
feed_format_parse(const char *s, enum feed_format *out)
{
	for (int i = 0; s && i < 5; i++)
		if (strcmp(s, feed_format_name((enum feed_format)i)) == 0) {
			*out = (enum feed_format)i;
			return VG_OK;
		}
	return VG_ERR_INVAL;
}

int
feed_severity(const char *w)
{
	if (!w)
		return VG_SEV_MEDIUM;
	if (strcasecmp(w, "critical") == 0)
		return VG_SEV_CRITICAL;
	if (strcasecmp(w, "high") == 0 || strcasecmp(w, "important") == 0)
		return VG_SEV_HIGH;
	if (strcasecmp(w, "low") == 0 || strcasecmp(w, "negligible") == 0)
		return VG_SEV_LOW;
	if (strcasecmp(w, "unimportant") == 0 || strcasecmp(w, "none") == 0)
		return VG_SEV_INFO;
	return VG_SEV_MEDIUM;	/* medium, moderate, "not yet assigned", unknown */
}

enum feed_format
feed_detect(const json_t *doc)
{
	const json_t *first = json_is_array(doc) ? json_array_get(doc, 0) : doc;
	const char *k;
	json_t *v;

	if (!json_is_object(first))
		return FEED_AUTO;
	if (json_object_get(first, "catalogVersion") ||
	    json_is_string(json_object_get(json_array_get(json_object_get(first, "vulnerabilities"), 0),
	    "cveID")))
		return FEED_KEV;
	if (json_object_get(first, "cveMetadata") || (str(first, "dataType") &&
	    strcmp(str(first, "dataType"), "CVE_RECORD") == 0))
		return FEED_CVE5;
	if (json_is_string(json_object_get(first, "id")) &&
	    (json_object_get(first, "affected") || json_object_get(first, "modified")))
		return FEED_OSV;
	/* the tracker: { "src": { "CVE-...": { "releases": {...} } } } */
	json_object_foreach((json_t *)first, k, v) {
		const char *k2;
		json_t *v2;
		json_object_foreach(v, k2, v2)
			return json_is_object(json_object_get(v2, "releases")) ? FEED_DEBIAN : FEED_AUTO;
		break;
	}
	return FEED_AUTO;
}

/* ---- OSV ---- */

static int
osv_severity(const json_t *adv)
{
	const char *w = str(json_object_get(adv, "database_specific"), "severity");
	json_t *a;
	size_t i;

	if (w)
		return feed_severity(w);
	json_array_foreach(json_object_get(adv, "affected"), i, a) {
		const json_t *es = json_object_get(a, "ecosystem_specific");
		if ((w = str(es, "urgency")) || (w = str(es, "severity")))
			return feed_severity(w);
	}
	return VG_SEV_MEDIUM;
}

/* One range's events: each introduced opens a span closed by the next fixed or
 * last_affected; one left open affects every later version. */
static int
osv_events(const struct feed_sink *s, struct feed_range *r, const json_t *events)
{
	const char *intro = NULL;
	bool open = false;
	json_t *e;
	size_t i;
	int rc;

	json_array_foreach(events, i, e) {
		const char *v;
		if ((v = str(e, "introduced"))) {
			if (open && (rc = s->range(s->arg, r)) != VG_OK)
				return rc;
			intro = strcmp(v, "0") == 0 ? NULL : v;
			open = true;
			r->introduced = intro;
			r->fixed = r->last_affected = NULL;
		} else if ((v = str(e, "fixed")) || (v = str(e, "last_affected"))) {
			if (!open)
				continue;
			if (str(e, "fixed"))
				r->fixed = v;
			else
				r->last_affected = v;
			if ((rc = s->range(s->arg, r)) != VG_OK)
				return rc;
			open = false;
		}
	}
	if (open) {
		r->fixed = r->last_affected = NULL;
		return s->range(s->arg, r);
	}
	return VG_OK;
}

static int
osv_one(const json_t *adv, const struct feed_sink *s, size_t *skipped)
{
	const char *id = str(adv, "id");
	char aliases[FEED_ALIASES_MAX] = "";
	json_t *a, *rg, *al;
	size_t i, j, n = 0;
	int rc;

	if (!id)
		return VG_ERR_FORMAT;
	json_array_foreach(json_object_get(adv, "aliases"), i, al)
		if (json_is_string(al) && n + strlen(json_string_value(al)) + 2 < sizeof(aliases))
			n += (size_t)snprintf(aliases + n, sizeof(aliases) - n, "%s%s", n ? "," : "",
			    json_string_value(al));
	const char *summary = str(adv, "summary") ? str(adv, "summary") : str(adv, "details");
	if ((rc = s->advisory(s->arg, id, aliases, summary, osv_severity(adv))) != VG_OK)
		return rc;
	json_array_foreach(json_object_get(adv, "affected"), i, a) {
		const json_t *pkg = json_object_get(a, "package");
		struct feed_range r = { .vuln_id = id, .ecosystem = str(pkg, "ecosystem"),
			.package = str(pkg, "name") };
		bool any = false;
		if (!r.ecosystem || !r.package) {
			(*skipped)++;
			continue;
		}
		json_array_foreach(json_object_get(a, "ranges"), j, rg) {
			const char *type = str(rg, "type");
			if (!type || strcmp(type, "GIT") == 0) {
				(*skipped)++;
				continue;
			}
			r.scheme = strcmp(type, "SEMVER") == 0 ? VERS_SEMVER
							       : vers_scheme_for_ecosystem(r.ecosystem);
			if ((rc = osv_events(s, &r, json_object_get(rg, "events"))) != VG_OK)
				return rc;
			any = true;
		}
		if (any)
			continue;
		/* no usable ranges: the explicit list of affected versions */
		r.scheme = vers_scheme_for_ecosystem(r.ecosystem);
		json_array_foreach(json_object_get(a, "versions"), j, rg) {
			if (!json_is_string(rg))
				continue;
			r.introduced = r.last_affected = json_string_value(rg);
			r.fixed = NULL;
			if ((rc = s->range(s->arg, &r)) != VG_OK)
				return rc;
		}
	}
	return VG_OK;
}

/* ---- CVE JSON 5 ---- */

static int
cve_severity(const json_t *containers)
{
	static const char *const keys[] = { "cvssV4_0", "cvssV3_1", "cvssV3_0", "cvssV2_0" };
	const json_t *lists[8];
	size_t nl = 0, i, j;
	json_t *m, *adp;

	lists[nl++] = json_object_get(json_object_get(containers, "cna"), "metrics");
	json_array_foreach(json_object_get(containers, "adp"), i, adp)
		if (nl < 8)
			lists[nl++] = json_object_get(adp, "metrics");
	for (size_t l = 0; l < nl; l++)
		json_array_foreach(lists[l], i, m)
			for (j = 0; j < 4; j++) {
				const char *w = str(json_object_get(m, keys[j]), "baseSeverity");
				if (w)
					return feed_severity(w);
			}
	return VG_SEV_MEDIUM;
}

static bool
unbounded(const char *v)
{
	return !v || !*v || strcmp(v, "0") == 0 || strcmp(v, "*") == 0 || strcmp(v, "-") == 0 ||
	       strcasecmp(v, "n/a") == 0 || strcasecmp(v, "unspecified") == 0;
}

static int
cve_affected(const char *id, const json_t *affected, const struct feed_sink *s, size_t *skipped)
{
	json_t *a, *v;
	size_t i, j;
	int rc;

	json_array_foreach(affected, i, a) {
		const char *product = str(a, "product");
		if (!product || strcasecmp(product, "n/a") == 0) {
			(*skipped)++;
			continue;
		}
		json_array_foreach(json_object_get(a, "versions"), j, v) {
			const char *status = str(v, "status"), *ver = str(v, "version");
			const char *lt = str(v, "lessThan"), *le = str(v, "lessThanOrEqual");
			const char *type = str(v, "versionType");
			if (!status || strcmp(status, "affected") != 0)
				continue;
			struct feed_range r = { .vuln_id = id, .ecosystem = FEED_ECO_PRODUCT,
				.package = product,
				.scheme = type && strcmp(type, "semver") == 0 ? VERS_SEMVER : VERS_DOTTED };
			if (lt || le) {
				r.introduced = unbounded(ver) ? NULL : ver;
				r.fixed = lt && !unbounded(lt) ? lt : NULL;
				r.last_affected = !lt && le && !unbounded(le) ? le : NULL;
			} else if (!unbounded(ver)) {
				r.introduced = r.last_affected = ver;	/* exactly this version */
			} else {
				(*skipped)++;
				continue;
			}
			if ((rc = s->range(s->arg, &r)) != VG_OK)
				return rc;
		}
	}
	return VG_OK;
}

static int
cve_one(const json_t *rec, const struct feed_sink *s, size_t *skipped)
{
	const json_t *cont = json_object_get(rec, "containers"), *d, *adp;
	const char *id = str(json_object_get(rec, "cveMetadata"), "cveId"), *summary = NULL;
	size_t i;
	int rc;

	if (!id)
		return VG_ERR_FORMAT;
	json_array_foreach(json_object_get(json_object_get(cont, "cna"), "descriptions"), i, d)
		if (!summary || (str(d, "lang") && strncmp(str(d, "lang"), "en", 2) == 0))
			summary = str(d, "value");
	if ((rc = s->advisory(s->arg, id, NULL, summary, cve_severity(cont))) != VG_OK)
		return rc;
	if ((rc = cve_affected(id, json_object_get(json_object_get(cont, "cna"), "affected"), s,
		 skipped)) != VG_OK)
		return rc;
	json_array_foreach(json_object_get(cont, "adp"), i, adp)
		if ((rc = cve_affected(id, json_object_get(adp, "affected"), s, skipped)) != VG_OK)
			return rc;
	return VG_OK;
}

/* ---- the Debian security tracker ---- */

static int
debian_all(const json_t *doc, const struct feed_sink *s, size_t *skipped)
{
	const char *src, *id, *rel;
	json_t *cves, *e, *r;
	char eco[96];
	int rc;

	json_object_foreach((json_t *)doc, src, cves) {
		json_object_foreach(cves, id, e) {
			const json_t *rels = json_object_get(e, "releases");
			int sev = VG_SEV_MEDIUM;
			bool first = true;
			if (!json_is_object(rels))
				continue;
			json_object_foreach((json_t *)rels, rel, r) {
				const char *st = str(r, "status"), *fixed = str(r, "fixed_version");
				if (first && str(r, "urgency"))
					sev = feed_severity(str(r, "urgency"));
				first = false;
				snprintf(eco, sizeof(eco), "Debian:%s", rel);
				struct feed_range fr = { .vuln_id = id, .ecosystem = eco, .package = src,
					.scheme = VERS_DPKG };
				if (st && strcmp(st, "resolved") == 0 && fixed && strcmp(fixed, "0") == 0)
					fr.not_affected = true;	/* this release never had the flaw */
				else if (st && strcmp(st, "resolved") == 0 && fixed)
					fr.fixed = fixed;
				else if (!st || strcmp(st, "open") != 0) {
					(*skipped)++;	/* undetermined: neither vulnerable nor safe */
					continue;
				}
				if ((rc = s->range(s->arg, &fr)) != VG_OK)
					return rc;
			}
			if ((rc = s->advisory(s->arg, id, NULL, str(e, "description"), sev)) != VG_OK)
				return rc;
		}
	}
	return VG_OK;
}

/* ---- CISA KEV ---- */

static int
kev_all(const json_t *doc, const struct feed_sink *s, size_t *skipped)
{
	json_t *v;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(doc, "vulnerabilities"), i, v) {
		const char *cve = str(v, "cveID");
		if (!cve) {
			(*skipped)++;
			continue;
		}
		if ((rc = s->kev(s->arg, cve, str(v, "vendorProject"), str(v, "product"),
			 str(v, "vulnerabilityName"), str(v, "dateAdded"), str(v, "dueDate"),
			 str(v, "knownRansomwareCampaignUse"))) != VG_OK)
			return rc;
	}
	return VG_OK;
}

int
feed_parse(enum feed_format fmt, const json_t *doc, const struct feed_sink *sink,
    size_t *skipped, char *err, size_t err_size)
{
	size_t dummy = 0, i;
	json_t *one;
	int rc = VG_OK;

	if (!skipped)
		skipped = &dummy;
	if (fmt == FEED_AUTO && (fmt = feed_detect(doc)) == FEED_AUTO) {
		snprintf(err, err_size, "not an OSV, CVE JSON 5, Debian tracker or CISA KEV document");
		return VG_ERR_FORMAT;
	}
	if (fmt == FEED_DEBIAN)
		return json_is_object(doc) ? debian_all(doc, sink, skipped) : VG_ERR_FORMAT;
	if (fmt == FEED_KEV)
		return json_is_object(doc) ? kev_all(doc, sink, skipped) : VG_ERR_FORMAT;
	if (json_is_object(doc))
		rc = fmt == FEED_OSV ? osv_one(doc, sink, skipped) : cve_one(doc, sink, skipped);
	else
		json_array_foreach(doc, i, one)
			if ((rc = fmt == FEED_OSV ? osv_one(one, sink, skipped)
						  : cve_one(one, sink, skipped)) != VG_OK)
				break;
	if (rc == VG_ERR_FORMAT)
		snprintf(err, err_size, "%s record without its id", feed_format_name(fmt));
	return rc;
}
