/* `vigil publish begin|status|diff`: opening a window and showing what changed in it. */
#include "cmd/publish.h"
#include "core/err.h"
#include "core/esc.h"
#include "respond/publish.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
pub_print_change(void *arg, const struct fim_change *ch)
{
	struct pctx *c = arg;
	pcmd_change_print(stdout, ch, c->ctx->json, c->diff, c->baseline);
}

void
pub_audit(struct vg_config *cfg, struct vg_ctx *ctx, const char *action, const char *detail)
{
	struct vg_store *st = NULL;
	char err[512];
	if (store_open(cfg->store.backend, cfg->store.path, &ctx->log, &st, err, sizeof(err)) !=
	    VG_OK) {
		vg_warn(&ctx->log, "store: %s; %s not recorded", err, action);
		return;
	}
	const char *user = getenv("SUDO_USER") ? getenv("SUDO_USER") : getenv("USER");
	store_audit(st, user ? user : "cli", action, detail);
	store_close(st);
}

int
pub_begin(struct vg_ctx *ctx, struct vg_config *cfg, struct protect *p, struct protect_root *r,
    const struct popts *o)
{
	char err[PATH_MAX + 128], ts[40];
	int rr = publish_begin(p, r, o->note, ts, sizeof(ts), err, sizeof(err));

	if (rr == VG_ERR_BUSY || rr == VG_ERR_NOTFOUND) {
		if (rr == VG_ERR_BUSY)
			cmd_eprintf("vigil publish: a publishing window is already open for "
			    "%s (%s)\n", r->name, err);
		else
			cmd_eprintf("vigil publish: %s\n", err);
		return VG_EXIT_USAGE;
	}
	if (rr != VG_OK) {
		cmd_eprintf("vigil publish: %s\n", err[0] ? err : vg_strerror(rr));
		return VG_EXIT_RUNTIME;
	}
	pub_audit(cfg, ctx, "publish.begin", r->name);
	if (!ctx->json)
		printf("%s: publishing window open since %s (baseline %s); changes are recorded, "
		    "not reverted, until `vigil publish commit` or `abort`\n", r->name, ts,
		    r->base_id);
	else
		printf("{\"webroot\":\"%s\",\"publishing\":true,\"since\":\"%s\"}\n", r->name, ts);
	return VG_EXIT_OK;
}

int
pub_show(struct vg_ctx *ctx, struct protect *p, struct protect_root *r, bool diff)
{
	char err[512], since[64];
	struct pctx c = { ctx, diff, NULL };
	struct reconcile_opts ro = { .mode = RECONCILE_REPORT, .analyze = diff, .threads = 2,
		.fn = pub_print_change, .arg = &c };
	size_t changes = 0;
	int rr;

	if (protect_load_baseline(p, r, err, sizeof(err)) != VG_OK) {
		cmd_eprintf("vigil publish: %s\n", err);
		return VG_EXIT_USAGE;
	}
	c.baseline = r->base_id;
	if (!ctx->json && !diff) {
		publish_since(p, r, since, sizeof(since));
		printf("%s: publishing window %s%s%s; baseline %s\n", r->name,
		    protect_publish_active(p, r) ? "open" : "closed", since[0] ? " since " : "",
		    since, r->base_id);
	}
	if ((rr = protect_reconcile(p, r, r->base, "", &ro, &changes)) != VG_OK) {
		cmd_eprintf("vigil publish: %s: %s\n", r->path, vg_strerror(rr));
		return VG_EXIT_RUNTIME;
	}
	if (!ctx->json)
		printf("%zu change%s against the baseline\n", changes, changes == 1 ? "" : "s");
	return VG_EXIT_OK;
}