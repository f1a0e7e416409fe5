/* The "web" and "tls" rows of assess's family table: their recheck re-runs exactly
 * the template (or TLS check) behind an item against the URL (or HOST:PORT) it was
 * found on. Runs need targets, so they start from `vigil assess web|tls`, not from
 * the table. */
#include "assess/assess.h"
#include "assess/tls.h"
#include "assess/web.h"
#include "core/err.h"
#include "core/log.h"
#include "core/paths.h"

#include <stdio.h>
#include <unistd.h>

static int
web_recheck(struct assess_ctx *ctx, const struct assess_item *it, bool *passed, char *ev,
    size_t evsz)
{
	struct web_tmpl_set ts = { 0 };
	struct wc_seen seen = { .evidence = ev, .size = evsz };
	struct web_run_opts ro = { .only = it->check_id };
	struct web_run_stats st;
	char dir[4096], why[512] = "";
	const char *path;
	int rc;

	*passed = false;
	/* the template's own file when it is still there (it may come from --templates) */
	if (it->ref && access(it->ref, R_OK) == 0)
		path = it->ref;
	else if (vg_find_data_dir("rules/web", dir, sizeof(dir)) == VG_OK)
		path = dir;
	else
		return VG_ERR_NOTFOUND;
	if ((rc = web_tmpl_load(path, &ts, NULL, NULL)) != VG_OK)
		return rc == VG_ERR_NOTFOUND ? VG_ERR_NOTFOUND : rc;
	if (!web_tmpl_find(&ts, it->check_id)) {
		rc = VG_ERR_NOTFOUND;
		goto out;
	}
	rc = web_check_site(&ts, it->target, it->asset_id, &ro, webcheck_seen, &seen, &st, why,
	    sizeof(why));
	if (rc != VG_OK) {
		vg_warn(ctx->log, "recheck %s on %s: %s", it->check_id, it->target,
		    why[0] ? why : vg_strerror(rc));
		goto out;
	}
	*passed = seen.count == 0;
	if (*passed)
		snprintf(ev, evsz, "%s no longer matches %s (%zu requests, %zu answers dropped as "
		    "not-found look-alikes)", it->check_id, it->target, st.requests, st.dropped);
out:
	web_tmpl_set_free(&ts);
	return rc;
}

static int
tls_recheck(struct assess_ctx *ctx, const struct assess_item *it, bool *passed, char *ev,
    size_t evsz)
{
	struct wc_seen seen = { .evidence = ev, .size = evsz };
	struct tls_opts o = { .only = it->check_id };
	struct tls_stats st;
	char why[512] = "", host[256], port[16];
	int rc;

	*passed = false;
	/* judged as the run judged it: internal when the register says so */
	if (tls_parse_target(it->target, host, sizeof(host), port, sizeof(port)) == 0 &&
	    webcheck_asset_internal(ctx->st, host, &o.internal) != VG_OK)
		o.internal = false;
	rc = tls_check_target(it->target, it->asset_id, &o, webcheck_seen, &seen, &st, why,
	    sizeof(why));
	if (rc == VG_ERR_INVAL)
		return VG_ERR_NOTFOUND;
	if (rc != VG_OK) {
		vg_warn(ctx->log, "recheck %s on %s: %s", it->check_id, it->target,
		    why[0] ? why : vg_strerror(rc));
		return rc;
	}
	*passed = seen.count == 0;
	if (*passed)
		snprintf(ev, evsz, "%s passes on %s (%s %s, certificate valid until %s)",
		    it->check_id, it->target, st.protocol, st.cipher,
		    st.not_after[0] ? st.not_after : "-");
	return 0;
}

const struct assess_family_ops assess_family_web = {
	.name = "web",
	.kind = ASSESS_EXPOSURE,
	.doc = "web exposures from the YAML templates of rules/web (`vigil assess web URL`)",
	.recheck = web_recheck,
};

const struct assess_family_ops assess_family_tls = {
	.name = "tls",
	.kind = ASSESS_EXPOSURE,
	.doc = "TLS protocols, ciphers and certificates (`vigil assess tls HOST:PORT`)",
	.recheck = tls_recheck,
};
