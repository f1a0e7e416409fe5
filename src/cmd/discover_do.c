/* `vigil discover`'s run: the scan's record opened, the scan run with its output
 * callbacks (discover_out.c), the record closed as done, interrupted or failed.
 * SIGINT/SIGTERM are blocked before the record is opened and read through a
 * signalfd the engines ask between batches (cancelled), so Ctrl-C ends the scan
 * with what it found kept, never a record left "running". */
#include "cmd/discover.h"
#include "core/err.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define EXIT_INTERRUPTED 130	/* as a shell reports a command ended by SIGINT */

/* Asked from the engines' threads: poll only, so the signal stays pending and
 * every thread sees it. */
static bool
cancelled(void *arg)
{
	const struct dout *o = arg;
	struct pollfd p = { .fd = o->stop_fd, .events = POLLIN };

	return o->stop_fd >= 0 && poll(&p, 1, 0) > 0;
}

/* The run itself, between the record's opening and its closing. */
static int
scan(struct vg_ctx *ctx, struct dargs *a, struct dout *o, struct probe_db *db,
    struct discover_stats *st)
{
	struct discover_opts d = { .engine = a->engine, .ping = !a->no_ping,
		.identify = !a->no_identify, .arg = o, .on_service = dcmd_on_service,
		.on_host = dcmd_on_host, .on_port = a->no_identify ? dcmd_on_port_only :
		dcmd_on_port, .progress = dcmd_on_progress, .cancelled = cancelled };
	int rc;

	(void)ctx;
	d.scan.retries = a->retries >= 0 ? (int)a->retries : 2;
	d.scan.rate_pps = (uint64_t)a->rate;
	d.scan.max_inflight = (int)a->inflight;
	d.scan.seed = (uint64_t)a->seed;
	d.scan.report_closed = a->all;
	if (a->timeout_ms)
		d.scan.init_timeout_us = a->timeout_ms * 1000;
	d.svc.db = db;
	d.svc.greet_us = a->greet_ms * 1000;
	d.svc.http_extras = !a->no_extras;
	d.svc.tls_versions = !a->no_extras;
	rc = discover_run(o->hosts, o->nhosts, &a->ports, &d, st);
	dcmd_clear_progress(o);
	discover_names_flush(&o->names, stderr);
	return rc;
}

int
dcmd_scan(struct vg_ctx *ctx, struct dargs *a, const struct inv_host *hosts, size_t nhosts,
    struct probe_db *db)
{
	struct dout o = { .ctx = ctx, .all = a->all, .hosts = hosts, .nhosts = nhosts,
		.progress = !a->no_progress && isatty(STDERR_FILENO) &&
		ctx->log.level > VG_LOG_ERROR, .stop_fd = -1 };
	struct vg_config *cfg = NULL;
	struct vg_store *store = NULL;
	struct discover_stats st;
	sigset_t stop, old;
	int ret, rc, src;

	/* before the record exists and before any thread starts (they inherit it) */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	/* without the descriptor nobody would see them: they keep their default */
	if ((o.stop_fd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!a->no_store && (ret = dcmd_open_store(ctx, a, &cfg, &store, &o.ds)) != VG_EXIT_OK)
		goto out;
	rc = scan(ctx, a, &o, db, &st);
	/* a store error stopped the run through a callback: it was reported there */
	src = discover_store_end(o.ds, st.interrupted ? "interrupted" :
	    rc == VG_OK ? "done" : "failed");
	o.ds = NULL;
	ret = rc == VG_OK && src == VG_OK ? VG_EXIT_OK : rc == VG_ERR_DENIED ? VG_EXIT_USAGE :
	    VG_EXIT_RUNTIME;
	if (rc == VG_OK && src != VG_OK)
		fprintf(stderr, "vigil discover: store: %s\n", vg_strerror(src));
	else if (rc == VG_ERR_DENIED)
		fprintf(stderr, "vigil discover: --engine syn needs CAP_NET_RAW (run as root or "
		    "grant the capability), or use --engine connect\n");
	else if (rc != VG_OK)
		fprintf(stderr, "vigil discover: %s\n", vg_strerror(rc));
	if (ret == VG_EXIT_OK) {
		dcmd_summary(ctx, &st, a->ports.n);
		if (st.interrupted) {
			fprintf(stderr, "vigil discover: interrupted: what was found is %s\n",
			    a->no_store ? "above" : "kept (the scan is recorded as interrupted)");
			ret = EXIT_INTERRUPTED;
		}
	}
out:
	discover_store_end(o.ds, "failed");
	store_close(store);
	vg_config_free(cfg);
	/* a signal that came is taken here, or unblocking would deliver it */
	if (o.stop_fd >= 0) {
		struct signalfd_siginfo si;
		while (read(o.stop_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			;
		close(o.stop_fd);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}
