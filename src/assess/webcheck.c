/* Where web, TLS and checklist findings meet the rectification list (assess.h):
 * one key per (family, check, target), so re-running a check on the same URL or
 * service updates its item, and the target stored is what recheck runs again. */
#include "assess/assess.h"
#include "assess/webcheck.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>

int
webcheck_upsert(struct vg_store *st, const struct wc_finding *f, const char *actor,
    int64_t *id, bool *created)
{
	char key[2048];
	struct assess_finding a = {
		.kind = strcmp(f->family, "checklist") == 0 ? ASSESS_CHECKLIST : ASSESS_EXPOSURE,
		.family = f->family, .check_id = f->check, .asset = f->asset, .key = key,
		.target = f->target, .ref = f->ref, .title = f->title, .severity = (int)f->severity,
		.evidence = f->evidence, .remediation = f->remediation, .asset_id = f->asset_id,
		.actor = actor,
	};

	if ((size_t)snprintf(key, sizeof(key), "%s|%s|%s", f->family, f->check, f->target) >=
	    sizeof(key))
		return VG_ERR_INVAL;
	return assess_finding_upsert(st, &a, id, created);
}

int
webcheck_seen(void *arg, const struct wc_finding *f)
{
	struct wc_seen *s = arg;

	if (s->count++ == 0 && s->evidence && s->size)
		vg_strlcpy(s->evidence, f->evidence ? f->evidence : "", s->size);
	return 0;
}
