/* `vigil watch`: the 7x24 daemon: the spine (monitor/spine.h) over the configured
 * log files, syslog listeners and web roots, with live detection (monitor/live.h)
 * as consumer: alerts and file positions commit together, once per round. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "core/lockfile.h"
#include "core/sdnotify.h"
#include "monitor/detect.h"
#include "monitor/heartbeat.h"
#include "monitor/live.h"
#include "monitor/rules.h"
#include "monitor/sink_cases.h"
#include "monitor/sources.h"
#include "monitor/tail.h"
#include "monitor/webwatch.h"
#include "monitor/wsaccess.h"
#include "respond/block.h"
#include "web/web.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const struct cmd_ops cmd_watch;

struct watch {
	struct vg_ctx *ctx;
	struct vg_config *cfg;
	struct vg_store *store;
	struct pipeline *pipeline;
	struct ioc_set *ioc;		/* monitor.ioc_files; NULL when none */
	const char *rules_path;		/* what a reload loads again */
	struct alerts alerts;
	struct log_sources ls;
	struct webroot *webroot;	/* NULL when no web roots are configured */
	struct wsaccess *wsaccess;	/* scripts created in the web roots; with webroot */
	struct spine *spine;
	struct live live;
	struct blocker *blocker;	/* block.enabled; NULL otherwise */
	struct web *web;	/* the console, when console.enabled */
	struct casework *casework;	/* incidents, SLA clocks, notifications */
	int lock_fd;			/* held while running: one watch per store */
	struct heartbeat hb;		/* what `vigil status` reads */
};

/* Two daemons on one store would count every line twice: the second is refused. */
static int
lock_store(struct watch *w)
{
	char path[4096];
	long holder;
	int r;

	if (vg_lockfile_path(w->cfg->store.path, path, sizeof(path)) != VG_OK) {
		fprintf(stderr, "vigil watch: store path too long\n");
		return VG_EXIT_USAGE;
	}
	r = vg_lockfile_take(path, &w->lock_fd, &holder);
	if (r == VG_ERR_BUSY) {
		if (holder)
			cmd_eprintf("vigil watch: another watch (pid %ld) is already running on "
			    "store %s; stop it first\n", holder, w->cfg->store.path);
		else
			cmd_eprintf("vigil watch: another watch is already running on store "
			    "%s; stop it first\n", w->cfg->store.path);
		return VG_EXIT_RUNTIME;
	}
	if (r != VG_OK) {
		cmd_eprintf("vigil watch: cannot lock %s: %s\n", path, strerror(errno));
		return VG_EXIT_RUNTIME;
	}
	return VG_EXIT_OK;
}

/* Blocking is a sink of the alert path: the source of a rule alert that matches
 * block.triggers is blocked when the alert opens or grows (after: N). It runs after
 * the store sink, so the block links the stored alert. A failed block is logged and
 * counted by the blocker; it never rolls the round back. */
static int
block_emit(void *state, const struct alert_msg *m)
{
	struct watch *w = state;
	int r;

	if (m->in->kind != ALERT_RULE ||
	    (m->in->state != ALERT_OPENED && m->in->state != ALERT_UPDATED))
		return VG_OK;
	if ((r = block_on_alert(w->blocker, m->a)) != VG_OK)
		vg_warn(&w->ctx->log, "watch: block %s (%s): %s", m->a->source_ip, m->a->rule_id,
		    vg_strerror(r));
	return VG_OK;
}

static const struct sink_ops sink_block = { .name = "block", .emit = block_emit };

/* Expiry bookkeeping once a second (the kernel expires nftables elements itself). */
static int64_t
block_timer(struct loop *l, long long id, void *arg)
{
	struct watch *w = arg;
	int r;
	(void)l;
	(void)id;
	if ((r = block_tick(w->blocker, vg_now_us())) != VG_OK)
		vg_warn(&w->ctx->log, "watch: block expiry: %s", vg_strerror(r));
	return 1000;
}

/* Opens the blocker, re-applies active blocks (a restart keeps them) and plugs it
 * into the alert path and the loop. VG_EXIT_*. */
static int
open_blocker(struct watch *w, struct loop *l)
{
	char err[512];
	int r;

	if (!w->cfg->block.enabled)
		return VG_EXIT_OK;
	if ((r = block_open(w->cfg, w->store, &w->ctx->log, &w->blocker, err, sizeof(err))) != VG_OK) {
		cmd_eprintf("vigil watch: blocking: %s\n", err);
		return r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	if ((r = block_restore(w->blocker)) != VG_OK)
		vg_warn(&w->ctx->log, "watch: cannot re-apply active blocks: %s", vg_strerror(r));
	if (alerts_add_sink(&w->alerts, &sink_block, w) != VG_OK ||
	    loop_add_timer(l, 1000, block_timer, w, NULL) != VG_OK)
		return VG_EXIT_RUNTIME;
	return VG_EXIT_OK;
}

/* webshell.accessed: the scripts the web-root watcher reports are remembered (and
 * those of the stored alerts, across a restart); the pipeline looks requests up. */
static int
open_wsaccess(struct watch *w)
{
	size_t n = 0;
	int r;

	if (wsaccess_new(webroot_protect(w->webroot), 0, &w->ctx->log, &w->wsaccess) != VG_OK ||
	    alerts_add_sink(&w->alerts, &sink_wsaccess, w->wsaccess) != VG_OK)
		return VG_EXIT_RUNTIME;
	if ((r = wsaccess_restore(w->wsaccess, w->store, &n)) != VG_OK)
		vg_warn(&w->ctx->log, "watch: cannot read stored file alerts: %s", vg_strerror(r));
	else if (n)
		vg_info(&w->ctx->log, "watch: %zu scripts created since the baseline remembered "
		    "from the store (webshell.accessed)", n);
	if (pipeline_add_detector(w->pipeline, &detector_wsaccess, w->wsaccess) != VG_OK)
		return VG_EXIT_RUNTIME;
	return VG_EXIT_OK;
}

/* A web root the daemon may not write (systemd's ProtectSystem=strict without a
 * ReadWritePaths= for it) cannot be restored: say so at start, not at the first
 * defacement. Watching and alerting still work, so it is not fatal. */
static void
check_writable(struct watch *w)
{
	const struct vg_webroot_cfg *wr = w->cfg->webroots.items;

	for (size_t i = 0; i < w->cfg->webroots.n; i++) {
		if (wr[i].policy && strcmp(wr[i].policy, "alert") == 0)
			continue;
		if (access(wr[i].path, W_OK) != 0 && errno == EROFS)
			vg_error(&w->ctx->log, "watch: web root %s (%s) is read-only to this "
			    "process: restores and quarantine will fail; under systemd add "
			    "ReadWritePaths=%s in a drop-in (see vigil-watch(1))",
			    wr[i].name ? wr[i].name : wr[i].path, wr[i].path, wr[i].path);
	}
}

/* Everything up to the first round; prints what went wrong. VG_EXIT_*. */
static int
open_all(struct watch *w, const char *rules_path, bool keep_going, struct loop *l)
{
	struct spine_consumer c = { live_line, live_begin, live_end, &w->live };
	struct vg_ctx *ctx = w->ctx;
	char err[512], *errors = NULL;
	int r;

	if (store_open(w->cfg->store.backend, w->cfg->store.path, &ctx->log, &w->store, err,
		sizeof(err)) != VG_OK) {
		cmd_eprintf("vigil watch: %s\n", err);
		return VG_EXIT_RUNTIME;
	}
	/* after the open, which creates the store (and its directory) */
	if ((r = lock_store(w)) != VG_EXIT_OK)
		return r;
	alerts_init(&w->alerts, &(struct alerts_opts){ .store = w->store, .live = true,
	    .json_out = ctx->json ? stdout : NULL, .text_out = ctx->json ? NULL : stdout });
	if ((r = open_blocker(w, l)) != VG_EXIT_OK)
		return r;
	if ((r = cmd_load_ioc(ctx, w->cfg, "watch", &w->ioc)) != VG_EXIT_OK)
		return r;
	char cache[4096];
	struct pipeline_opts po = { .rules_path = rules_path, .alerts = &w->alerts, .live = true,
		.rules_cache = cmd_rules_cache(w->cfg, cache, sizeof(cache)), .ioc = w->ioc,
		.rule_flags = keep_going ? RULESET_KEEP_GOING : 0, .log = &ctx->log };
	r = pipeline_new(&po, &w->pipeline, &errors);
	if (errors)
		fputs(errors, stderr);
	free(errors);
	if (r != VG_OK) {
		cmd_eprintf("vigil watch: cannot load rules from %s: %s\n", rules_path,
		    vg_strerror(r));
		return VG_EXIT_USAGE;
	}
	if ((r = log_sources_open(w->cfg, &ctx->log, &w->ls, err, sizeof(err))) != VG_OK) {
		if (r == VG_ERR_CONFIG)
			cmd_eprintf("vigil watch: %s\n", err);
		return r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	if (w->ls.tailer && tail_restore(w->ls.tailer, w->store) != VG_OK) {
		cmd_eprintf("vigil watch: %s: cannot read positions: %s\n", w->cfg->store.path,
		    store_errmsg(w->store));
		return VG_EXIT_RUNTIME;
	}
	if (w->cfg->webroots.n && (r = webroot_open_config(w->cfg, &ctx->log, &w->alerts,
	    &w->webroot, err, sizeof(err))) != VG_OK) {
		cmd_eprintf("vigil watch: %s\n", err);
		return r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	if (w->webroot && (r = open_wsaccess(w)) != VG_EXIT_OK)
		return r;
	check_writable(w);
	if ((r = casework_open(l, w->store, w->cfg, &ctx->log, false, &w->casework)) != VG_OK ||
	    (r = alerts_add_sink(&w->alerts, &sink_cases, w->casework)) != VG_OK) {
		cmd_eprintf("vigil watch: cannot start the duty workflow: %s\n", vg_strerror(r));
		return VG_EXIT_RUNTIME;
	}
	if (spine_new(l, &c, &ctx->log, "watch: ", &w->spine) != VG_OK ||
	    log_sources_add(&w->ls, w->spine) != VG_OK ||
	    (w->webroot && spine_add(w->spine, &source_webroot, w->webroot) != VG_OK))
		return VG_EXIT_RUNTIME;
	w->live = (struct live){ .pipeline = w->pipeline, .store = w->store, .spine = w->spine,
	    .lg = &ctx->log };
	if (w->cfg->console.enabled) {
		if ((r = web_open(w->cfg, w->store, &ctx->log, &w->web, err, sizeof(err))) != VG_OK) {
			cmd_eprintf("vigil watch: %s\n", err[0] ? err : vg_strerror(r));
			return r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
		}
		if (web_attach(w->web, l) != VG_OK)
			return VG_EXIT_RUNTIME;
		vg_info(&ctx->log, "watch: console on %s://%s:%u/", web_scheme(w->web),
		    w->cfg->console.listen, web_port(w->web));
	}
	return VG_EXIT_OK;
}

struct ready_note {
	const char *path;	/* --ready-file, or NULL */
	const struct vg_logger *lg;
};

/* Ready means protected: every source is followed and every web root had its first
 * full check. systemd learns it through sd_notify (Type=notify), scripts from the file. */
static void
on_ready(void *arg)
{
	const struct ready_note *rn = arg;
	int fd;

	if (vg_sd_notify("READY=1") != VG_OK)
		vg_warn(rn->lg, "watch: cannot notify the service manager: %s", strerror(errno));
	if (!rn->path)
		return;
	fd = open(rn->path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || close(fd) != 0)
		vg_warn(rn->lg, "watch: cannot create %s: %s", rn->path, strerror(errno));
}

/* SIGHUP (systemctl reload): the rules and IOC lists are loaded again and swapped in
 * between two rounds; file positions, open alerts and web-root watches stay. If
 * either fails to load, the ones in use stay and the error is logged. */
static void
on_reload(void *arg)
{
	struct watch *w = arg;
	const struct vg_logger *lg = &w->ctx->log;
	struct ioc_set *ioc = NULL;
	char *errors = NULL;
	int r;

	vg_sd_notify_reloading();
	vg_info(lg, "watch: reloading rules from %s and the IOC lists", w->rules_path);
	if (cmd_load_ioc(w->ctx, w->cfg, "watch", &ioc) != VG_EXIT_OK) {
		vg_error(lg, "watch: reload failed: an IOC list is unusable; the rules and "
		    "lists in use stay");
		goto out;
	}
	r = pipeline_reload(w->pipeline, ioc, &errors);
	if (errors)
		fputs(errors, stderr);	/* escaped by the loader */
	free(errors);
	if (r != VG_OK) {
		ioc_set_free(ioc);
		vg_error(lg, "watch: reload failed: %s: %s; the rules and lists in use stay",
		    w->rules_path, r == VG_ERR_LIMIT ? "too many reloads in one run, restart "
		    "watch" : vg_strerror(r));
		goto out;
	}
	ioc_set_free(w->ioc);
	w->ioc = ioc;
	vg_info(lg, "watch: reloaded: %zu rules", pipeline_rule_count(w->pipeline));
out:
	vg_sd_notify("READY=1");
}

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
	/* Threads started while opening (webhook adapter, notifier) must not take the
	 * loop's signals: SIGHUP's default action would end the daemon. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	if ((ret = cmd_load_config(ctx, &w.cfg)) != VG_EXIT_OK)
		return ret;
	ret = VG_EXIT_USAGE;
	if (w.cfg->monitor.sources.n == 0 && w.cfg->monitor.syslog.n == 0 && w.cfg->webroots.n == 0) {
		fprintf(stderr, "vigil watch: nothing to watch: configure monitor.sources, "
				"monitor.syslog or webroots\n");
		goto out;
	}
	if (cmd_rules_path(ctx, w.cfg, rules_opt, &rules_path) != VG_OK)
		goto out;
	ret = VG_EXIT_RUNTIME;
	w.rules_path = rules_path;
	if (loop_new(&l) != VG_OK || (ret = open_all(&w, rules_path, keep_going, l)) != VG_EXIT_OK)
		goto out;
	vg_info(&ctx->log, "watch: %zu log sources, %zu syslog listeners, %zu rules, %zu web roots, "
	    "store %s", w.ls.n_decoders, w.cfg->monitor.syslog.n, pipeline_rule_count(w.pipeline),
	    w.webroot ? webroot_count(w.webroot) : 0, w.cfg->store.path);
	w.hb = (struct heartbeat){ .store = w.store, .cfg = w.cfg, .ls = &w.ls, .lg = &ctx->log };
	if (heartbeat_start(&w.hb, l) != VG_OK)
		goto out;
	struct ready_note rn = { ready_file, &ctx->log };
	spine_on_ready(w.spine, on_ready, &rn);
	if (spine_on_reload(w.spine, on_reload, &w) != VG_OK)
		goto out;
	ret = spine_run(w.spine) == VG_OK ? VG_EXIT_OK : VG_EXIT_RUNTIME;
	vg_sd_notify("STOPPING=1");
out:
	if (w.pipeline)
		live_log_stats(&(struct live){ .pipeline = w.pipeline, .lg = &ctx->log });
	/* first: closing the web-root alert windows still reaches every sink */
	webroot_free(w.webroot);
	web_close(w.web);
	spine_free(w.spine);
	casework_close(w.casework);
	loop_free(l);
	if (w.wsaccess) {
		struct wsaccess_stats ws;
		wsaccess_get_stats(w.wsaccess, &ws);
		vg_info(&ctx->log, "watch: webshell.accessed: %llu new scripts remembered, %llu "
		    "forgotten (cap %d), %llu requests for them", (unsigned long long)ws.files,
		    (unsigned long long)ws.forgotten, WSACCESS_MAX_FILES,
		    (unsigned long long)ws.matches);
	}
	wsaccess_free(w.wsaccess);
	block_close(w.blocker);
	pipeline_free(w.pipeline);
	ioc_set_free(w.ioc);
	log_sources_close(&w.ls);
	store_close(w.store);
	if (w.lock_fd >= 0)
		close(w.lock_fd);
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
