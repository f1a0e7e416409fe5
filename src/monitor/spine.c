/* Runtime spine (see spine.h). A round reads every source, not only the one whose fd
 * fired: reads are bounded and cheap when idle, and one commit per round keeps the
 * store transaction count at one per wake-up whatever the number of sources. */
#include "monitor/spine.h"
#include "core/err.h"

#include <signal.h>
#include <stdlib.h>

#define HEARTBEAT_MS 250

struct spine_src {
	const struct source_ops *ops;
	void *state;
	bool ready;		/* its fd fired since the last round */
	bool detached;		/* held: its fds are off the loop (level-triggered, unread) */
};

struct spine {
	struct loop *loop;
	struct spine_consumer c;
	const struct vg_logger *lg;
	const char *prefix;
	struct spine_src src[SPINE_MAX_SOURCES];
	size_t n;
	int64_t last_poll_s;
	int64_t hold_until_ms;		/* sources with positions wait until then */
	bool held;			/* the last round skipped them */
	void (*ready)(void *arg);	/* once, after the first round committed */
	void *ready_arg;
	void (*reload)(void *arg);	/* on SIGHUP, between two rounds */
	void *reload_arg;
	bool reload_due;		/* SIGHUP came; reload after this round */
};

static void
on_fd(struct loop *l, int fd, void *arg)
{
	struct spine *sp = arg;
	(void)l;
	for (size_t i = 0; i < sp->n; i++) {
		const struct spine_src *s = &sp->src[i];
		if (s->ops->fd(s->state) == fd || (s->ops->fd2 && s->ops->fd2(s->state) == fd))
			sp->src[i].ready = true;
	}
}

static void
on_stop(struct loop *l, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	loop_stop(l);
}

static void
on_hup(struct loop *l, int signo, void *arg)
{
	struct spine *sp = arg;
	(void)l;
	(void)signo;
	sp->reload_due = true;
}

static int64_t
heartbeat(struct loop *l, long long id, void *arg)
{
	(void)l;
	(void)id;
	(void)arg;
	return HEARTBEAT_MS;
}

/* A held source is not read, so its readable fd would wake the loop at once, again and
 * again: its fds leave the loop for the hold and come back marked ready. */
static void
detach_held(struct spine *sp, bool on)
{
	for (size_t i = 0; i < sp->n; i++) {
		struct spine_src *s = &sp->src[i];
		int fds[2] = { s->ops->fd(s->state), s->ops->fd2 ? s->ops->fd2(s->state) : -1 };
		if (!s->ops->rewind || s->detached == on)
			continue;
		for (int k = 0; k < 2; k++) {
			if (fds[k] < 0)
				continue;
			if (on)
				loop_del_fd(sp->loop, fds[k]);
			else if (loop_add_fd(sp->loop, fds[k], on_fd, sp) != VG_OK)
				vg_warn(sp->lg, "%s%s: cannot watch again", sp->prefix, s->ops->name);
		}
		s->detached = on;
		s->ready = !on;	/* back on the loop: read whatever came meanwhile */
	}
}

static void
round_run(struct loop *l, void *arg)
{
	struct spine *sp = arg;
	int64_t now_ms = loop_now_ms(), now_s = now_ms / 1000;
	bool poll = now_s != sp->last_poll_s, stop = loop_stopping(l);
	bool hold = !stop && now_ms < sp->hold_until_ms;

	if (!hold)
		detach_held(sp, false);
	if (sp->c.begin && sp->c.begin(sp->c.arg) != 0)
		return;	/* e.g. store busy: retry at the next wake-up */
	if (poll)
		sp->last_poll_s = now_s;
	sp->held = hold;
	for (size_t i = 0; i < sp->n; i++) {
		struct spine_src *s = &sp->src[i];
		if (hold && s->ops->rewind)
			continue;	/* its lines come again once the hold ends */
		int r = s->ops->read(s->state, s->ready, poll, sp->c.line, sp->c.arg);
		s->ready = false;
		if (r < 0)
			vg_warn(sp->lg, "%s%s: %s", sp->prefix, s->ops->name, vg_strerror(r));
	}
	if (sp->c.end)
		sp->c.end(sp->c.arg, poll, stop);
	if (sp->ready) {
		/* the first round reconciled every web root and read every source */
		sp->ready(sp->ready_arg);
		sp->ready = NULL;
	}
	if (sp->reload_due && !stop) {
		/* the round committed: no line is half-way through the old rules */
		sp->reload_due = false;
		sp->reload(sp->reload_arg);
	}
	now_ms = loop_now_ms();
	if ((hold = !stop && now_ms < sp->hold_until_ms)) {
		detach_held(sp, true);
		loop_wake_within(l, sp->hold_until_ms - now_ms);
	}
	for (size_t i = 0; i < sp->n; i++) {
		const struct spine_src *s = &sp->src[i];
		int t;
		if (hold && s->ops->rewind)
			continue;
		if (s->ops->pending && s->ops->pending(s->state))
			loop_wake_within(l, 0);
		if (s->ops->timeout_ms && (t = s->ops->timeout_ms(s->state)) >= 0)
			loop_wake_within(l, t);
	}
}

int
spine_new(struct loop *l, const struct spine_consumer *c, const struct vg_logger *lg,
    const char *log_prefix, struct spine **out)
{
	struct spine *sp = calloc(1, sizeof(*sp));
	int r;

	*out = NULL;
	if (!sp)
		return VG_ERR_NOMEM;
	sp->loop = l;
	sp->c = *c;
	sp->lg = lg;
	sp->prefix = log_prefix ? log_prefix : "";
	sp->last_poll_s = -1;
	if ((r = loop_add_signal(l, SIGINT, on_stop, sp)) != VG_OK ||
	    (r = loop_add_signal(l, SIGTERM, on_stop, sp)) != VG_OK ||
	    (r = loop_add_timer(l, HEARTBEAT_MS, heartbeat, sp, NULL)) != VG_OK) {
		free(sp);
		return r;
	}
	loop_set_before_sleep(l, round_run, sp);
	loop_wake_within(l, 0);	/* the first round reads what is there at once */
	*out = sp;
	return VG_OK;
}

void
spine_free(struct spine *sp)
{
	free(sp);
}

int
spine_add(struct spine *sp, const struct source_ops *ops, void *state)
{
	int r;

	if (sp->n >= SPINE_MAX_SOURCES)
		return VG_ERR_LIMIT;
	if ((r = loop_add_fd(sp->loop, ops->fd(state), on_fd, sp)) != VG_OK)
		return r;
	if (ops->fd2 && ops->fd2(state) >= 0 &&
	    (r = loop_add_fd(sp->loop, ops->fd2(state), on_fd, sp)) != VG_OK) {
		loop_del_fd(sp->loop, ops->fd(state));
		return r;
	}
	sp->src[sp->n++] = (struct spine_src){ .ops = ops, .state = state };
	return VG_OK;
}

void
spine_on_ready(struct spine *sp, void (*fn)(void *arg), void *arg)
{
	sp->ready = fn;
	sp->ready_arg = arg;
}

int
spine_on_reload(struct spine *sp, void (*fn)(void *arg), void *arg)
{
	sp->reload = fn;
	sp->reload_arg = arg;
	return loop_add_signal(sp->loop, SIGHUP, on_hup, sp);
}

int
spine_run(struct spine *sp)
{
	return loop_run(sp->loop);
}

int
spine_checkpoint(struct spine *sp, struct vg_store *st)
{
	for (size_t i = 0; i < sp->n; i++) {
		int r;
		if (sp->src[i].ops->checkpoint &&
		    (r = sp->src[i].ops->checkpoint(sp->src[i].state, st)) != VG_OK)
			return r;
	}
	return VG_OK;
}

void
spine_committed(struct spine *sp)
{
	for (size_t i = 0; i < sp->n; i++)
		if (sp->src[i].ops->committed)
			sp->src[i].ops->committed(sp->src[i].state);
}

void
spine_rewind(struct spine *sp)
{
	for (size_t i = 0; i < sp->n; i++)
		if (sp->src[i].ops->rewind)
			sp->src[i].ops->rewind(sp->src[i].state);
}

void
spine_hold(struct spine *sp, int ms)
{
	sp->hold_until_ms = loop_now_ms() + ms;
}

bool
spine_held(const struct spine *sp)
{
	return sp->held;
}

void
spine_again(struct spine *sp)
{
	loop_wake_within(sp->loop, 0);
}
