/* Vulnerability feeds from files (no network at run time): OSV JSON (ranges of
 * introduced / fixed / last_affected per ecosystem), CVE JSON 5 (versions with
 * lessThan / lessThanOrEqual per product), the Debian security tracker's JSON
 * (fixed_version per release, so a backported fix is not reported), and CISA's
 * Known Exploited Vulnerabilities catalog (known exploited = priority). Parsers emit
 * records to a sink (feed_parse.c); the store sink (feed_store.c) keeps them in
 * indexed tables; vuln.c matches versions against them. */
#ifndef VG_ASSESS_FEED_H
#define VG_ASSESS_FEED_H

#include "assess/vers.h"
#include "core/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum feed_format { FEED_AUTO = 0, FEED_OSV, FEED_CVE5, FEED_DEBIAN, FEED_KEV };

/* "osv", "cve5", "debian", "kev" ("auto" for FEED_AUTO). */
const char *feed_format_name(enum feed_format f);
int feed_format_parse(const char *s, enum feed_format *out);

/* The ecosystem of CVE JSON 5 entries (products seen in banners). */
#define FEED_ECO_PRODUCT "product"

struct feed_range {
	const char *vuln_id, *ecosystem, *package;	/* package lower-cased by the sink */
	enum vers_scheme scheme;
	const char *introduced, *fixed, *last_affected;	/* NULL = unbounded */
	bool not_affected;				/* the release says: not affected */
};

struct feed_sink {
	void *arg;
	int (*advisory)(void *arg, const char *vuln_id, const char *aliases, const char *summary,
	    int severity);
	int (*range)(void *arg, const struct feed_range *r);
	int (*kev)(void *arg, const char *cve, const char *vendor, const char *product,
	    const char *name, const char *added, const char *due, const char *ransomware);
};

/* Which format doc is (FEED_AUTO when none fits). */
enum feed_format feed_detect(const json_t *doc);

/* Emits doc's records (one advisory object, an array of them, or a whole KEV catalog /
 * Debian tracker dump) to sink. *skipped (may be NULL) counts entries that carry
 * nothing vigil can match (GIT ranges, undetermined releases). 0, VG_ERR_FORMAT with
 * a reason in err, or the sink's error. */
int feed_parse(enum feed_format fmt, const json_t *doc, const struct feed_sink *sink,
    size_t *skipped, char *err, size_t err_size);

/* Loads a feed file (a JSON document, or JSON lines of OSV records; at most
 * FEED_MAX_BYTES). *out is a new array of documents (caller decrefs). */
#define FEED_MAX_BYTES (1024u << 20)
int feed_load(const char *path, json_t **out, char *err, size_t err_size);

struct feed_stats {
	enum feed_format format;
	size_t advisories, ranges, kev, skipped;
};

/* Imports path into st in one transaction, replacing an earlier import of a file of
 * the same name and format. fmt FEED_AUTO detects it. 0, VG_ERR_FORMAT / VG_ERR_IO
 * with err set, or a store error. */
int feed_import(struct vg_store *st, const char *path, enum feed_format fmt,
    struct feed_stats *stats, char *err, size_t err_size);
/* New JSON array of imported feeds: id, format, name, bytes, imported_at,
 * advisories, ranges. */
int feed_list(struct vg_store *st, json_t **out);

/* Maps severity words of the feeds (CVSS baseSeverity, GHSA, Debian urgency) to
 * enum vg_severity; unknown words give medium. */
int feed_severity(const char *word);

#endif
