/* `vigil watch`: the 7x24 daemon: the spine (monitor/spine.h) over the configured
 * log files, syslog listeners and web roots, with live detection (monitor/live.h)
 * as consumer: alerts and file positions commit together, once per round. */
#include "cmd/watch.h"
#include "core/err.h"
#include "core/sdnotify.h"
#include "monitor/webwatch.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "ready-file", required_argument, NULL, 'f' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	struct watch w = { .ctx = ctx, .lock_fd = -1 };
	const char *rules_opt = NULL, *ready_file = NULL;
	char *rules_path = NULL;
	bool keep_going = false;
	struct loop *l = NULL;
	int ret, c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		if (c == 'r')
			rules_opt = optarg;
		else if (c == 'f')
			ready_file = optarg;
		else if (c == 'k')
			keep_going = true;
		else
			return cmd_usage_error(&cmd_watch, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_watch, "unknown or incomplete option '%s'", argv[optind]);
	/* A reload must never end the daemon: SIGHUP's default action would, if it came
	 * before the loop takes it or went to a thread started while opening (webhook
	 * adapter). Blocked from here on, one that came early reloads after the first
	 * round. SIGINT/SIGTERM keep ending a slow start-up at once. */
	sigset_t hup;
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	sigprocmask(SIG_BLOCK, &hup, NULL);
	if ((ret = cmd_load_config(ctx, &w.cfg)) != VG_EXIT_OK)
		return ret;
	ret = VG_EXIT_USAGE;
	if (w.cfg->monitor.sources.n == 0 && w.cfg->monitor.syslog.n == 0 && w.cfg->webroots.n == 0 &&
	    w.cfg->sitewatch.sites.n == 0) {
		fprintf(stderr, "vigil watch: nothing to watch: configure monitor.sources, "
				"monitor.syslog, webroots or sitewatch.sites\n");
		goto out;
	}
	if (cmd_rules_path(ctx, w.cfg, rules_opt, &rules_path) != VG_OK)
		goto out;
	ret = VG_EXIT_RUNTIME;
	w.rules_path = rules_path;
	if (loop_new(&l) != VG_OK || (ret = watch_open(&w, rules_path, keep_going, l)) != VG_EXIT_OK)
		goto out;
	vg_info(&ctx->log, "watch: %zu log sources, %zu syslog listeners, %zu rules, %zu web roots, "
	    "store %s", w.ls.n_decoders, w.cfg->monitor.syslog.n, pipeline_rule_count(w.pipeline),
	    w.webroot ? webroot_count(w.webroot) : 0, w.cfg->store.path);
	w.hb = (struct heartbeat){ .store = w.store, .cfg = w.cfg, .ls = &w.ls, .lg = &ctx->log };
	if (heartbeat_start(&w.hb, l) != VG_OK)
		goto out;
	struct ready_note rn = { ready_file, &ctx->log };
	spine_on_ready(w.spine, watch_on_ready, &rn);
	if (spine_on_reload(w.spine, watch_on_reload, &w) != VG_OK)
		goto out;
	ret = spine_run(w.spine) == VG_OK ? VG_EXIT_OK : VG_EXIT_RUNTIME;
	vg_sd_notify("STOPPING=1");
out:
	watch_close(&w);
	loop_free(l);
	free(rules_path);
	vg_config_free(w.cfg);
	return ret;
}

const struct cmd_ops cmd_watch = {
	.name = "watch",
	.summary = "7x24 daemon: logs and web roots live; alert, restore, quarantine",
	.help =
	    "usage: vigil watch --config FILE [--json] [--rules PATH] [--keep-going]\n"
	    "                   [--ready-file FILE]\n"
	    "\n"
	    "Follows every monitor.sources file (globs, rotation, copytruncate, files that\n"
	    "appear later) and every monitor.syslog listener, runs each line through the\n"
	    "decoders, the detection rules and correlation, and reports alerts: a NEW line\n"
	    "when an alert opens (first hit of a rule from a source) and a CLOSED line with\n"
	    "the final count when its 5-minute window ends. With --json, the same as ECS\n"
	    "JSON lines on stdout (vigil.state open|closed). Alerts, their evidence lines\n"
	    "and the read position of every file are committed to the store together, so\n"
	    "after a restart, or a kill, watching resumes exactly where it stopped: no line\n"
	    "lost, none counted twice. monitor.ioc_files are loaded at start (ioc.ip,\n"
	    "ioc.domain); a line longer than monitor.max_line is matched on its kept part\n"
	    "and raises log.line_too_long. SIGHUP (systemctl reload vigil-watch) loads the\n"
	    "rules and the IOC lists again and swaps them in between two rounds, keeping\n"
	    "positions, open alerts and web-root watches; if either fails to load, the ones\n"
	    "in use stay and the error is logged. Other configuration changes need a restart.\n"
	    "\n"
	    "Every configured web root is watched too (inotify, recursive): a change is\n"
	    "compared with the baseline (`vigil backup create`), reported with what was\n"
	    "injected, and handled by the root's policy (alert, restore: put the page back\n"
	    "and move added files aside, quarantine). Each new or changed file is scanned for\n"
	    "webshells first; a malicious one goes to protect.quarantine_dir (WEBSHELL line,\n"
	    "critical alert), a suspicious one is reported. Changes to one path are one\n"
	    "alert while they keep coming (count, first/last seen, a summary line when it\n"
	    "closes after 60 s of quiet); every restore has its own audit row. After lost\n"
	    "events (queue overflow) the served pages are checked first; files over 16 MiB\n"
	    "are hashed on a worker thread, never holding up a restore. During a publishing\n"
	    "window (`vigil publish`) changes are recorded, and a suspicious or malicious\n"
	    "file is reported but left in place: `publish commit` refuses it unless accepted.\n"
	    "A baseline file with several hard links is watched on its own, so a write\n"
	    "through a link in an excluded directory or outside the root is seen.\n"
	    "A request in a followed access log for a script watch saw created in a web\n"
	    "root since the baseline (or quarantined) is a webshell.accessed alert linking\n"
	    "the file event and the log line (webroots[].url_prefix and access_logs map\n"
	    "a root to its URLs and logs).\n"
	    "\n"
	    "Every sitewatch.sites entry is checked from outside every sitewatch.interval\n"
	    "on a thread of its own (see `vigil assets --help`, watch): new findings are\n"
	    "alerts like the others; the thread ends with the daemon.\n"
	    "\n"
	    "With block.enabled, the source address of an alert matching block.triggers is\n"
	    "blocked at once (see `vigil block --help`); active blocks are re-applied at start.\n"
	    "\n"
	    "Alerts are filed into incidents (cases.*), SLA clocks run and escalate, and\n"
	    "notifications go out through notify.channels on a sender thread, all from this\n"
	    "process (see `vigil incident --help`, `vigil notify --help`).\n"
	    "\n"
	    "  --rules PATH    rule file or directory (default as for scan-log)\n"
	    "  --keep-going    skip broken rules (reported) instead of refusing to start\n"
	    "  --ready-file F  create F once every source and web root is watched and each\n"
	    "                  web root had its first full check (ready = protected)\n"
	    "                  (for scripts that start watch and then act)\n"
	    "\n"
	    "With console.enabled the web console (see `vigil serve`) runs inside the daemon,\n"
	    "on the same event loop and store.\n"
	    "\n"
	    "One watch per store: a second one on the same store is refused (the lock is\n"
	    "STORE.lock beside it, released when the daemon ends, even by SIGKILL).\n"
	    "Stops on SIGINT/SIGTERM after closing open alerts and saving positions.\n"
	    "Under systemd (Type=notify, vigil-watch.service) it reports READY=1 when ready\n"
	    "as --ready-file means it, RELOADING=1 around a reload, STOPPING=1 at the end.\n"
	    "exit: 0 stopped by a signal, 2 usage/config/rule error, 3 runtime error.\n",
	.run = run,
};
