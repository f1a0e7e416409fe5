/* Checklist items vigil can judge from what it already keeps: the duty roster
 * (cases/, table duty_shifts) and the web-root backups (backup/: every configured
 * root has a snapshot and `backup verify` finds nothing corrupted or missing).
 * VG_ERR_NOTFOUND means "cannot tell here" (no configuration): a person answers. */
#include "assess/checklist.h"
#include "backup/snapshot.h"
#include "backup/verify.h"
#include "backup/webroot.h"
#include "cases/cases.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
checklist_auto_duty(const struct cl_env *env, struct cl_state *out)
{
	struct cases *cs = NULL;
	json_t *all = NULL, *now = NULL, *s;
	const char *nocontact = NULL;
	struct vg_buf *b = NULL;
	size_t i;
	int rc;

	if (!env->cfg)
		return VG_ERR_NOTFOUND;
	if ((rc = cases_open(env->st, env->cfg, env->log, &cs)) ||
	    (rc = cases_duty_list(cs, &all)) || (rc = cases_duty_now(cs, vg_now_us(), &now)))
		goto out;
	if (!(b = vg_buf_new(sizeof(out->evidence)))) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	json_array_foreach(all, i, s) {
		const char *c = json_string_value(json_object_get(s, "contact"));

		if (!c || !*c)
			nocontact = json_string_value(json_object_get(s, "person"));
	}
	(void)vg_buf_putf(b, "%zu shifts in the roster", json_array_size(all));
	if (json_array_size(all) == 0)
		out->answer = CL_NO;
	else if (json_array_size(now) == 0)
		out->answer = CL_PARTIAL;
	else
		out->answer = nocontact ? CL_PARTIAL : CL_YES;
	if (json_array_size(now)) {
		(void)vg_buf_puts(b, "; on duty now:");
		json_array_foreach(now, i, s)
			(void)vg_buf_putf(b, "%s %s (%s)", i ? "," : "",
			    json_string_value(json_object_get(s, "person")),
			    json_string_value(json_object_get(s, "contact")) ?
				json_string_value(json_object_get(s, "contact")) : "no contact");
	} else if (json_array_size(all)) {
		(void)vg_buf_puts(b, "; nobody is on duty now");
	}
	if (nocontact)
		(void)vg_buf_putf(b, "; %s has no contact", nocontact);
	vg_strlcpy(out->evidence, vg_buf_ptr(b), sizeof(out->evidence));
out:
	vg_buf_free(b);
	json_decref(all);
	json_decref(now);
	cases_close(cs);
	return rc;
}

int
checklist_auto_backup(const struct cl_env *env, struct cl_state *out)
{
	struct protect *p = NULL;
	struct protect_root **roots = NULL;
	struct backup_verify_stats vs;
	size_t without = 0;
	const char *first_without = NULL;
	int rc;

	if (!env->cfg || env->cfg->webroots.n == 0)
		return VG_ERR_NOTFOUND;
	if ((rc = protect_open(env->cfg, env->log, &p)))
		return rc;
	if (!(roots = calloc(p->n_roots + 1, sizeof(*roots)))) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < p->n_roots; i++) {
		char **ids = NULL;
		size_t n = 0;

		roots[i] = &p->roots[i];
		if (protect_snapshot_list(p, &p->roots[i], &ids, &n) != VG_OK || n == 0) {
			without++;
			first_without = first_without ? first_without : p->roots[i].name;
		}
		protect_ids_free(ids, n);
	}
	rc = backup_verify(p, roots, p->n_roots, NULL, NULL, &vs);
	if (rc == VG_ERR_NOTFOUND) {
		/* no object store at all: nothing was ever backed up */
		out->answer = CL_NO;
		snprintf(out->evidence, sizeof(out->evidence),
		    "%zu web roots configured, no backup exists in %s", p->n_roots, p->backup_dir);
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	if (vs.corrupted || vs.missing)
		out->answer = CL_NO;
	else if (without)
		out->answer = without == p->n_roots ? CL_NO : CL_PARTIAL;
	else
		out->answer = CL_YES;
	snprintf(out->evidence, sizeof(out->evidence),
	    "%zu web roots, %zu without a snapshot%s%s%s; backup verify: %zu objects re-hashed, "
	    "%zu corrupted, %zu missing", p->n_roots, without, without ? " (" : "",
	    without ? first_without : "", without ? (without > 1 ? ", ...)" : ")") : "",
	    vs.objects, vs.corrupted, vs.missing);
out:
	free(roots);
	protect_free(p);
	return rc;
}
