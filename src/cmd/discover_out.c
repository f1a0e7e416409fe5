/* `vigil discover` while it runs: progress, results printed and stored as they
 * come, the closing summary. */
#include "cmd/discover.h"
#include "core/err.h"

#include <stdio.h>


void
dcmd_clear_progress(struct dout *o)
{
	if (o->progress)
		fputs("\r\033[K", stderr);
}

void
dcmd_on_progress(void *arg, const char *phase, const struct portscan_stats *st, uint64_t total,
    uint64_t done)
{
	struct dout *o = arg;
	if (o->progress)
		discover_print_progress(phase, st, total, done);
}

static void
emit(struct dout *o, const struct inv_host *h, uint16_t port, enum port_state state,
    enum port_reason reason, const struct svc_result *s)
{
	dcmd_clear_progress(o);
	if (o->ctx->json)
		cmd_print_json_new(discover_json(h, port, state, reason, s));
	else
		discover_print_text(stdout, h, port, state, reason, s);
	fflush(stdout);
}

/* A failed store write is reported once and ends the run: results that are
 * printed but silently not kept would mislead the register's diffs. */
static int
store_rc(struct dout *o, int rc)
{
	if (rc != VG_OK) {
		dcmd_clear_progress(o);
		fprintf(stderr, "vigil discover: store: %s\n", vg_strerror(rc));
		return 1;
	}
	return 0;
}

int
dcmd_on_host(void *arg, const struct inv_host *h, bool up, int64_t rtt_us)
{
	struct dout *o = arg;
	(void)rtt_us;
	return up && o->ds ? store_rc(o, discover_store_host(o->ds, h)) : 0;
}

int
dcmd_on_port(void *arg, const struct inv_host *h, const struct portscan_result *r)
{
	struct dout *o = arg;
	/* open ports wait for their service; the others have nothing more to say */
	if (r->state != PORT_OPEN && o->all) {
		emit(o, h, r->port, r->state, r->reason, NULL);
		if (o->ds)
			return store_rc(o, discover_store_port(o->ds, h, r->port, r->state, NULL));
	}
	return 0;
}

int
dcmd_on_port_only(void *arg, const struct inv_host *h, const struct portscan_result *r)
{
	struct dout *o = arg;
	if (r->state == PORT_OPEN || o->all) {
		emit(o, h, r->port, r->state, r->reason, NULL);
		if (o->ds)
			return store_rc(o, discover_store_port(o->ds, h, r->port, r->state, NULL));
	}
	return 0;
}

int
dcmd_on_service(void *arg, const struct inv_host *h, const struct svc_result *s)
{
	struct dout *o = arg;
	emit(o, h, s->port, PORT_OPEN, REASON_CONNECTED, s);
	if (o->ds && store_rc(o, discover_store_port(o->ds, h, s->port, PORT_OPEN, s)))
		return 1;
	if (s->tls_sans[0])
		discover_names_add(&o->names, s->tls_sans, o->hosts, o->nhosts);
	return 0;
}

int
dcmd_open_store(struct vg_ctx *ctx, const struct dargs *a, struct vg_config **cfg,
    struct vg_store **store, struct discover_store **ds)
{
	char serr[512] = "";
	int rc, ret;

	if (!a->store && (ret = cmd_load_config(ctx, cfg)) != VG_EXIT_OK)
		return ret;
	rc = store_open(a->store ? "sqlite" : (*cfg)->store.backend, a->store ? a->store :
	    (*cfg)->store.path, &ctx->log, store, serr, sizeof(serr));
	if (rc == VG_OK)
		rc = discover_store_begin(*store, vg_buf_ptr(a->spec) + 1, ds);
	if (rc == VG_OK)
		return VG_EXIT_OK;
	cmd_eprintf("vigil discover: store: %s", serr[0] && !*store ? serr : vg_strerror(rc));
	return VG_EXIT_RUNTIME;
}

void
dcmd_summary(struct vg_ctx *ctx, const struct discover_stats *st, size_t nports)
{
	if (ctx->log.level > VG_LOG_ERROR)
		fprintf(stderr, "vigil discover: %zu/%zu hosts up, %zu ports each, engine %s: "
		    "%llu open, %llu closed, %llu filtered in %.2f s (ping %.2f s); %llu "
		    "identified of %llu in %.2f s\n", st->hosts_up, st->hosts, nports,
		    discover_engine_name(st->engine), (unsigned long long)st->scan.open,
		    (unsigned long long)st->scan.closed, (unsigned long long)st->scan.filtered,
		    (double)st->scan_us / 1e6, (double)st->ping_us / 1e6,
		    (unsigned long long)st->svc.identified, (unsigned long long)st->svc.ports,
		    (double)st->svc_us / 1e6);
	vg_info(&ctx->log, "discover: scan sent %llu probes (%llu retries), %llu errors, peak "
	    "%d sockets in flight, %llu answers lost for memory",
	    (unsigned long long)st->scan.sent, (unsigned long long)st->scan.retries,
	    (unsigned long long)st->scan.errors, st->scan.inflight_max,
	    (unsigned long long)st->scan.dropped);
}
