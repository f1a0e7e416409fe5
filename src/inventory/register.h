/* The asset register's write side for scanners: a scan is opened, each observation
 * (a live host or one port's state and service) is added, and the scan is closed.
 * Every scan is kept whole (scans, scan_hosts, scan_services), so `vigil assets
 * diff` can compare any two; closing a finished scan refreshes the current view
 * (assets.last_seen, services) that listing and classification read. */
#ifndef VG_INV_REGISTER_H
#define VG_INV_REGISTER_H

#include <stdint.h>

struct vg_store;

/* One thing a scanner saw. Every pointer is borrowed for the call; NULL or ""
 * means "not known". Text from the wire (banner, titles, certificate names) is
 * stored escaped (core/esc: control and invalid bytes as \xNN) and cut at a
 * limit, so the register only ever holds printable UTF-8. */
struct inv_obs {
	const char *address;	/* required: IPv4/IPv6 literal (or a name when that is all) */
	const char *hostname;	/* name the target was given as, or PTR/SNI name */
	int port;		/* 1..65535; 0 = the host is alive, no port information */
	const char *proto;	/* "tcp" (default) or "udp" */
	const char *state;	/* "open" (default), "closed", "filtered" */
	const char *service;	/* "ssh", "http", "https", "redis", ... */
	const char *product, *version, *banner;
	const char *http_title, *http_server;
	const char *tls_subject, *tls_issuer;
	const char *tls_sans;	/* comma-separated DNS names */
	int64_t tls_not_after;	/* µs since the epoch, 0 = none */
};

/* Opens a scan record: spec is the target/port spec as the user gave it (for
 * listing), started_us its start. *scan_id is set on success. 0 or VG_ERR_*. */
int register_scan_begin(struct vg_store *st, const char *spec, int64_t started_us,
    int64_t *scan_id);

/* Optional: the address the scan ran from. A host that reaches a target in a scan
 * run from it is a springboard candidate (classification). 0 or VG_ERR_*. */
int register_scan_origin(struct vg_store *st, int64_t scan_id, const char *origin);

/* Adds one observation to an open scan. The asset is found by address (or, when
 * the address is unknown, by a declared asset whose address is obs->hostname) and
 * created as undeclared (a shadow candidate) otherwise. Observing the same
 * (address, port, proto) again in the scan updates it: later non-empty fields
 * win, so a scanner may add "open" first and the identified service later.
 * Each call autocommits unless the caller holds a transaction (store_begin /
 * store_commit around a batch is ~100x faster on SQLite).
 * VG_ERR_INVAL for a missing address, a port outside 0..65535, an unknown proto
 * or state, or a scan that is not open; else 0 or the store's VG_ERR_*. */
int register_scan_add(struct vg_store *st, int64_t scan_id, const struct inv_obs *obs);

/* Closes a scan: status is "done" (complete), "partial" (stopped early; kept but
 * not used for stale/diff defaults), "interrupted" (as partial: the user stopped
 * it, SIGINT/SIGTERM) or "failed". Any but failed refreshes
 * the current view: each seen asset's last_seen, and services (the latest state
 * of each port). Runs in a transaction of its own: the caller must not hold one.
 * 0, VG_ERR_INVAL (bad status, unknown or closed scan) or VG_ERR_*. */
int register_scan_end(struct vg_store *st, int64_t scan_id, int64_t finished_us,
    const char *status);

#endif
