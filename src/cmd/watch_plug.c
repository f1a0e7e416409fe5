/* What `vigil watch` plugs into the spine besides detection: blocking (an alert
 * sink and a one-second timer), webshell.accessed (an alert sink and a detector),
 * and the ready (sd_notify, --ready-file) and reload (SIGHUP) hooks. */
#include "cmd/watch.h"
#include "core/err.h"
#include "core/sdnotify.h"
#include "monitor/detect.h"
#include "monitor/webwatch.h"
#include "monitor/wsaccess.h"
#include "respond/block.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

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
int
watch_open_blocker(struct watch *w, struct loop *l)
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
int
watch_open_wsaccess(struct watch *w)
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

/* Ready means protected: every source is followed and every web root had its first
 * full check. systemd learns it through sd_notify (Type=notify), scripts from the file. */
void
watch_on_ready(void *arg)
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
void
watch_on_reload(void *arg)
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

