/* source_ops rows for the file tailer and the syslog receiver (thin adapters over
 * tail.c and syslog_recv.c, so the spine drives every source the same way), and the
 * log sources of a configuration, each tagged with its decoder. */
#include "monitor/sources.h"
#include "core/err.h"
#include "monitor/syslog_recv.h"
#include "monitor/tail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
tail_fd_op(const void *st)
{
	return tail_fd(st);
}

static int
tail_read_op(void *st, bool ready, bool poll, source_line_fn fn, void *arg)
{
	(void)ready;
	return poll ? tail_poll(st, fn, arg) : tail_process(st, fn, arg);
}

static bool
tail_pending_op(const void *st)
{
	return tail_pending(st);
}

static int
tail_checkpoint_op(void *st, struct vg_store *store)
{
	return tail_checkpoint(st, store);
}

static void
tail_committed_op(void *st)
{
	tail_committed(st);
}

static void
tail_rewind_op(void *st)
{
	tail_rewind(st);
}

const struct source_ops source_tail = {
	.name = "tail",
	.fd = tail_fd_op,
	.read = tail_read_op,
	.pending = tail_pending_op,
	.checkpoint = tail_checkpoint_op,
	.committed = tail_committed_op,
	.rewind = tail_rewind_op,
};

static int
syslog_fd_op(const void *st)
{
	return syslog_recv_fd(st);
}

static int
syslog_read_op(void *st, bool ready, bool poll, source_line_fn fn, void *arg)
{
	(void)ready;
	(void)poll;
	return syslog_recv_process(st, fn, arg);
}

const struct source_ops source_syslog = {
	.name = "syslog",
	.fd = syslog_fd_op,
	.read = syslog_read_op,
};

int
log_sources_open(const struct vg_config *cfg, const struct vg_logger *lg, struct log_sources *ls,
    char *err, size_t err_size)
{
	char why[512];
	int r;

	memset(ls, 0, sizeof(*ls));
	ls->decoders = calloc(cfg->monitor.sources.n + 1, sizeof(*ls->decoders));
	if (!ls->decoders)
		return VG_ERR_NOMEM;
	if (cfg->monitor.sources.n &&
	    (r = tail_new(lg, (size_t)cfg->monitor.max_line, &ls->tailer)) != VG_OK)
		return r;
	for (size_t i = 0; i < cfg->monitor.sources.n; i++) {
		const struct vg_source_cfg *s = vg_config_source(cfg, i);
		struct decoder **d = &ls->decoders[ls->n_decoders];
		if (decoder_new(s->format, s->log_format, d, why, sizeof(why)) != VG_OK) {
			snprintf(err, err_size, "monitor.sources[%zu]: %s", i, why);
			return VG_ERR_CONFIG;
		}
		ls->n_decoders++;
		if ((r = tail_add_tagged(ls->tailer, s->name ? s->name : s->path, s->path, *d))) {
			snprintf(err, err_size, "monitor.sources[%zu].path: %s: %s", i, s->path,
			    vg_strerror(r));
			return VG_ERR_CONFIG;
		}
	}
	if (decoder_new("syslog", NULL, &ls->syslog_decoder, why, sizeof(why)) != VG_OK)
		return VG_ERR_NOMEM;
	if (cfg->monitor.syslog.n == 0)
		return VG_OK;
	if ((r = syslog_recv_new(lg, (size_t)cfg->monitor.max_line, 0, &ls->syslog)) != VG_OK)
		return r;
	syslog_recv_set_tag(ls->syslog, ls->syslog_decoder);
	for (size_t i = 0; i < cfg->monitor.syslog.n; i++) {
		if (syslog_recv_listen(ls->syslog, cfg->monitor.syslog.items[i], why,
			sizeof(why)) != VG_OK) {
			snprintf(err, err_size, "monitor.syslog[%zu]: %s", i, why);
			return VG_ERR_CONFIG;
		}
		vg_info(lg, "watch: syslog %s on port %u", cfg->monitor.syslog.items[i],
		    syslog_recv_port(ls->syslog, i));
	}
	return VG_OK;
}

void
log_sources_close(struct log_sources *ls)
{
	for (size_t i = 0; i < ls->n_decoders; i++)
		decoder_free(ls->decoders[i]);
	free(ls->decoders);
	decoder_free(ls->syslog_decoder);
	tail_free(ls->tailer);
	syslog_recv_free(ls->syslog);
	memset(ls, 0, sizeof(*ls));
}

int
log_sources_add(const struct log_sources *ls, struct spine *sp)
{
	int r = VG_OK;
	if (ls->tailer)
		r = spine_add(sp, &source_tail, ls->tailer);
	if (r == VG_OK && ls->syslog)
		r = spine_add(sp, &source_syslog, ls->syslog);
	return r;
}
