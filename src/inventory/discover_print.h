/* How `vigil discover` shows what it found: one JSON object per open port or
 * service (--json), or an aligned text line per port with its HTTP/TLS facts on
 * indented lines; a progress line on a terminal. Every text from the wire goes
 * through core/esc first (JSON strings too: binary banners stay valid UTF-8). */
#ifndef VG_INV_DISCOVER_PRINT_H
#define VG_INV_DISCOVER_PRINT_H

#include "inventory/portscan.h"
#include "inventory/svcid.h"
#include "inventory/target.h"

#include <jansson.h>
#include <stdio.h>

/* The JSON object for a port (svc may be NULL when identification did not run):
 * address, hostname, port, proto, state, reason, service, identified, product,
 * version, info, banner, http_{status,title,server,location,tech}, favicon_hash,
 * tls_{version,versions,subject,issuer,sans,not_after}: the register's inv_obs
 * names where it has them, so `vigil assets import-scan` reads this as is. */
json_t *discover_json(const struct inv_host *h, uint16_t port, enum port_state state,
    enum port_reason reason, const struct svc_result *svc);

/* Text form of the same on out. */
void discover_print_text(FILE *out, const struct inv_host *h, uint16_t port,
    enum port_state state, enum port_reason reason, const struct svc_result *svc);

/* One progress line on stderr ("\r", no newline): phase, done/total, rate, ETA. */
void discover_print_progress(const char *phase, const struct portscan_stats *st,
    uint64_t total, uint64_t done);

/* Certificate names that are not among the targets: new targets to consider. */
#define DISCOVER_NAMES_MAX 256
struct discover_names {
	char *names[DISCOVER_NAMES_MAX];
	size_t n, dropped;
};
/* Adds each name of the comma-separated sans that no host in hosts[0..n) was
 * given as and that is not an address or already listed. */
void discover_names_add(struct discover_names *d, const char *sans,
    const struct inv_host *hosts, size_t nhosts);
/* "vigil discover: certificate names not among the targets: a, b" on f (nothing
 * when there are none); frees the list. */
void discover_names_flush(struct discover_names *d, FILE *f);

/* ISO 8601 UTC of seconds since the epoch into buf (>= 21 bytes). */
const char *discover_iso_time(int64_t secs, char *buf, size_t size);

#endif
