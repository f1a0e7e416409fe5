/* `vigil publish begin|status|diff|commit|abort`: a change window for legitimate site
 * updates. While open, the watcher records changes instead of reverting them; commit
 * makes the published tree the new baseline, abort puts the old baseline back. */
#include "cmd/protect_cmd.h"
#include "core/err.h"
#include "core/esc.h"
#include "respond/publish.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const struct cmd_ops cmd_publish;

#define ACCEPT_MAX 256

struct popts {
	const char *webroot, *note;
	const char *accept[ACCEPT_MAX];
	size_t n_accept;
	bool force;
};

struct pctx {
	struct vg_ctx *ctx;
	bool diff;
	const char *baseline;
};

static void
print_change(void *arg, const struct fim_change *ch)
{
	struct pctx *c = arg;
	pcmd_change_print(stdout, ch, c->ctx->json, c->diff, c->baseline);
}

static void
audit(struct vg_config *cfg, struct vg_ctx *ctx, const char *action, const char *detail)
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

static int
begin(struct vg_ctx *ctx, struct vg_config *cfg, struct protect *p, struct protect_root *r,
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
	audit(cfg, ctx, "publish.begin", r->name);
	if (!ctx->json)
		printf("%s: publishing window open since %s (baseline %s); changes are recorded, "
		    "not reverted, until `vigil publish commit` or `abort`\n", r->name, ts,
		    r->base_id);
	else
		printf("{\"webroot\":\"%s\",\"publishing\":true,\"since\":\"%s\"}\n", r->name, ts);
	return VG_EXIT_OK;
}

static int
show(struct vg_ctx *ctx, struct protect *p, struct protect_root *r, bool diff)
{
	char err[512], since[64];
	struct pctx c = { ctx, diff, NULL };
	struct reconcile_opts ro = { .mode = RECONCILE_REPORT, .analyze = diff, .threads = 2,
		.fn = print_change, .arg = &c };
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
		audit(g->cfg, g->ctx, "publish.accept", detail);
	}
}

static int
end(struct vg_ctx *ctx, struct vg_config *cfg, struct protect *p, struct protect_root *r,
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
			: publish_abort(p, r, print_change, &c, &changes, err, sizeof(err));

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
	audit(cfg, ctx, commit ? "publish.commit" : "publish.abort", r->name);
	return VG_EXIT_OK;
}

static const struct option publish_options[] = {
	{ "webroot", required_argument, NULL, 'w' },
	{ "note", required_argument, NULL, 'n' },
	{ "accept", required_argument, NULL, 'a' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

static int
set_opt(void *arg, int c, const char *v)
{
	struct popts *o = arg;
	if (c == 'f') {
		o->force = true;
	} else if (c == 'a') {
		if (o->n_accept == ACCEPT_MAX)
			return cmd_usage_error(&cmd_publish, "at most %d --accept", ACCEPT_MAX);
		o->accept[o->n_accept++] = v;
	} else {
		*(c == 'w' ? &o->webroot : &o->note) = v;
	}
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct vg_config *cfg = NULL;
	struct protect *p = NULL;
	struct protect_root *sel[64];
	struct popts o = { 0 };
	size_t n = 0;
	int ret;
	static const char *const subs[] = { "begin", "status", "diff", "commit", "abort" };
	int sub = -1;

	for (int i = 0; argc >= 2 && i < 5; i++)
		if (strcmp(argv[1], subs[i]) == 0)
			sub = i;
	if (sub < 0)
		return cmd_usage_error(&cmd_publish, "expected begin, status, diff, commit or "
		    "abort");
	if ((ret = cmd_parse_options(&cmd_publish, argc - 1, argv + 1, publish_options, set_opt,
	    &o)) != VG_EXIT_OK)
		return ret;
	if ((ret = pcmd_open(ctx, &cmd_publish, &cfg, &p)) != VG_EXIT_OK)
		return ret;
	if (p->n_roots > 64 || (ret = pcmd_select(p, o.webroot, &cmd_publish, sel, &n)) !=
	    VG_EXIT_OK) {
		ret = VG_EXIT_USAGE;
		goto out;
	}
	if (n != 1) {
		ret = cmd_usage_error(&cmd_publish, "several web roots: choose one with --webroot");
		goto out;
	}
	switch (sub) {
	case 0: ret = begin(ctx, cfg, p, sel[0], &o); break;
	case 1: ret = show(ctx, p, sel[0], false); break;
	case 2: ret = show(ctx, p, sel[0], true); break;
	case 3: ret = end(ctx, cfg, p, sel[0], &o, true); break;
	default: ret = end(ctx, cfg, p, sel[0], &o, false); break;
	}
out:
	protect_free(p);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_publish = {
	.name = "publish",
	.summary = "change window for legitimate site updates (begin, diff, commit, abort)",
	.help =
	    "usage: vigil publish begin|status|diff|commit|abort [--webroot NAME] [--note TEXT]\n"
	    "                    [--accept PATH]... [--force]\n"
	    "\n"
	    "Opens a publishing window so the team can update a site during the event without\n"
	    "alert floods and without switching protection off elsewhere. While the window is\n"
	    "open, `vigil watch` and `vigil fim watch` record changes to that web root (action\n"
	    "\"recorded\") instead of applying its policy; other web roots stay protected.\n"
	    "`vigil watch` still scans each added or changed file and raises a WEBSHELL alert\n"
	    "for a suspicious or malicious one, but leaves it in place for the commit to judge.\n"
	    "\n"
	    "  begin    open the window (state file BACKUP_DIR/publish/NAME.json)\n"
	    "  status   show whether it is open and list the changes so far\n"
	    "  diff     the changes with unified diffs of text files and tamper flags, so\n"
	    "           a reviewer sees exactly what goes live\n"
	    "  commit   scan every file added or changed in the window for webshells (the\n"
	    "           bytes the snapshot stores), then make the snapshot the new baseline\n"
	    "           and close the window. A suspicious or malicious file (score >= 40),\n"
	    "           a server-side script over 8 MiB or an unreadable file refuses the\n"
	    "           commit (exit 1, each named; window and baseline unchanged) unless\n"
	    "           accepted: --accept PATH (relative to the web root, a glob allowed,\n"
	    "           repeatable) or --force (all); accepted files are audited\n"
	    "  abort    put the baseline back (added files go to BACKUP_DIR/removed/), then\n"
	    "           close the window\n"
	    "\n"
	    "--webroot is needed when several web roots are configured. --note TEXT is kept\n"
	    "in the state file. begin, commit and abort are written to the store's audit log.\n"
	    "exit: 0 ok, 1 commit refused by the webshell scan, 2 usage error (no window open,\n"
	    "already open, no baseline, no rules), 3 runtime error.\n",
	.run = run,
};
