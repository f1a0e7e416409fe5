/* `vigil watch`: the 7×24 daemon. One epoll loop over the configured log files
 * (tailer), syslog listeners and signals; every batch of lines runs through the
 * detection pipeline and is committed to the store in one transaction together
 * with the file positions it consumed, so a crash loses nothing and repeats nothing. */
#include "cmd/cmd.h"
#include "cmd/guard.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "monitor/decode.h"
#include "monitor/pipeline.h"
#include "monitor/rules.h"
#include "monitor/syslog_recv.h"
#include "monitor/tail.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

extern const struct cmd_ops cmd_watch;

struct watch_source {
	const char *label;	/* what the tailer reports as line->source */
	struct decoder *decoder;
};

struct watch {
	struct vg_ctx *ctx;
	struct vg_config *cfg;
	struct vg_store *store;
	struct pipeline *pipeline;
	struct tailer *tailer;
	struct syslog_recv *syslog;
	struct decoder *syslog_decoder;
	struct guard *guard;		/* web roots; NULL when none are configured */
	struct watch_source *sources;
	size_t n_sources;
	int failed;		/* first pipeline/store error of the current batch */
};

static struct decoder *
decoder_for(struct watch *w, const char *label)
{
	for (size_t i = 0; i < w->n_sources; i++)
		if (strcmp(w->sources[i].label, label) == 0)
			return w->sources[i].decoder;
	return w->syslog_decoder;
}

static int
on_line(const struct source_line *line, void *arg)
{
	struct watch *w = arg;
	int r = pipeline_line(w->pipeline, decoder_for(w, line->source), line->source, line->data,
	    line->len, line->truncated, vg_now_us());
	if (r != VG_OK && !w->failed)
		w->failed = r;
	/* A store failure stops the batch so the lines are read again after rollback. */
	return r != VG_OK ? 1 : 0;
}

/* Commits the batch: alerts and positions land together or not at all. */
static int
commit_batch(struct watch *w)
{
	int r = w->failed;

	if (r == VG_OK && w->tailer)
		r = tail_checkpoint(w->tailer, w->store);
	if (r == VG_OK)
		r = store_commit(w->store);
	if (r != VG_OK) {
		vg_warn(&w->ctx->log, "watch: batch not saved (%s); lines will be read again",
		    w->failed ? vg_strerror(w->failed) : store_errmsg(w->store));
		store_rollback(w->store);
		if (w->tailer)
			tail_rewind(w->tailer);
		w->failed = 0;
		return r;
	}
	if (w->tailer)
		tail_committed(w->tailer);
	fflush(stdout);
	return VG_OK;
}

static int
setup_sources(struct watch *w)
{
	struct vg_config *cfg = w->cfg;
	char err[512];
	int r;

	w->sources = calloc(cfg->monitor.sources.n ? cfg->monitor.sources.n : 1, sizeof(*w->sources));
	if (!w->sources)
		return VG_ERR_NOMEM;
	if (cfg->monitor.sources.n &&
	    (r = tail_new(&w->ctx->log, (size_t)cfg->monitor.max_line, &w->tailer)) != VG_OK)
		return r;
	for (size_t i = 0; i < cfg->monitor.sources.n; i++) {
		const struct vg_source_cfg *s = vg_config_source(cfg, i);
		struct watch_source *ws = &w->sources[w->n_sources];
		ws->label = s->name ? s->name : s->path;
		if (decoder_new(s->format, s->log_format, &ws->decoder, err, sizeof(err)) != VG_OK) {
			fprintf(stderr, "vigil watch: monitor.sources[%zu]: %s\n", i, err);
			return VG_ERR_CONFIG;
		}
		w->n_sources++;
		if ((r = tail_add(w->tailer, ws->label, s->path)) != VG_OK) {
			fprintf(stderr, "vigil watch: monitor.sources[%zu].path: %s: %s\n", i, s->path,
			    vg_strerror(r));
			return VG_ERR_CONFIG;
		}
	}
	if (cfg->monitor.syslog.n) {
		if ((r = syslog_recv_new(&w->ctx->log, (size_t)cfg->monitor.max_line, 0, &w->syslog)))
			return r;
		for (size_t i = 0; i < cfg->monitor.syslog.n; i++) {
			if (syslog_recv_listen(w->syslog, cfg->monitor.syslog.items[i], err,
				sizeof(err)) != VG_OK) {
				fprintf(stderr, "vigil watch: monitor.syslog[%zu]: %s\n", i, err);
				return VG_ERR_CONFIG;
			}
			vg_info(&w->ctx->log, "watch: syslog %s on port %u",
			    cfg->monitor.syslog.items[i], syslog_recv_port(w->syslog, i));
		}
	}
	if (decoder_new("syslog", NULL, &w->syslog_decoder, err, sizeof(err)) != VG_OK)
		return VG_ERR_NOMEM;
	return VG_OK;
}

static void
log_stats(struct watch *w)
{
	struct pipeline_stats ps;
	pipeline_get_stats(w->pipeline, &ps);
	vg_info(&w->ctx->log,
	    "watch: %llu lines, %llu undecodable, %llu truncated, %llu matched, %llu alerts, "
	    "%llu store errors, %llu sources evicted",
	    (unsigned long long)ps.lines, (unsigned long long)ps.decode_errors,
	    (unsigned long long)ps.truncated, (unsigned long long)ps.events_matched,
	    (unsigned long long)ps.alerts, (unsigned long long)ps.store_errors,
	    (unsigned long long)ps.correlate.evicted_sources);
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct watch w = { .ctx = ctx };
	const char *rules_opt = NULL, *ready_file = NULL;
	char err[512], *errors = NULL, *rules_path = NULL;
	bool keep_going = false;
	int ep = -1, sfd = -1, ret, r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			rules_opt = argv[++i];
		else if (strcmp(argv[i], "--ready-file") == 0 && i + 1 < argc)
			ready_file = argv[++i];
		else if (strcmp(argv[i], "--keep-going") == 0)
			keep_going = true;
		else
			return cmd_usage_error(&cmd_watch, "unknown or incomplete option '%s'", argv[i]);
	}
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
	if ((r = store_open(w.cfg->store.backend, w.cfg->store.path, &ctx->log, &w.store, err,
		 sizeof(err))) != VG_OK) {
		fprintf(stderr, "vigil watch: %s\n", err);
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	char cache[4096];
	struct pipeline_opts po = {
		.rules_path = rules_path,
		.rules_cache = cmd_rules_cache(w.cfg, cache, sizeof(cache)),
		.rule_flags = keep_going ? RULESET_KEEP_GOING : 0,
		.store = w.store,
		.json_out = ctx->json ? stdout : NULL,
		.text_out = ctx->json ? NULL : stdout,
		.live = true,
		.log = &ctx->log,
	};
	r = pipeline_new(&po, &w.pipeline, &errors);
	if (errors)
		fputs(errors, stderr);
	if (r != VG_OK) {
		fprintf(stderr, "vigil watch: cannot load rules from %s: %s\n", rules_path,
		    vg_strerror(r));
		goto out;
	}
	if ((r = setup_sources(&w)) != VG_OK) {
		ret = r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
		goto out;
	}
	if (w.tailer && tail_restore(w.tailer, w.store) != VG_OK) {
		fprintf(stderr, "vigil watch: %s: cannot read positions: %s\n", w.cfg->store.path,
		    store_errmsg(w.store));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}

	if (w.cfg->webroots.n && (ret = guard_open(ctx, w.cfg, w.store, &w.guard)) != VG_EXIT_OK)
		goto out;

	ret = VG_EXIT_RUNTIME;
	sfd = cmd_stop_signal_fd();
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0)
		goto out;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 0 };
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	if (w.tailer) {
		ev.data.u32 = 1;
		epoll_ctl(ep, EPOLL_CTL_ADD, tail_fd(w.tailer), &ev);
	}
	if (w.syslog) {
		ev.data.u32 = 2;
		epoll_ctl(ep, EPOLL_CTL_ADD, syslog_recv_fd(w.syslog), &ev);
	}
	if (w.guard) {
		ev.data.u32 = 3;
		epoll_ctl(ep, EPOLL_CTL_ADD, guard_fd(w.guard), &ev);
	}
	vg_info(&ctx->log, "watch: %zu log sources, %zu syslog listeners, %zu rules, %zu web roots, "
	    "store %s", w.n_sources, w.cfg->monitor.syslog.n, pipeline_rule_count(w.pipeline),
	    w.guard ? guard_roots(w.guard) : 0, w.cfg->store.path);

	if (ready_file) {
		FILE *rf = fopen(ready_file, "w");
		if (!rf || fclose(rf) != 0)
			vg_warn(&ctx->log, "watch: cannot create %s: %s", ready_file, strerror(errno));
	}
	bool stop = false, again = true;
	time_t last_poll = 0;
	while (!stop) {
		struct epoll_event evs[4];
		int timeout = again ? 0 : 250;
		if (w.guard) {
			int gt = guard_timeout_ms(w.guard);
			if (gt >= 0 && gt < timeout)
				timeout = gt;
		}
		int n = epoll_wait(ep, evs, 4, timeout);
		bool fim_ready = false;
		if (n < 0 && errno != EINTR)
			goto out;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u32 == 0)
				stop = true;
			if (evs[i].data.u32 == 3)
				fim_ready = true;
		}
		time_t now = time(NULL);
		bool do_poll = now != last_poll;
		if (store_begin(w.store) != VG_OK) {
			vg_warn(&ctx->log, "watch: store busy: %s", store_errmsg(w.store));
			again = false;
			continue;
		}
		if (w.tailer) {
			r = do_poll ? tail_poll(w.tailer, on_line, &w) : tail_process(w.tailer, on_line, &w);
			if (r < 0)
				vg_warn(&ctx->log, "watch: tail: %s", vg_strerror(r));
		}
		if (w.syslog && (r = syslog_recv_process(w.syslog, on_line, &w)) < 0)
			vg_warn(&ctx->log, "watch: syslog: %s", vg_strerror(r));
		/* Web-root changes: restore, quarantine and their alerts share the batch. */
		if (w.guard && (fim_ready ? guard_process(w.guard) : guard_tick(w.guard)) != VG_OK)
			vg_warn(&ctx->log, "watch: web-root watcher: %s", vg_strerror(VG_ERR_IO));
		if (do_poll) {
			last_poll = now;
			if ((r = pipeline_tick(w.pipeline, vg_now_us())) != VG_OK && !w.failed)
				w.failed = r;
		}
		if (stop && (r = pipeline_flush(w.pipeline)) != VG_OK && !w.failed)
			w.failed = r;
		again = w.tailer && tail_pending(w.tailer);
		if (commit_batch(&w) != VG_OK)
			again = false;	/* store trouble: retry at the next wake-up */
	}
	ret = VG_EXIT_OK;
out:
	if (w.pipeline)
		log_stats(&w);
	if (ep >= 0)
		close(ep);
	if (sfd >= 0)
		close(sfd);
	guard_free(w.guard);
	pipeline_free(w.pipeline);
	for (size_t i = 0; i < w.n_sources; i++)
		decoder_free(w.sources[i].decoder);
	free(w.sources);
	decoder_free(w.syslog_decoder);
	tail_free(w.tailer);
	syslog_recv_free(w.syslog);
	store_close(w.store);
	free(rules_path);
	free(errors);
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
	    "lost, none counted twice.\n"
	    "\n"
	    "Every configured web root is watched too (inotify, recursive): a change is\n"
	    "compared with the baseline (`vigil backup create`), reported with what was\n"
	    "injected, and handled by the root's policy (alert, restore: put the page back\n"
	    "and move added files aside, quarantine). Each new or changed file is scanned for\n"
	    "webshells first; a malicious one goes to protect.quarantine_dir (WEBSHELL line,\n"
	    "critical alert), a suspicious one is reported.\n"
	    "\n"
	    "  --rules PATH    rule file or directory (default as for scan-log)\n"
	    "  --keep-going    skip broken rules (reported) instead of refusing to start\n"
	    "  --ready-file F  create F once every source and web root is being watched\n"
	    "                  (for scripts that start watch and then act)\n"
	    "\n"
	    "Stops on SIGINT/SIGTERM after closing open alerts and saving positions.\n"
	    "exit: 0 stopped by a signal, 2 usage/config/rule error, 3 runtime error.\n",
	.run = run,
};
