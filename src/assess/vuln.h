/* The vulnerability family: versions matched against the imported feeds (feed.h).
 * Host packages come from the dpkg status database of a tree (by source package and
 * the tree's release), services from the asset register (services.product/version
 * joined to assets.address). Each match is a rectification item keyed by
 * (vulnerability, asset, package or port). */
#ifndef VG_ASSESS_VULN_H
#define VG_ASSESS_VULN_H

#include "assess/assess.h"
#include "assess/feed.h"

/* Called for each match with the finding about to be recorded and the feed row. */
typedef void (*vuln_found_fn)(void *arg, const struct assess_finding *f, const json_t *hit);

struct vuln_ctx {
	struct assess_ctx *ctx;
	bool record;		/* upsert each match into the list */
	vuln_found_fn cb;	/* may be NULL */
	void *cb_arg;
	size_t found, unknown, packages, services;	/* counters, filled by the scans */
	char asset[256];	/* the host name the packages were reported under (scan_host) */
};

/* Matches the installed packages of the tree at root (status_path inside it, NULL =
 * /var/lib/dpkg/status); asset names the host (NULL: the tree's host name). only_source / only_id (may be NULL)
 * restrict to one source package / one vulnerability (rechecks). VG_ERR_NOTFOUND
 * when the tree has no dpkg database or is not Debian/Ubuntu. */
int vuln_scan_host(struct vuln_ctx *vc, const char *root, const char *status_path,
    const char *asset, const char *only_source, const char *only_id);
/* Matches the services of the register with a product (only_service: one row). A
 * service without a version counts in vc->unknown, never as vulnerable. */
int vuln_scan_services(struct vuln_ctx *vc, int64_t only_service, const char *only_id);

typedef int (*vuln_match_fn)(void *arg, const json_t *hit);
/* The matching itself: each vulnerability whose ranges for package in the
 * ecosystems eco[] hold version (a release's "not affected" wins), cb once per
 * vulnerability with the matching range row. Unparsable versions count in *unknown. */
int vuln_match(struct vg_store *st, const char *const eco[3], const char *package,
    const char *version, const char *only_id, vuln_match_fn cb, void *arg, size_t *unknown);

extern const struct assess_family_ops assess_vuln_family;

#endif
