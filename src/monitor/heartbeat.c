/* Heartbeat writer (see heartbeat.h). Runs between the spine's rounds, so its
 * write is a transaction of its own. */
#include "monitor/heartbeat.h"
#include "monitor/syslog_recv.h"
#include "monitor/tail.h"
#include "core/err.h"

#include <unistd.h>

static double
rate(uint64_t now, uint64_t before, int64_t ms)
{
	return ms > 0 && now >= before ? (double)(now - before) * 1000.0 / (double)ms : 0.0;
}

static json_t *
beat_info(struct heartbeat *hb, int64_t dt_ms)
{
	const struct vg_config *cfg = hb->cfg;
	json_t *o = json_object(), *srcs = json_array(), *roots = json_array();
	json_t *listeners = json_array();

	for (size_t i = 0; i < cfg->monitor.sources.n; i++) {
		const struct vg_source_cfg *s = vg_config_source(cfg, i);
		json_array_append_new(srcs, json_pack("{s:s?, s:s?, s:s?}", "name", s->name,
		    "path", s->path, "format", s->format));
	}
	json_object_set_new(o, "sources", srcs);
	if (hb->ls->tailer) {
		struct tail_stats ts;
		tail_get_stats(hb->ls->tailer, &ts);
		json_object_set_new(o, "files", json_pack("{s:I, s:f, s:I, s:I, s:I}",
		    "lines", (json_int_t)ts.lines,
		    "lines_per_s", rate(ts.lines, hb->last_file_lines, dt_ms),
		    "truncated", (json_int_t)ts.truncated, "rotations", (json_int_t)ts.rotations,
		    "io_errors", (json_int_t)ts.io_errors));
		hb->last_file_lines = ts.lines;
	}
	for (size_t i = 0; i < cfg->monitor.syslog.n; i++)
		json_array_append_new(listeners, json_string(cfg->monitor.syslog.items[i]));
	json_object_set_new(o, "syslog_listeners", listeners);
	if (hb->ls->syslog) {
		struct syslog_stats ss;
		syslog_recv_get_stats(hb->ls->syslog, &ss);
		json_object_set_new(o, "syslog", json_pack("{s:I, s:f, s:I, s:I, s:I}",
		    "lines", (json_int_t)ss.lines,
		    "lines_per_s", rate(ss.lines, hb->last_syslog_lines, dt_ms),
		    "udp_kernel_drops", (json_int_t)ss.udp_kernel_drops,
		    "conns_dropped", (json_int_t)ss.conns_dropped,
		    "truncated", (json_int_t)ss.truncated));
		hb->last_syslog_lines = ss.lines;
	}
	for (size_t i = 0; i < cfg->webroots.n; i++) {
		const struct vg_webroot_cfg *w = &((const struct vg_webroot_cfg *)cfg->webroots.items)[i];
		json_array_append_new(roots, json_pack("{s:s?, s:s?}", "name", w->name, "path",
		    w->path));
	}
	json_object_set_new(o, "webroots", roots);
	return o;
}

static int64_t
beat(struct loop *l, long long id, void *arg)
{
	struct heartbeat *hb = arg;
	int64_t now = loop_now_ms();
	json_t *info = beat_info(hb, now - hb->last_ms);
	int r;

	(void)l;
	(void)id;
	hb->last_ms = now;
	r = info ? store_heartbeat_set(hb->store, "watch", (long)getpid(), hb->started_us,
	    vg_now_us(), info) : VG_ERR_NOMEM;
	if (r != VG_OK && !hb->warned)
		vg_warn(hb->lg, "watch: heartbeat not saved (%s); `vigil status` will look stale",
		    store_errmsg(hb->store));
	hb->warned = r != VG_OK;
	json_decref(info);
	return HEARTBEAT_MS;
}

int
heartbeat_start(struct heartbeat *hb, struct loop *l)
{
	hb->started_us = vg_now_us();
	hb->last_ms = loop_now_ms();
	beat(l, 0, hb);
	return loop_add_timer(l, HEARTBEAT_MS, beat, hb, NULL);
}
