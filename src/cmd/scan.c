/* `vigil scan PATH...`: offline webshell scan of web roots. The walk and the worker
 * threads are monitor/treescan.c, the output monitor/treescan_print.c; this file
 * parses options and wires them. */
#include "cmd/scan.h"
#include "core/err.h"
#include "core/loop.h"
#include "monitor/treescan.h"
#include "monitor/treescan_print.h"
#include "monitor/webshell.h"
#include "respond/quarantine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert(QUARANTINE_ID_MAX <= TREESCAN_ID_MAX, "quarantine ids fit the scan's buffer");

struct scan_cmd {
	struct webshell_scanner *ws;
	const char *vault;		/* non-NULL: quarantine malicious findings */
};

static int
scan_file(void *arg, int rootfd, const char *root, const char *rel, const char *shown,
    struct webshell_finding *f, char qid[TREESCAN_ID_MAX], char *qerr, size_t qerr_size)
{
	struct scan_cmd *r = arg;
	return quarantine_scan_and_act_at(r->ws, r->vault, rootfd, root, rel, shown, f, qid,
	    qerr, qerr_size);
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct scan_args a = { .threads = 2, .max_size = WEBSHELL_DEFAULT_MAX_SIZE,
		.timeout = WEBSHELL_DEFAULT_TIMEOUT };
	struct scan_cmd r = { 0 };
	struct treescan *t = NULL;
	struct treescan_stats st;
	struct vg_config *cfg = NULL;
	bool arg_error = false;
	int ret;

	if ((ret = scan_parse_args(argc, argv, &a)) != VG_EXIT_OK)
		goto out;
	if (a.quarantine && !a.vault) {
		if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
			goto out;
		a.vault = cfg->protect.quarantine_dir;
	}
	if ((ret = scan_open_scanner(ctx, &a, &r.ws)) != VG_EXIT_OK)
		goto out;

	int64_t t0 = loop_now_ms();
	if (treescan_new(&ctx->log, &t) != VG_OK) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if ((ret = scan_add_paths(t, argc, argv, &arg_error)) != VG_EXIT_OK)
		goto out;
	r.vault = a.quarantine ? a.vault : NULL;
	struct treescan_printer pr = { .json = ctx->json, .max_size = a.max_size,
		.vault = r.vault, .progress = !a.no_progress && isatty(STDERR_FILENO) &&
		ctx->log.level > VG_LOG_ERROR };
	struct treescan_opts o = { .threads = (int)a.threads, .all = a.all,
		.quarantine = r.vault != NULL, .scan = scan_file, .report = treescan_print_finding,
		.unscanned = treescan_print_unscanned,
		.progress = pr.progress ? treescan_print_progress : NULL, .arg = &r, .out = &pr,
		.log = &ctx->log };
	treescan_run(t, &o, &st);
	double dt = (double)(loop_now_ms() - t0) / 1e3;
	if (pr.progress)
		treescan_print_progress(&pr, &st, true);
	if (ctx->log.level > VG_LOG_ERROR)
		treescan_print_summary(&pr, &st, dt);
	if (st.malicious || st.suspicious)
		ret = VG_EXIT_FOUND;
	else if (arg_error || st.quarantine_failed)
		ret = VG_EXIT_RUNTIME;
	else if (st.unscanned)
		ret = VG_EXIT_INCOMPLETE;
	else
		ret = VG_EXIT_OK;
out:
	webshell_scanner_free(r.ws);
	treescan_free(t);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_scan = {
	.name = "scan",
	.summary = "scan web roots for webshells (YARA rules + statistics)",
	.help =
	    "usage: vigil scan [--json] [--threads N] [--quarantine] [options] PATH...\n"
	    "\n"
	    "Scans every regular file under each PATH (recursively) for webshells in PHP,\n"
	    "JSP/JSPX, ASP and ASPX: YARA rules (rules/webshell/NAME.yar) give each match a\n"
	    "weight, file statistics (entropy, longest token, compression estimate,\n"
	    "non-printable share) add at most 35, and the total score (0-100) gives a level:\n"
	    "clean (< 40), suspicious (40-69), malicious (>= 70). A single weak signal stays\n"
	    "clean. Symlinks are never followed, FIFOs/devices/sockets never opened, files\n"
	    "that vanish mid-scan are counted and skipped. The walk goes through directory\n"
	    "descriptors: neither depth nor PATH_MAX limits what is scanned.\n"
	    "\n"
	    "Output: suspicious and malicious files, as a table, or with --json one JSON\n"
	    "object per line: path, score, level, families, rules, sha256, size, entropy,\n"
	    "longest_token, compress_ratio, nonprint_share, rule_score, stats_score,\n"
	    "partial (YARA hit its time/match limit), quarantine_id (when quarantined).\n"
	    "What could not be scanned is a finding too, level \"not-scanned\" with\n"
	    "\"not scanned: REASON\" (JSON: path, level, reason, finding, size): a file over\n"
	    "--max-size (reason too_big), an unreadable file (unreadable), a directory that\n"
	    "could not be opened (directory_unreadable), a directory loop (directory_loop),\n"
	    "files over the 5,000,000-file limit (file_limit).\n"
	    "A summary (files, MiB, MiB/s, skips, errors) goes to stderr, with a progress\n"
	    "bar when stderr is a terminal.\n"
	    "\n"
	    "options:\n"
	    "  --threads N, -j N  worker threads (default 2, max 64)\n"
	    "  --quarantine       move malicious files into the vault (protect.quarantine_dir\n"
	    "                     from the config); see `vigil quarantine`\n"
	    "  --vault DIR        quarantine into DIR (implies --quarantine)\n"
	    "  --rules PATH       rule file or directory of *.yar (default: $VIGIL_WEBSHELL_RULES,\n"
	    "                     else rules/webshell of the source tree or\n"
	    "                     /usr/share/vigil/rules/webshell)\n"
	    "  --max-size SIZE    larger files are not read: reported as not scanned\n"
	    "                     (default 8M; k/M/G suffixes)\n"
	    "  --timeout SECS     YARA time limit per file (default 5)\n"
	    "  --all              also print clean files, with statistics and sha256 for\n"
	    "                     every file (slower; by default only files a rule matched\n"
	    "                     get statistics and only reported files are hashed)\n"
	    "  --no-progress      no progress bar\n"
	    "\n"
	    "exit: 0 everything scanned, nothing found; 1 suspicious or malicious files\n"
	    "found; 2 usage or rule error; 3 a PATH could not be read or a quarantine failed;\n"
	    "4 nothing found, but something was not scanned (see the not-scanned findings).\n"
	    "The first that applies in this order: 1, 3, 4.\n",
	.run = run,
};
