/* `vigil fim check|watch|baseline`: integrity of the web roots against their baseline
 * snapshot, once (check) or in real time with the configured policy (watch). */
#include "cmd/protect_cmd.h"
#include "core/err.h"
#include "monitor/fimrun.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct cmd_ops cmd_fim;

struct fopts {
	const char *webroot;
	long long debounce_ms, scan_interval, max_watches, duration;
	bool no_diff, no_store;
};

static const struct option fim_options[] = {
	{ "webroot", required_argument, NULL, 'w' },
	{ "no-diff", no_argument, NULL, 'D' },
	{ "no-store", no_argument, NULL, 'S' },
	{ "debounce", required_argument, NULL, 'b' },
	{ "scan-interval", required_argument, NULL, 'i' },
	{ "max-watches", required_argument, NULL, 'm' },
	{ "duration", required_argument, NULL, 'd' },
	{ NULL, 0, NULL, 0 },
};

/* The numeric options: where each goes and its range. */
static const struct {
	int val;
	const char *name;
	size_t off;
	long long lo, hi;
} fim_numbers[] = {
	{ 'b', "--debounce", offsetof(struct fopts, debounce_ms), 0, 10000 },
	{ 'i', "--scan-interval", offsetof(struct fopts, scan_interval), 1, 86400 },
	{ 'm', "--max-watches", offsetof(struct fopts, max_watches), 1, 100000000 },
	{ 'd', "--duration", offsetof(struct fopts, duration), 1, 100000000 },
};

static int
set_opt(void *arg, int c, const char *v)
{
	struct fopts *o = arg;

	if (c == 'w')
		o->webroot = v;
	else if (c == 'D')
		o->no_diff = true;
	else if (c == 'S')
		o->no_store = true;
	for (size_t k = 0; k < sizeof(fim_numbers) / sizeof(fim_numbers[0]); k++)
		if (fim_numbers[k].val == c && vg_parse_ll(v, fim_numbers[k].lo, fim_numbers[k].hi,
		    (long long *)((char *)o + fim_numbers[k].off)) != VG_OK)
			return cmd_usage_error(&cmd_fim, "%s: expected a number in [%lld, %lld]",
			    fim_numbers[k].name, fim_numbers[k].lo, fim_numbers[k].hi);
	return VG_EXIT_OK;
}

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

static int
do_check(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
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

static int
do_watch(struct vg_ctx *ctx, struct vg_config *cfg, struct protect *p,
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

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct vg_config *cfg = NULL;
	struct protect *p = NULL;
	struct protect_root *sel[64];
	struct fopts o = { .debounce_ms = -1 };
	size_t n = 0;
	int ret;

	if (argc < 2 || (strcmp(argv[1], "check") && strcmp(argv[1], "watch") &&
	    strcmp(argv[1], "baseline")))
		return cmd_usage_error(&cmd_fim, "expected check, watch or baseline");
	if ((ret = cmd_parse_options(&cmd_fim, argc - 1, argv + 1, fim_options, set_opt, &o)) !=
	    VG_EXIT_OK)
		return ret;
	if ((ret = pcmd_open(ctx, &cmd_fim, &cfg, &p)) != VG_EXIT_OK)
		return ret;
	if (p->n_roots > 64) {
		ret = VG_EXIT_USAGE;
		goto out;
	}
	if ((ret = pcmd_select(p, o.webroot, &cmd_fim, sel, &n)) != VG_EXIT_OK)
		goto out;
	if (strcmp(argv[1], "check") == 0) {
		ret = do_check(ctx, p, sel, n, &o);
	} else if (strcmp(argv[1], "watch") == 0) {
		ret = do_watch(ctx, cfg, p, sel, n, &o);
	} else {
		ret = VG_EXIT_OK;
		for (size_t i = 0; i < n; i++) {
			struct protect_snapshot_stats s;
			char id[PROTECT_ID_SIZE];
			if (protect_snapshot_create(p, sel[i], 2, !ctx->json, id, &s) != VG_OK) {
				ret = VG_EXIT_RUNTIME;
				continue;
			}
			printf("%s: baseline %s: %zu files, %zu new objects\n", sel[i]->name, id,
			    s.files, s.new_objects);
		}
	}
out:
	protect_free(p);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_fim = {
	.name = "fim",
	.summary = "web-root integrity: check against the baseline, or watch in real time",
	.help =
	    "usage: vigil fim check|watch|baseline [--webroot NAME] [options]\n"
	    "\n"
	    "Compares the web roots (webroots: in the config) with their baseline, the newest\n"
	    "snapshot made by `vigil backup create` (or `vigil fim baseline`).\n"
	    "\n"
	    "  check     one pass: every added, deleted, modified file, mode/owner change\n"
	    "            and symlink retarget; text files get a unified diff and tamper\n"
	    "            flags (hidden links, injected scripts/iframes, gambling/porn words,\n"
	    "            JS redirects, meta refresh). Progress on stderr when a terminal.\n"
	    "  watch     real time with inotify until SIGINT/SIGTERM: new directories are\n"
	    "            watched as they appear, writes are debounced, and each change gets\n"
	    "            the web root's policy: alert (report), restore (put the baseline\n"
	    "            back atomically; added files are moved into BACKUP_DIR/removed/),\n"
	    "            quarantine (hand added/changed files to the quarantine, restore the\n"
	    "            rest). During `vigil publish begin` changes are only recorded.\n"
	    "            At start it first reconciles each root once, so changes made while\n"
	    "            vigil was not running are handled too. A failed action (full disk)\n"
	    "            is retried with backoff (0.5 s doubling, 8 times).\n"
	    "            Alerts go to stdout and to the store, one per root, path, kind and\n"
	    "            action while the changes keep coming (count, first/last seen; each\n"
	    "            action has its audit row); a new baseline is picked up\n"
	    "            automatically. If inotify watches run out, the unwatched part is\n"
	    "            scanned every protect.scan_interval; a queue overflow checks the\n"
	    "            served pages (html, js, css, php, jsp, asp...) first, then rescans.\n"
	    "            Files over 16 MiB are hashed on a worker thread, off the loop.\n"
	    "  baseline  take a new snapshot now (same as `vigil backup create`)\n"
	    "\n"
	    "options:\n"
	    "  --webroot NAME       only this web root\n"
	    "  --json               one JSON line per change (ECS-style fields, with diff)\n"
	    "  --no-diff            do not diff or analyse changed text files\n"
	    "  --debounce MS        watch: quiet time before judging a written file\n"
	    "                       (default protect.debounce_ms, 20)\n"
	    "  --scan-interval SEC  watch: period of scans of unwatched parts\n"
	    "                       (default protect.scan_interval, 60s)\n"
	    "  --max-watches N      watch: use at most N inotify watches (tests the fallback)\n"
	    "  --duration SEC       watch: stop after SEC seconds\n"
	    "  --no-store           watch: do not record alerts in the store\n"
	    "\n"
	    "exit: check: 0 no change, 1 changes found; 2 usage/config error (or no baseline\n"
	    "for watch); 3 runtime error.\n",
	.run = run,
};
