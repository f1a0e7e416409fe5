/* `vigil publish commit|abort`: closing a window through the webshell gate, or reverting it. */
#include "cmd/publish.h"
#include "core/err.h"
#include "core/esc.h"
#include "respond/publish.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct gate_print {
	struct vg_ctx *ctx;
	struct vg_config *cfg;
	struct protect_root *r;
};

/* One file the commit's webshell scan stopped at: printed, and audited if accepted. */
static void
gate_item(void *arg, const struct pubgate_item *it)
{
	struct gate_print *g = arg;
	const struct webshell_finding *f = it->f;
	const char *verdict = it->accepted ? "accepted" : "blocked";
	char why[640];

	if (it->kind == PUBGATE_FINDING)
		snprintf(why, sizeof(why), "%s webshell, score %d (%s)", f->level, f->score,
		    f->families[0] ? f->families : f->rules);
	else if (it->kind == PUBGATE_TOO_BIG)
		snprintf(why, sizeof(why), "not scanned: a server-side script over %lld bytes "
		    "(%lld)", WEBSHELL_DEFAULT_MAX_SIZE, it->size);
	else
		snprintf(why, sizeof(why), "not scanned: unreadable when the snapshot was taken");
	if (g->ctx->json) {
		json_t *j = json_pack("{s:s, s:o, s:s, s:s, s:s?, s:i}", "webroot", g->r->name,
		    "path", vg_json_string_lossy(it->path, strlen(it->path)), "gate", verdict,
		    "reason", why, "level", f ? f->level : NULL, "score", f ? f->score : -1);
		if (j) {
			json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
			fputc('\n', stdout);
			json_decref(j);
		}
	} else {
		printf("%s: %s ", g->r->name, it->accepted ? "ACCEPTED" : "BLOCKED ");
		vg_esc_fwrite(stdout, it->path, strlen(it->path));	/* attacker-chosen */
		printf(": %s\n", why);
	}
	if (it->accepted) {
		char detail[PATH_MAX + 768];
		snprintf(detail, sizeof(detail), "%s: %s: %s", g->r->name, it->path, why);
		pub_audit(g->cfg, g->ctx, "publish.accept", detail);
	}
}

int
pub_end(struct vg_ctx *ctx, struct vg_config *cfg, struct protect *p, struct protect_root *r,
    const struct popts *o, bool commit)
{
	char err[PATH_MAX + 128], id[PROTECT_ID_SIZE];
	struct gate_print g = { ctx, cfg, r };
	struct publish_commit_opts co = { .accept = o->accept, .n_accept = o->n_accept,
		.force = o->force, .fn = gate_item, .arg = &g };
	struct pctx c = { ctx, false, r->base_id };
	struct protect_snapshot_stats s;
	struct pubgate_result res = { 0 };
	size_t changes = 0, n;
	int rr = commit ? publish_commit(p, r, &ctx->log, &co, &res, id, &s, err, sizeof(err))
			: publish_abort(p, r, pub_print_change, &c, &changes, err, sizeof(err));

	n = res.blocking;
	if (rr == VG_ERR_NOTFOUND) {
		cmd_eprintf("vigil publish: no publishing window is open for %s (run `vigil "
		    "publish begin`)\n", r->name);
		return VG_EXIT_USAGE;
	}
	if (commit && rr == VG_ERR_DENIED) {
		cmd_eprintf("vigil publish: %s: commit refused: %zu file%s added or changed in "
		    "the window %s suspected webshell%s or could not be scanned (listed above); "
		    "remove %s, or accept %s with --accept PATH (or --force), then commit again; "
		    "the window stays open and the baseline is unchanged\n", r->name, n,
		    n == 1 ? "" : "s", n == 1 ? "is a" : "are", n == 1 ? "" : "s",
		    n == 1 ? "it" : "them", n == 1 ? "it" : "them");
		return VG_EXIT_FOUND;
	}
	if (rr != VG_OK) {
		cmd_eprintf("vigil publish: %s: %s%s; window left open\n", r->name,
		    commit && !err[0] ? "snapshot failed: " : "", err[0] ? err : vg_strerror(rr));
		return rr == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	if (commit && !ctx->json)
		printf("%s: committed as snapshot %s (%zu files, %zu new objects; %zu added or "
		    "changed files scanned for webshells, %zu accepted); the new baseline\n",
		    r->name, id, s.files, s.new_objects, res.scanned, res.accepted);
	else if (commit)
		printf("{\"webroot\":\"%s\",\"committed\":\"%s\",\"scanned\":%zu,"
		    "\"accepted\":%zu}\n", r->name, id, res.scanned, res.accepted);
	else if (!ctx->json)
		printf("%s: aborted; %zu change%s reverted to baseline %s\n", r->name, changes,
		    changes == 1 ? "" : "s", r->base_id);
	pub_audit(cfg, ctx, commit ? "publish.commit" : "publish.abort", r->name);
	return VG_EXIT_OK;
}