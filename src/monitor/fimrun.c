/* `vigil fim watch` (fimrun.h): the store and the alert sinks, then the web-root
 * source on a spine of its own, stopped by a signal or a one-shot loop timer. */
#include "monitor/fimrun.h"
#include "core/err.h"
#include "core/loop.h"
#include "core/store.h"
#include "monitor/alert.h"
#include "monitor/spine.h"
#include "monitor/webwatch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>

static int64_t
stop_after(struct loop *l, long long id, void *arg)
{
	(void)id;
	(void)arg;
	loop_stop(l);
	return LOOP_TIMER_DONE;
}

int
fim_watch_run(const struct fim_watch_opts *o, struct fimwatch_stats *final)
{
	const struct vg_config *cfg = o->cfg;
	struct vg_store *st = NULL;
	struct alerts al;
	struct webroot *wr = NULL;
	struct loop *l = NULL;
	struct spine *sp = NULL;
	char err[512];
	int r, saved;

	if (o->store && store_open(cfg->store.backend, cfg->store.path, o->log, &st, err,
	    sizeof(err)) != VG_OK)
		vg_warn(o->log, "store: %s; alerts go to stdout only", err);
	alerts_init(&al, &(struct alerts_opts){ .store = st, .json_out = o->json ? stdout : NULL,
	    .text_out = o->json ? NULL : stdout, .with_diff = o->with_diff });
	struct webroot_opts wo = {
		.p = o->p,
		.debounce_ms = o->debounce_ms >= 0 ? o->debounce_ms : (int)cfg->protect.debounce_ms,
		.scan_interval_s = o->scan_interval_s ? o->scan_interval_s
						      : (int)cfg->protect.scan_interval,
		.max_watches = o->max_watches,
		.alerts = &al,
		.log = o->log,
	};
	signal(SIGPIPE, SIG_IGN);	/* a closed stdout must not kill the watcher */
	struct spine_consumer c = { 0 };
	if ((r = loop_new(&l)) != VG_OK || (r = spine_new(l, &c, o->log, "fim watch: ", &sp)) ||
	    (r = webroot_new(&wo, &wr)) != VG_OK || (r = spine_add(sp, &source_webroot, wr)) ||
	    (o->duration_s && (r = loop_add_timer(l, o->duration_s * 1000, stop_after, NULL,
	    NULL))))
		goto out;
	webroot_get_stats(wr, final);
	if (o->started)
		o->started(o->arg, final);
	if ((r = spine_run(sp)) == VG_OK)
		webroot_get_stats(wr, final);
out:
	saved = errno;	/* the caller says why */
	webroot_free(wr);
	spine_free(sp);
	loop_free(l);
	store_close(st);
	errno = saved;
	return r;
}
