/* `vigil fim check` (one comparison with the baseline, printed) and `vigil fim
 * watch` (monitor/fimrun's spine, with its start and stop lines). */
#include "cmd/fim.h"
#include "core/err.h"
#include "monitor/fimrun.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct check_ctx {
	struct vg_ctx *ctx;
	const struct fopts *o;
	const char *baseline;
};

static void
print_check(void *arg, const struct fim_change *ch)
{
	struct check_ctx *c = arg;
	pcmd_change_print(stdout, ch, c->ctx->json, !c->o->no_diff, c->baseline);
}

int
fim_check(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
    const struct fopts *o)
{
	size_t total = 0;
	int ret = VG_EXIT_OK;
	char err[512];

	for (size_t i = 0; i < n; i++) {
		struct check_ctx c = { ctx, o, NULL };
		struct reconcile_opts ro = { .mode = RECONCILE_REPORT, .analyze = !o->no_diff,
			.threads = 2, .progress = true, .fn = print_check, .arg = &c };
		size_t changes = 0;
		int r = protect_load_baseline(p, sel[i], err, sizeof(err));
		if (r != VG_OK) {
			cmd_eprintf("vigil fim: %s\n", err);
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		c.baseline = sel[i]->base_id;
		r = protect_reconcile(p, sel[i], sel[i]->base, "", &ro, &changes);
		if (r != VG_OK) {
			cmd_eprintf("vigil fim: %s: %s\n", sel[i]->path, vg_strerror(r));
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		if (!ctx->json)
			cmd_eprintf("%s: %zu change%s against snapshot %s\n", sel[i]->name,
			    changes, changes == 1 ? "" : "s", sel[i]->base_id);
		total += changes;
	}
	if (ret == VG_EXIT_OK && total)
		ret = VG_EXIT_FOUND;
	return ret;
}

static void
print_started(void *arg, const struct fimwatch_stats *fs)
{
	const struct protect *p = arg;
	cmd_eprintf("vigil fim watch: watching %zu directories in %zu web root%s "
	    "(%zu left to periodic scans)\n", fs->watches, p->n_roots, p->n_roots == 1 ? "" : "s",
	    fs->unwatched);
}

int
fim_watch(struct vg_ctx *ctx, struct vg_config *cfg, struct protect *p,
    struct protect_root **sel, size_t n, const struct fopts *o)
{
	struct fimwatch_stats fs;
	char err[512];

	if (n != p->n_roots)
		protect_keep_root(p, sel[0]);	/* watch only the selected root */
	for (size_t i = 0; i < p->n_roots; i++)
		if (protect_load_baseline(p, &p->roots[i], err, sizeof(err)) != VG_OK) {
			cmd_eprintf("vigil fim: %s\n", err);
			return VG_EXIT_USAGE;
		}
	struct fim_watch_opts fo = { .p = p, .cfg = cfg, .store = !o->no_store, .json = ctx->json,
		.with_diff = !o->no_diff && !ctx->json, .debounce_ms = (int)o->debounce_ms,
		.scan_interval_s = (int)o->scan_interval, .max_watches = (size_t)o->max_watches,
		.duration_s = o->duration, .started = print_started, .arg = p, .log = &ctx->log };
	if (fim_watch_run(&fo, &fs) != VG_OK) {
		cmd_eprintf("vigil fim watch: %s\n", strerror(errno));
		return VG_EXIT_RUNTIME;
	}
	cmd_eprintf("vigil fim watch: stopped; %llu events, %llu changes, %llu failed "
	    "actions, %llu queue overflows, %llu rescans, %llu paths dropped from the queue, "
	    "%llu pages-first checks, %llu big files hashed off the loop (%llu not queued)\n",
	    (unsigned long long)fs.events, (unsigned long long)fs.changes,
	    (unsigned long long)fs.failed, (unsigned long long)fs.overflows,
	    (unsigned long long)fs.rescans, (unsigned long long)fs.pending_dropped,
	    (unsigned long long)fs.page_checks, (unsigned long long)fs.big_hashed,
	    (unsigned long long)fs.big_dropped);
	return VG_EXIT_OK;
}
