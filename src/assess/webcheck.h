/* What the web, TLS and checklist families hand on: one finding per failed check on
 * one target, through a callback, so the same checks serve `vigil assess web|tls|
 * checklist` (printing, then assess's rectification list) and `assess recheck`
 * (which only asks whether the check still fails). Strings are borrowed for the
 * duration of the call. */
#ifndef VG_WEBCHECK_H
#define VG_WEBCHECK_H

#include "core/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wc_finding {
	const char *family;		/* "web", "tls", "checklist" */
	const char *check;		/* template id, TLS check id, checklist item id */
	const char *target;		/* base URL, HOST:PORT, or "checklist" */
	const char *asset;		/* host name or address; the organisation for the checklist */
	const char *ref;		/* template file, checklist file; may be NULL */
	const char *title;
	enum vg_severity severity;
	const char *evidence;		/* what was seen (request, status, match, cert dates) */
	const char *remediation;	/* may be "" */
	int64_t asset_id;		/* assets.id, or 0 when the target is not registered */
};

/* Returns 0 to go on, or a VG_ERR_* that stops the run and is returned by it. */
typedef int (*wc_finding_fn)(void *arg, const struct wc_finding *f);

struct vg_store;
/* Makes f an item of assess's rectification list (key "family|check|target", so a
 * re-run updates the item and `assess recheck` finds the target again). *id and
 * *created may be NULL. 0, VG_ERR_INVAL, VG_ERR_STORE. */
int webcheck_upsert(struct vg_store *st, const struct wc_finding *f, const char *actor,
    int64_t *id, bool *created);

/* A target in scope from the asset register. */
struct wc_target {
	char *target;		/* "scheme://host:port/" (web) or "host:port" (tls) */
	int64_t asset_id;
	bool internal;		/* the register says not internet-facing */
};
/* The register's targets in scope: declared assets' open TCP services speaking HTTP
 * (tls false) or TLS (tls true). *out (free with webcheck_targets_free) and *n.
 * 0 or VG_ERR_STORE / VG_ERR_NOMEM. */
int webcheck_asset_targets(struct vg_store *st, bool tls, struct wc_target **out, size_t *n);
void webcheck_targets_free(struct wc_target *t, size_t n);
/* *internal = the register knows host (address or host name) as not internet-facing. */
int webcheck_asset_internal(struct vg_store *st, const char *host, bool *internal);

/* A wc_finding_fn for rechecks: counts findings and keeps the first one's evidence. */
struct wc_seen {
	size_t count;
	char *evidence;		/* the recheck's buffer */
	size_t size;
};
int webcheck_seen(void *arg, const struct wc_finding *f);

#endif
