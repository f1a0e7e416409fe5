/* `vigil tail` (follow.h): opens the sources, the store and the line writer, hangs them
 * on a spine of their own and runs it; a test and debug harness for the sources
 * `vigil watch` uses. */
#include "monitor/follow.h"
#include "core/err.h"
#include "core/loop.h"
#include "core/store.h"
#include "monitor/lineout.h"
#include "monitor/spine.h"
#include "monitor/sources.h"
#include "monitor/syslog_recv.h"
#include "monitor/tail.h"

#include <stdio.h>

static int
open_tailer(const struct follow_opts *o, struct tailer **t, char *err, size_t err_size)
{
	size_t n_cfg = o->cfg ? o->cfg->monitor.sources.n : 0;
	int r;

	if (o->n_paths == 0 && n_cfg == 0)
		return VG_OK;
	if ((r = tail_new(o->log, o->max_line, t)) != VG_OK)
		return r;
	if (o->max_files)
		tail_set_max_files(*t, o->max_files);
	tail_set_rotate_wait(*t, o->rotate_wait_ms);
	for (size_t i = 0; i < o->n_paths; i++)
		if ((r = tail_add(*t, NULL, o->paths[i])) != VG_OK) {
			snprintf(err, err_size, "%s: %s", o->paths[i], vg_strerror(r));
			return VG_ERR_CONFIG;
		}
	for (size_t i = 0; i < n_cfg; i++) {
		const struct vg_source_cfg *sc = vg_config_source(o->cfg, i);
		if ((r = tail_add(*t, sc->name, sc->path)) != VG_OK) {
			snprintf(err, err_size, "monitor.sources[%zu] %s: %s", i, sc->path,
			    vg_strerror(r));
			return VG_ERR_CONFIG;
		}
	}
	return VG_OK;
}

static int
listen_one(const struct follow_opts *o, struct syslog_recv *sr, size_t i, const char *addr,
    char *err, size_t err_size)
{
	char why[512];
	int r = syslog_recv_listen(sr, addr, why, sizeof(why));

	if (r != VG_OK) {
		snprintf(err, err_size, "--syslog %s", why);
		return r == VG_ERR_PARSE ? VG_ERR_CONFIG : r;
	}
	/* the bound port, for callers that asked for port 0 */
	vg_info(o->log, "syslog %s bound port %u", addr, syslog_recv_port(sr, i));
	return VG_OK;
}

static int
open_syslog(const struct follow_opts *o, struct syslog_recv **sr, char *err, size_t err_size)
{
	size_t n_cfg = o->cfg ? o->cfg->monitor.syslog.n : 0, k = 0;
	int r;

	if (n_cfg > SYSLOG_MAX_LISTENERS - o->n_syslog)
		n_cfg = SYSLOG_MAX_LISTENERS - o->n_syslog;
	if (o->n_syslog + n_cfg == 0)
		return VG_OK;
	if ((r = syslog_recv_new(o->log, o->max_line, 0, sr)) != VG_OK)
		return r;
	for (size_t i = 0; i < o->n_syslog; i++, k++)
		if ((r = listen_one(o, *sr, k, o->syslogs[i], err, err_size)) != VG_OK)
			return r;
	for (size_t i = 0; i < n_cfg; i++, k++)
		if ((r = listen_one(o, *sr, k, o->cfg->monitor.syslog.items[i], err, err_size)) !=
		    VG_OK)
			return r;
	return VG_OK;
}

static void
log_counts(const struct follow_opts *o, const struct tailer *t, const struct syslog_recv *sr)
{
	if (t) {
		struct tail_stats ts;
		tail_get_stats(t, &ts);
		vg_info(o->log, "tail: %llu lines, %llu truncated, %llu rotations, %llu io errors",
		    (unsigned long long)ts.lines, (unsigned long long)ts.truncated,
		    (unsigned long long)ts.rotations, (unsigned long long)ts.io_errors);
	}
	if (sr) {
		struct syslog_stats ss;
		syslog_recv_get_stats(sr, &ss);
		vg_info(o->log, "syslog: %llu messages, %llu truncated, %llu connections refused, "
		    "%llu datagrams dropped by the kernel", (unsigned long long)ss.lines,
		    (unsigned long long)ss.truncated, (unsigned long long)ss.conns_dropped,
		    (unsigned long long)ss.udp_kernel_drops);
	}
}

int
follow_run(const struct follow_opts *o, char *err, size_t err_size)
{
	struct tailer *t = NULL;
	struct syslog_recv *sr = NULL;
	struct vg_store *st = NULL;
	struct lineout *lo = NULL;
	struct loop *l = NULL;
	struct spine *sp = NULL;
	int r;

	err[0] = '\0';
	if ((r = open_tailer(o, &t, err, err_size)) != VG_OK ||
	    (r = open_syslog(o, &sr, err, err_size)) != VG_OK)
		goto out;
	if (o->store_path) {
		if ((r = store_open("sqlite", o->store_path, o->log, &st, err, err_size)) != VG_OK)
			goto out;
		if (t && (r = tail_restore(t, st)) != VG_OK) {
			snprintf(err, err_size, "%s: cannot read positions: %s", o->store_path,
			    store_errmsg(st));
			goto out;
		}
	}
	if ((r = lineout_new(o->log, st, t, o->output, &lo)) != VG_OK || (r = loop_new(&l)) != VG_OK)
		goto out;
	struct spine_consumer c = { .line = lineout_line, .end = lineout_round_end, .arg = lo };
	if ((r = spine_new(l, &c, o->log, "", &sp)) != VG_OK ||
	    (t && (r = spine_add(sp, &source_tail, t)) != VG_OK) ||
	    (sr && (r = spine_add(sp, &source_syslog, sr)) != VG_OK))
		goto out;
	lineout_set_spine(lo, sp);
	r = spine_run(sp);
out:
	log_counts(o, t, sr);
	spine_free(sp);
	loop_free(l);
	lineout_free(lo);
	store_close(st);
	syslog_recv_free(sr);
	tail_free(t);
	return r;
}
