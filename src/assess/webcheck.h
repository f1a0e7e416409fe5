/* What the web, TLS and checklist families hand on: one finding per failed check on
 * one target, through a callback, so the same checks serve `vigil assess web|tls|
 * checklist` (printing, then assess's rectification list) and `assess recheck`
 * (which only asks whether the check still fails). Strings are borrowed for the
 * duration of the call. */
#ifndef VG_WEBCHECK_H
#define VG_WEBCHECK_H

#include "core/event.h"

#include <stdint.h>

struct wc_finding {
	const char *family;		/* "web", "tls", "checklist" */
	const char *check;		/* template id, TLS check id, checklist item id */
	const char *target;		/* base URL, HOST:PORT, or "checklist" */
	const char *title;
	enum vg_severity severity;
	const char *evidence;		/* what was seen (request, status, match, cert dates) */
	const char *remediation;	/* may be "" */
	int64_t asset_id;		/* assets.id, or 0 when the target is not registered */
};

/* Returns 0 to go on, or a VG_ERR_* that stops the run and is returned by it. */
typedef int (*wc_finding_fn)(void *arg, const struct wc_finding *f);

#endif
