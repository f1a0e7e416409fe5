/* Vulnerabilities from versions: the host's dpkg packages (by source package, against
 * the Debian tracker and OSV's Debian/Ubuntu entries for its release, so backported
 * fixes count) and the product/version of scanned services (against CVE JSON 5
 * product ranges), each match a rectification item; CISA KEV raises it to critical.
 * A version that does not parse is "unknown", never "vulnerable". */
#include "assess/vuln.h"
#include "assess/dpkg.h"
#include "assess/rootfs.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char SQL_VULN_RANGES[] =
    "SELECT r.vuln_id, r.ecosystem, r.scheme, r.introduced, r.fixed, r.last_affected, r.status,"
    " f.format, v.severity, v.summary, v.aliases,"
    " (SELECT count(*) FROM kev k WHERE k.cve = r.vuln_id"
    "   OR (v.aliases IS NOT NULL AND instr(',' || v.aliases || ',', ',' || k.cve || ','))) AS kev"
    " FROM vuln_ranges r JOIN feeds f ON f.id = r.feed_id"
    " LEFT JOIN vulns v ON v.feed_id = r.feed_id AND v.vuln_id = r.vuln_id"
    " WHERE r.package = $1 AND r.ecosystem IN ($2, $3, $4)"
    " AND ($5 IS NULL OR r.vuln_id = $5) ORDER BY r.vuln_id";
static const char SQL_VULN_SERVICES[] =
    "SELECT s.id, a.address, s.port, s.proto, s.product, s.version FROM services s"
    " JOIN assets a ON a.id = s.asset_id WHERE s.product IS NOT NULL AND s.product != ''"
    " AND ($1 IS NULL OR s.id = $1) ORDER BY s.id";

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Is version v inside the range row? -1 when it cannot be told (unparsable). */
static int
in_range(const json_t *row, const char *v)
{
	enum vers_scheme s;
	int c;

	if (vers_scheme_parse(jstr(row, "scheme"), &s) != VG_OK)
		return -1;
	if (jstr(row, "introduced")) {
		if (vers_cmp(s, v, jstr(row, "introduced"), &c) != VG_OK)
			return -1;
		if (c < 0)
			return 0;
	}
	if (jstr(row, "fixed")) {
		if (vers_cmp(s, v, jstr(row, "fixed"), &c) != VG_OK)
			return -1;
		if (c >= 0)
			return 0;
	}
	if (jstr(row, "last_affected")) {
		if (vers_cmp(s, v, jstr(row, "last_affected"), &c) != VG_OK)
			return -1;
		if (c > 0)
			return 0;
	}
	/* an entry with no bound affects every version, but only if v is a version */
	if (!jstr(row, "introduced") && !jstr(row, "fixed") && !jstr(row, "last_affected") &&
	    vers_cmp(s, v, v, &c) != VG_OK)
		return -1;
	return 1;
}

/* Matches (package, version) in the ecosystems eco[0..3) and calls cb for each
 * vulnerability whose range holds the version, once per vulnerability. A release
 * that says "not affected" (Debian tracker, fixed_version 0) wins over every range. */
int
vuln_match(struct vg_store *st, const char *const eco[3], const char *package,
    const char *version, const char *only_id, vuln_match_fn cb, void *arg, size_t *unknown)
{
	json_t *rows = NULL, *row;
	char pkg[256];
	size_t i, j;
	int r;

	for (i = 0; package[i] && i + 1 < sizeof(pkg); i++)
		pkg[i] = (char)tolower((unsigned char)package[i]);
	pkg[i] = '\0';
	struct store_val b[] = { SV_TEXT(pkg), SV_TEXT(eco[0]), SV_TEXT(eco[1]), SV_TEXT(eco[2]),
		SV_TEXT(only_id) };
	if ((r = store_query(st, SQL_VULN_RANGES, b, 5, 0, &rows)) != VG_OK)
		return r;
	for (i = 0; i < json_array_size(rows);) {
		const char *id = jstr(json_array_get(rows, i), "vuln_id");
		const json_t *hit = NULL;
		bool not_affected = false, unparsable = false;
		for (j = i; j < json_array_size(rows) && strcmp(jstr(json_array_get(rows, j),
							       "vuln_id"), id) == 0; j++) {
			row = json_array_get(rows, j);
			if (strcmp(jstr(row, "status"), "not_affected") == 0) {
				not_affected = true;
				continue;
			}
			int in = in_range(row, version);
			unparsable |= in < 0;
			if (in > 0 && !hit)
				hit = row;
		}
		if (!hit && unparsable && !not_affected && unknown)
			(*unknown)++;
		if (hit && !not_affected && (r = cb(arg, hit)) != VG_OK)
			break;
		i = j;
	}
	json_decref(rows);
	return r;
}

/* ---- the host's packages ---- */

struct host_release {
	char eco[3][64];
	char codename[32];
};

/* Debian:<codename> (tracker), Debian:<major> / Ubuntu:<ver>[:LTS] (OSV) from os-release. */
static int
host_release(const struct rootfs *rf, struct host_release *hr)
{
	static const char *const debian_names[][2] = { { "9", "stretch" }, { "10", "buster" },
		{ "11", "bullseye" }, { "12", "bookworm" }, { "13", "trixie" }, { "14", "forky" } };
	char *text = NULL, id[32] = "", ver[32] = "", code[32] = "";
	size_t len = 0;

	memset(hr, 0, sizeof(*hr));
	if (rootfs_read(rf, "/etc/os-release", 65536, &text, &len) != VG_OK &&
	    rootfs_read(rf, "/usr/lib/os-release", 65536, &text, &len) != VG_OK)
		text = NULL;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *eq = strchr(line, '=');
		if (eq) {
			*eq = '\0';
			char *v = eq + 1;
			size_t vl = strlen(v);
			if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0])
				v[vl - 1] = '\0', v++;
			if (strcmp(line, "ID") == 0)
				snprintf(id, sizeof(id), "%s", v);
			else if (strcmp(line, "VERSION_ID") == 0)
				snprintf(ver, sizeof(ver), "%s", v);
			else if (strcmp(line, "VERSION_CODENAME") == 0)
				snprintf(code, sizeof(code), "%s", v);
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	if (!*id && rootfs_read(rf, "/etc/debian_version", 4096, &text, &len) == VG_OK) {
		snprintf(id, sizeof(id), "debian");
		snprintf(ver, sizeof(ver), "%.*s", (int)strcspn(text, ".\n"), text);
		free(text);
	}
	if (strcmp(id, "debian") == 0) {
		for (size_t i = 0; !*code && i < sizeof(debian_names) / sizeof(debian_names[0]); i++)
			if (strcmp(ver, debian_names[i][0]) == 0)
				snprintf(code, sizeof(code), "%s", debian_names[i][1]);
		snprintf(hr->eco[0], sizeof(hr->eco[0]), "Debian:%s", code);
		snprintf(hr->eco[1], sizeof(hr->eco[1]), "Debian:%s", ver);
		snprintf(hr->eco[2], sizeof(hr->eco[2]), "Debian");
	} else if (strcmp(id, "ubuntu") == 0) {
		snprintf(hr->eco[0], sizeof(hr->eco[0]), "Ubuntu:%s", ver);
		snprintf(hr->eco[1], sizeof(hr->eco[1]), "Ubuntu:%s:LTS", ver);
		snprintf(hr->eco[2], sizeof(hr->eco[2]), "Ubuntu:Pro:%s:LTS", ver);
	} else
		return VG_ERR_NOTFOUND;
	snprintf(hr->codename, sizeof(hr->codename), "%s", code);
	return VG_OK;
}

struct pkg_hit {
	struct vuln_ctx *vc;
	const struct dpkg_pkg *pkg;
	const char *asset, *root;
};

static void
title_for(char *buf, size_t size, const json_t *hit, const char *what, const char *version)
{
	snprintf(buf, size, "%s%s in %s %s%s%s%s", json_integer_value(json_object_get(hit, "kev"))
	    ? "[KEV: known exploited] " : "", jstr(hit, "vuln_id"), what, version,
	    jstr(hit, "fixed") ? " (fixed in " : "", jstr(hit, "fixed") ? jstr(hit, "fixed") : "",
	    jstr(hit, "fixed") ? ")" : "");
}

static int
severity_of(const json_t *hit)
{
	json_t *s = json_object_get(hit, "severity");
	if (json_integer_value(json_object_get(hit, "kev")))
		return VG_SEV_CRITICAL;	/* exploited in the wild: first in the list */
	return json_is_integer(s) ? (int)json_integer_value(s) : VG_SEV_MEDIUM;
}

static int
report(struct vuln_ctx *vc, const json_t *hit, const char *asset, const char *what,
    const char *version, const char *key_detail, const char *target, const char *remedy,
    const char *fix, int64_t service_id)
{
	char title[512], key[768], ev[1024];
	int r;

	title_for(title, sizeof(title), hit, what, version);
	snprintf(key, sizeof(key), "vuln|%s|%s|%s", jstr(hit, "vuln_id"), asset, key_detail);
	snprintf(ev, sizeof(ev), "%s %s is in the range%s%s%s%s%s%s of %s (%s feed, %s)%s%s", what,
	    version, jstr(hit, "introduced") ? " from " : "",
	    jstr(hit, "introduced") ? jstr(hit, "introduced") : "",
	    jstr(hit, "fixed") ? " before " : "", jstr(hit, "fixed") ? jstr(hit, "fixed") : "",
	    jstr(hit, "last_affected") ? " up to " : "",
	    jstr(hit, "last_affected") ? jstr(hit, "last_affected") : "", jstr(hit, "vuln_id"),
	    jstr(hit, "format"), jstr(hit, "ecosystem"), jstr(hit, "summary") ? ": " : "",
	    jstr(hit, "summary") ? jstr(hit, "summary") : "");
	struct assess_finding f = { .kind = ASSESS_VULN, .family = "vuln",
		.check_id = jstr(hit, "vuln_id"), .asset = asset, .key = key, .target = target,
		.ref = jstr(hit, "vuln_id"), .title = title, .severity = severity_of(hit),
		.evidence = ev, .remediation = remedy, .fix_script = fix, .service_id = service_id,
		.actor = vc->ctx->actor };
	if (vc->cb)
		vc->cb(vc->cb_arg, &f, hit);
	vc->found++;
	if (!vc->record)
		return VG_OK;
	r = assess_finding_upsert(vc->ctx->st, &f, NULL, NULL);
	return r;
}

static int
pkg_cb(void *arg, const json_t *hit)
{
	struct pkg_hit *h = arg;
	char target[PATH_MAX + 300], remedy[512], fix[300], what[300];

	snprintf(target, sizeof(target), "dpkg\nroot=%s\npackage=%s", h->root, h->pkg->source);
	snprintf(what, sizeof(what), "package %s (source %s)", h->pkg->name, h->pkg->source);
	snprintf(remedy, sizeof(remedy), "Upgrade %s%s%s (apt-get install --only-upgrade %s); "
	    "restart the services using it.", h->pkg->source,
	    jstr(hit, "fixed") ? " to " : "", jstr(hit, "fixed") ? jstr(hit, "fixed") : "",
	    h->pkg->name);
	snprintf(fix, sizeof(fix), "apt-get update && apt-get install -y --only-upgrade %s\n",
	    h->pkg->name);
	return report(h->vc, hit, h->asset, what, h->pkg->source_version, h->pkg->source, target,
	    remedy, fix, 0);
}

int
vuln_scan_host(struct vuln_ctx *vc, const char *root, const char *status_path, const char *asset,
    const char *only_source, const char *only_id)
{
	struct rootfs rf = { .fd = -1 };
	struct host_release hr;
	struct dpkg_db db = { 0 };
	char *text = NULL;
	size_t len = 0;
	int r;

	if ((r = rootfs_open(root, &rf)) != VG_OK)
		return r;
	if (asset)
		snprintf(vc->asset, sizeof(vc->asset), "%s", asset);
	else
		rootfs_hostname(&rf, vc->asset, sizeof(vc->asset));
	asset = vc->asset;
	if ((r = rootfs_read(&rf, status_path ? status_path : "/var/lib/dpkg/status", 256u << 20,
		 &text, &len)) != VG_OK)
		goto out;
	if ((r = dpkg_status_parse(text, len, &db)) != VG_OK)
		goto out;
	if (host_release(&rf, &hr) != VG_OK) {
		r = VG_ERR_NOTFOUND;	/* not Debian or Ubuntu: no release to match */
		goto out;
	}
	const char *eco[3] = { hr.eco[0], hr.eco[1], hr.eco[2] };
	vc->packages = db.n;
	for (size_t i = 0; i < db.n; i++) {
		/* binaries of one source package share its advisories: match each source once */
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(db.pkgs[k].source, db.pkgs[i].source) == 0;
		if (seen || (only_source && strcmp(db.pkgs[i].source, only_source) != 0))
			continue;
		struct pkg_hit h = { vc, &db.pkgs[i], asset, root };
		if ((r = vuln_match(vc->ctx->st, eco, db.pkgs[i].source, db.pkgs[i].source_version,
			 only_id, pkg_cb, &h, &vc->unknown)) != VG_OK)
			goto out;
	}
out:
	free(text);
	dpkg_db_free(&db);
	rootfs_close(&rf);
	return r;
}

/* ---- scanned services ---- */

struct svc_hit {
	struct vuln_ctx *vc;
	const json_t *svc;
	const char *version;
};

static int
svc_cb(void *arg, const json_t *hit)
{
	struct svc_hit *h = arg;
	char target[64], remedy[512], what[300], detail[64];
	const char *product = jstr(h->svc, "product");

	snprintf(target, sizeof(target), "service\nid=%lld",
	    (long long)json_integer_value(json_object_get(h->svc, "id")));
	snprintf(what, sizeof(what), "%s on %s/%lld", product, jstr(h->svc, "proto"),
	    (long long)json_integer_value(json_object_get(h->svc, "port")));
	snprintf(detail, sizeof(detail), "%s/%lld", jstr(h->svc, "proto"),
	    (long long)json_integer_value(json_object_get(h->svc, "port")));
	snprintf(remedy, sizeof(remedy), "Upgrade %s%s%s, or confirm on the host that the "
	    "distribution backported the fix (vigil assess vulns there).", product,
	    jstr(hit, "fixed") ? " to " : "", jstr(hit, "fixed") ? jstr(hit, "fixed") : "");
	return report(h->vc, hit, jstr(h->svc, "address"), what, h->version, detail, target, remedy,
	    NULL, json_integer_value(json_object_get(h->svc, "id")));
}

/* A banner version's first word ("8.9p1 Ubuntu-3ubuntu0.6" -> "8.9p1"). */
static void
version_word(const char *v, char *out, size_t size)
{
	size_t n = v ? strcspn(v, " \t(,;") : 0;
	snprintf(out, size, "%.*s", (int)n, v ? v : "");
}

int
vuln_scan_services(struct vuln_ctx *vc, int64_t only_service, const char *only_id)
{
	static const char *const eco[3] = { FEED_ECO_PRODUCT, FEED_ECO_PRODUCT, FEED_ECO_PRODUCT };
	json_t *rows = NULL, *svc;
	size_t i;
	int r;

	struct store_val b[] = { only_service ? SV_INT(only_service) : SV_NULL };
	if ((r = store_query(vc->ctx->st, SQL_VULN_SERVICES, b, 1, 0, &rows)) != VG_OK)
		return r;
	json_array_foreach(rows, i, svc) {
		char ver[128];
		version_word(jstr(svc, "version"), ver, sizeof(ver));
		vc->services++;
		if (!ver[0]) {
			vc->unknown++;	/* a banner without a version: unknown, never vulnerable */
			continue;
		}
		struct svc_hit h = { vc, svc, ver };
		if ((r = vuln_match(vc->ctx->st, eco, jstr(svc, "product"), ver, only_id, svc_cb, &h,
			 &vc->unknown)) != VG_OK)
			break;
	}
	json_decref(rows);
	return r;
}

/* ---- the family ---- */

struct recheck_hit {
	bool hit;
};

static void
recheck_cb(void *arg, const struct assess_finding *f, const json_t *hit)
{
	(void)f, (void)hit;
	((struct recheck_hit *)arg)->hit = true;
}

static int
family_recheck(struct assess_ctx *ctx, const struct assess_item *item, bool *passed,
    char *evidence, size_t evidence_size)
{
	struct recheck_hit rh = { false };
	struct vuln_ctx vc = { .ctx = ctx, .record = false, .cb = recheck_cb, .cb_arg = &rh };
	const char *t = item->target;
	int r;

	*passed = false;
	if (t && strncmp(t, "dpkg\nroot=", 10) == 0) {
		char root[PATH_MAX], pkg[256];
		const char *nl = strchr(t + 10, '\n');
		if (!nl || strncmp(nl + 1, "package=", 8) != 0)
			return VG_ERR_FORMAT;
		snprintf(root, sizeof(root), "%.*s", (int)(nl - (t + 10)), t + 10);
		snprintf(pkg, sizeof(pkg), "%s", nl + 9);
		r = vuln_scan_host(&vc, root, NULL, item->asset, pkg, item->check_id);
	} else if (t && strncmp(t, "service\nid=", 11) == 0) {
		long long id;
		if (vg_parse_ll(t + 11, 1, INT64_MAX, &id) != VG_OK)
			return VG_ERR_FORMAT;
		r = vuln_scan_services(&vc, id, item->check_id);
		if (r == VG_OK && vc.services == 0) {
			snprintf(evidence, evidence_size, "the service is no longer in the register");
			*passed = true;
			return VG_OK;
		}
	} else
		return VG_ERR_FORMAT;
	if (r != VG_OK)
		return r;
	if (!rh.hit && vc.unknown) {
		snprintf(evidence, evidence_size, "the version cannot be compared: not judged");
		return VG_ERR_DENIED;
	}
	*passed = !rh.hit;
	snprintf(evidence, evidence_size, "%s", rh.hit ? "the installed version is still in the "
	    "affected range" : "the installed version is outside every affected range (or the "
	    "package is gone)");
	return VG_OK;
}

static int
family_run(struct assess_ctx *ctx, size_t *found)
{
	struct vuln_ctx vc = { .ctx = ctx, .record = true };
	int r;

	r = vuln_scan_host(&vc, ctx->root ? ctx->root : "/", NULL, NULL, NULL, NULL);
	if (r == VG_OK || r == VG_ERR_NOTFOUND)
		r = vuln_scan_services(&vc, 0, NULL);
	if (found)
		*found = vc.found;
	return r;
}

const struct assess_family_ops assess_vuln_family = {
	.name = "vuln",
	.kind = ASSESS_VULN,
	.doc = "vulnerabilities from versions: dpkg packages and scanned services against imported feeds",
	.run = family_run,
	.recheck = family_recheck,
};
