/* The website watch (inventory/sitewatch) as a source of `vigil watch`: the checks
 * run on the runner's thread (a slow site never holds the loop); its eventfd is a
 * source on the spine, so the findings are raised on the loop thread, inside the
 * round, through the one alert builder (cmd_sitewatch_alert -> alert_emit) and reach
 * the store, the incidents and the notifications as every other alert does. */
#include "cmd/assets.h"
#include "cmd/watch.h"
#include "core/err.h"
#include "monitor/rules.h"

#include <stdio.h>

static int
site_fd(const void *state)
{
	const struct watch *w = state;

	return sitewatch_runner_fd(w->sitewatch);
}

static int
site_read(void *state, bool ready, bool poll, source_line_fn fn, void *arg)
{
	struct watch *w = state;
	size_t dropped;
	(void)fn;
	(void)arg;
	if (ready || poll)
		sitewatch_runner_drain(w->sitewatch, cmd_sitewatch_alert, &w->alerts);
	dropped = sitewatch_runner_dropped(w->sitewatch);
	if (poll && dropped != w->sitewatch_dropped) {
		vg_warn(&w->ctx->log, "watch: website watch: %zu findings dropped (queue full)",
		    dropped - w->sitewatch_dropped);
		w->sitewatch_dropped = dropped;
	}
	return VG_OK;
}

static const struct source_ops source_sitewatch = {
	.name = "website watch",
	.fd = site_fd,
	.read = site_read,
};

int
watch_open_sitewatch(struct watch *w)
{
	char dir[4096], err[512];
	int r;

	if (w->cfg->sitewatch.sites.n == 0)
		return VG_EXIT_OK;
	/* the keyword list is the shipped one, as for `vigil assets watch` */
	r = sitewatch_runner_start(w->cfg,
	    ruleset_default_path(NULL, dir, sizeof(dir)) == VG_OK ? dir : NULL, &w->ctx->log,
	    &w->sitewatch, err, sizeof(err));
	if (r != VG_OK) {
		cmd_eprintf("vigil watch: website watch: %s\n", r == VG_ERR_IO ? err :
		    vg_strerror(r));
		return r == VG_ERR_IO ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	if (spine_add(w->spine, &source_sitewatch, w) != VG_OK)
		return VG_EXIT_RUNTIME;
	vg_info(&w->ctx->log, "watch: website watch: %zu sites every %llds",
	    w->cfg->sitewatch.sites.n, (long long)w->cfg->sitewatch.interval);
	return VG_EXIT_OK;
}

/* A check that ended while the daemon was stopping is raised still: the next start
 * would compare with that check and not report its findings as new. */
void
watch_close_sitewatch(struct watch *w)
{
	if (!w->sitewatch)
		return;
	sitewatch_runner_halt(w->sitewatch);
	sitewatch_runner_drain(w->sitewatch, cmd_sitewatch_alert, &w->alerts);
	sitewatch_runner_stop(w->sitewatch);
	w->sitewatch = NULL;
}
