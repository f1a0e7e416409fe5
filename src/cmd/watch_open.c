/* `vigil watch` opening and closing: the store (one watch per store), the pipeline,
 * the sources, the web roots, the duty workflow, the website watch and the console,
 * in that order. */
#include "cmd/watch.h"
#include "core/err.h"
#include "monitor/sink_cases.h"
#include "monitor/tail.h"
#include "monitor/webwatch.h"
#include "monitor/wsaccess.h"
#include "respond/block.h"
#include "web/web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Everything up to the first round; prints what went wrong. VG_EXIT_*. */
int
watch_open(struct watch *w, const char *rules_path, bool keep_going, struct loop *l)
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
	if ((r = watch_lock_store(w)) != VG_EXIT_OK)
		return r;
	alerts_init(&w->alerts, &(struct alerts_opts){ .store = w->store, .live = true,
	    .json_out = ctx->json ? stdout : NULL, .text_out = ctx->json ? NULL : stdout });
	if ((r = watch_open_blocker(w, l)) != VG_EXIT_OK)
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
	if (w->webroot && (r = watch_open_wsaccess(w)) != VG_EXIT_OK)
		return r;
	watch_check_writable(w);
	if ((r = casework_open(l, w->store, w->cfg, &ctx->log, false, &w->casework)) != VG_OK ||
	    (r = alerts_add_sink(&w->alerts, &sink_cases, w->casework)) != VG_OK) {
		cmd_eprintf("vigil watch: cannot start the duty workflow: %s\n", vg_strerror(r));
		return VG_EXIT_RUNTIME;
	}
	if (spine_new(l, &c, &ctx->log, "watch: ", &w->spine) != VG_OK ||
	    log_sources_add(&w->ls, w->spine) != VG_OK ||
	    (w->webroot && spine_add(w->spine, &source_webroot, w->webroot) != VG_OK))
		return VG_EXIT_RUNTIME;
	if ((r = watch_open_sitewatch(w)) != VG_EXIT_OK)
		return r;
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

/* Everything watch_open opened, in the order that lets the web-root alert windows
 * still reach every sink; the loop is the caller's. */
void
watch_close(struct watch *w)
{
	if (w->pipeline)
		live_log_stats(&(struct live){ .pipeline = w->pipeline, .lg = &w->ctx->log });
	/* first: closing the web-root alert windows and raising the website watch's
	 * last findings still reach every sink */
	watch_close_sitewatch(w);
	webroot_free(w->webroot);
	web_close(w->web);
	spine_free(w->spine);
	casework_close(w->casework);
	if (w->wsaccess) {
		struct wsaccess_stats ws;
		wsaccess_get_stats(w->wsaccess, &ws);
		vg_info(&w->ctx->log, "watch: webshell.accessed: %llu new scripts remembered, %llu "
		    "forgotten (cap %d), %llu requests for them", (unsigned long long)ws.files,
		    (unsigned long long)ws.forgotten, WSACCESS_MAX_FILES,
		    (unsigned long long)ws.matches);
	}
	wsaccess_free(w->wsaccess);
	block_close(w->blocker);
	pipeline_free(w->pipeline);
	ioc_set_free(w->ioc);
	log_sources_close(&w->ls);
	store_close(w->store);
	if (w->lock_fd >= 0)
		close(w->lock_fd);
}
