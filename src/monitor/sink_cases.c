/* The cases sink and the outbox timer of the daemon (see sink_cases.h). Filing
 * happens in the timer, not in emit: emit runs inside the round's store
 * transaction, and the workflow writes in transactions of its own. */
#include "monitor/sink_cases.h"
#include "cases/cases.h"
#include "core/err.h"
#include "notify/notify.h"

#include <signal.h>
#include <stdlib.h>

#define FILE_BATCH 1000	/* alerts filed per tick; more waits for an immediate next tick */

struct casework {
	struct loop *l;
	const struct vg_config *cfg;
	const struct vg_logger *lg;
	struct cases *cs;
	struct notify *nt;
	struct notify_worker *sender;
	long long timer;
	bool dirty;	/* an alert was stored since the last tick */
	bool poll;	/* alerts come from elsewhere: look every tick */
};

static int
emit(void *state, const struct alert_msg *m)
{
	struct casework *cw = state;

	if (m->a && m->a->id)
		cw->dirty = true;
	return VG_OK;
}

const struct sink_ops sink_cases = { .name = "cases", .emit = emit };

static int64_t
tick(struct loop *l, long long id, void *arg)
{
	struct casework *cw = arg;
	size_t filed = 0, escalated = 0;
	int r;

	(void)l;
	(void)id;
	if (cw->dirty || cw->poll) {
		cw->dirty = false;
		if ((r = cases_ingest_pending(cw->cs, FILE_BATCH, &filed)) != VG_OK)
			vg_warn(cw->lg, "watch: filing alerts into incidents: %s", vg_strerror(r));
		if (filed == FILE_BATCH)
			cw->dirty = true;
	}
	if ((r = cases_sla_check(cw->cs, vg_now_us(), &escalated)) != VG_OK)
		vg_warn(cw->lg, "watch: SLA clocks: %s", vg_strerror(r));
	if (filed || escalated)
		notify_worker_kick(cw->sender);
	return cw->dirty ? 10 : cw->cfg->notify.interval * 1000;
}

int
casework_open(struct loop *l, struct vg_store *st, const struct vg_config *cfg,
    const struct vg_logger *lg, bool poll_alerts, struct casework **out)
{
	struct casework *cw = calloc(1, sizeof(*cw));
	int r;

	*out = NULL;
	if (!cw)
		return VG_ERR_NOMEM;
	cw->l = l;
	cw->cfg = cfg;
	cw->lg = lg;
	cw->dirty = true;	/* alerts stored while nobody filed them */
	cw->poll = poll_alerts;
	if ((r = cases_open(st, cfg, lg, &cw->cs)) != VG_OK ||
	    (r = notify_open(st, cfg, lg, &cw->nt)) != VG_OK)
		goto fail;
	cases_set_notify(cw->cs, notify_cases_hook, cw->nt);
	if ((r = notify_worker_start(cfg, lg, &cw->sender)) != VG_OK ||
	    (r = loop_add_timer(l, 0, tick, cw, &cw->timer)) != VG_OK)
		goto fail;
	*out = cw;
	return VG_OK;
fail:
	casework_close(cw);
	return r;
}

void
casework_close(struct casework *cw)
{
	if (!cw)
		return;
	if (cw->timer)
		loop_del_timer(cw->l, cw->timer);
	notify_worker_stop(cw->sender);
	notify_close(cw->nt);
	cases_close(cw->cs);
	free(cw);
}

static void
on_stop(struct loop *l, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	loop_stop(l);
}

int
casework_run(struct vg_store *st, const struct vg_config *cfg, const struct vg_logger *lg)
{
	struct loop *l = NULL;
	struct casework *cw = NULL;
	int r;

	if ((r = loop_new(&l)) != VG_OK || (r = loop_add_signal(l, SIGINT, on_stop, NULL)) != VG_OK ||
	    (r = loop_add_signal(l, SIGTERM, on_stop, NULL)) != VG_OK ||
	    (r = casework_open(l, st, cfg, lg, true, &cw)) != VG_OK) {
		vg_error(lg, "notify: cannot start the sender: %s", vg_strerror(r));
		goto out;
	}
	vg_info(lg, "notify: sender running, pass every %llds", cfg->notify.interval);
	r = loop_run(l);
out:
	casework_close(cw);
	loop_free(l);
	return r;
}
