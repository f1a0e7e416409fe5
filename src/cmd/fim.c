/* `vigil fim check|watch|baseline`: integrity of the web roots against their baseline
 * snapshot, once (check) or in real time with the configured policy (watch). */
#include "cmd/fim.h"
#include "core/err.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		ret = fim_check(ctx, p, sel, n, &o);
	} else if (strcmp(argv[1], "watch") == 0) {
		ret = fim_watch(ctx, cfg, p, sel, n, &o);
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
