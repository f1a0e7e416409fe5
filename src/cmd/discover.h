/* What the `vigil discover` files share: parsed arguments (discover_args.c), the
 * output and store callbacks of a run (discover_out.c), the run (discover_do.c)
 * and the command (discover.c). */
#ifndef VG_CMD_DISCOVER_H
#define VG_CMD_DISCOVER_H

#include "cmd/cmd.h"
#include "core/buf.h"
#include "inventory/discover.h"
#include "inventory/discover_print.h"
#include "inventory/discover_store.h"
#include "inventory/probe.h"

extern const struct cmd_ops cmd_discover;

/* Above this many probes (hosts x ports) a scan is "huge" and needs --yes. */
#define CONFIRM_PROBES (16ull << 20)

struct dargs {
	struct target_set *ts;
	struct port_list ports;
	const char *port_spec, *probes, *store;
	struct vg_buf *spec;	/* targets and ports as given: the scan's name in the register */
	long long top, rate, inflight, retries, greet_ms, timeout_ms, seed;
	enum discover_engine engine;
	bool yes, no_ping, no_identify, all, no_progress, no_extras, have_targets, no_store;
	char err[512];
};

struct dout {
	struct vg_ctx *ctx;
	bool progress, all;
	const struct inv_host *hosts;
	size_t nhosts;
	struct discover_names names;
	struct discover_store *ds;	/* NULL: not stored */
	int stop_fd;			/* signalfd: SIGINT/SIGTERM came (-1: none) */
};

int dcmd_parse_args(int argc, char **argv, struct dargs *a);
/* -p and --top-ports into a->ports; the probe database (VG_EXIT_*). */
int dcmd_load_ports(struct dargs *a);
int dcmd_load_probes(struct dargs *a, struct probe_db **db);
/* Opens --store or the config's store and begins the scan's record (VG_EXIT_*). */
int dcmd_open_store(struct vg_ctx *ctx, const struct dargs *a, struct vg_config **cfg,
    struct vg_store **store, struct discover_store **ds);
/* The discover_opts callbacks; arg is a struct dout. */
void dcmd_clear_progress(struct dout *o);
void dcmd_on_progress(void *arg, const char *phase, const struct portscan_stats *st,
    uint64_t total, uint64_t done);
int dcmd_on_host(void *arg, const struct inv_host *h, bool up, int64_t rtt_us);
int dcmd_on_port(void *arg, const struct inv_host *h, const struct portscan_result *r);
int dcmd_on_port_only(void *arg, const struct inv_host *h, const struct portscan_result *r);
int dcmd_on_service(void *arg, const struct inv_host *h, const struct svc_result *s);
/* discover_do.c: opens the record, runs the scan (Ctrl-C ends it as interrupted),
 * closes the record; VG_EXIT_* or 130 when interrupted. */
int dcmd_scan(struct vg_ctx *ctx, struct dargs *a, const struct inv_host *hosts, size_t nhosts,
    struct probe_db *db);
/* The run's closing lines on stderr. */
void dcmd_summary(struct vg_ctx *ctx, const struct discover_stats *st, size_t nports);

#endif
