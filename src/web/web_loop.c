/* The console as sources of the daemon's one event loop (core/loop.h): the MHD
 * epoll fd is a file event, and a one-second timer drives web_tick (live feed,
 * session expiry, MHD's own time-outs). Nothing here blocks. */
#include "web/web_int.h"
#include "core/err.h"
#include "core/loop.h"

static void
on_readable(struct loop *l, int fd, void *arg)
{
	struct web *w = arg;
	int t;
	(void)fd;
	if (web_run(w) != VG_OK)
		vg_warn(w->log, "console: request processing failed");
	/* MHD may want to be called back sooner than the next tick. */
	if ((t = web_timeout_ms(w)) >= 0 && t < 1000)
		loop_wake_within(l, t);
}

static int64_t
on_tick(struct loop *l, long long id, void *arg)
{
	(void)l;
	(void)id;
	web_tick(arg);
	return 1000;
}

int
web_attach(struct web *w, struct loop *l)
{
	int r = loop_add_fd(l, web_fd(w), on_readable, w);
	if (r != VG_OK)
		return r;
	if ((r = loop_add_timer(l, 1000, on_tick, w, &w->tick_id)) != VG_OK) {
		loop_del_fd(l, web_fd(w));
		return r;
	}
	w->loop = l;
	return VG_OK;
}

void
web_detach(struct web *w)
{
	if (!w || !w->loop)
		return;
	loop_del_timer(w->loop, w->tick_id);
	loop_del_fd(w->loop, web_fd(w));
	w->loop = NULL;
}
