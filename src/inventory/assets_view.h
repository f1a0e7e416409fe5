/* The register as readers see it: every asset with its open services, the
 * addresses it was seen talking to, and the flags computed from scans (shadow,
 * stale, public). One loader for listing, export, classification and the
 * console, so "shadow" means the same everywhere. */
#ifndef VG_INV_ASSETS_VIEW_H
#define VG_INV_ASSETS_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct vg_store;

/* Loads every asset as a JSON array (caller decrefs) of objects: the assets
 * columns (id, address, hostname, declared (bool), owner, notes, system_name,
 * level, internet_facing (bool or null), role, class, classes, risk, reasons,
 * first_seen, last_seen, declared_at, declared_from), plus
 *   services: open services [{port, proto, name, product, version, banner,
 *     http_title, http_server, tls_subject, tls_issuer, tls_sans, tls_not_after,
 *     first_seen, last_seen, scan_id}],
 *   links: distinct addresses it connected to (asset_links, scans run from it),
 *   shadow: seen by a closed scan and not declared,
 *   stale: declared, and absent from each of the last stale_scans done scans
 *     (false while no scan is done),
 *   public: a globally routed IP address; exposed: public or internet_facing;
 *   open_ports: has an open service.
 * 0 or VG_ERR_*. */
int assets_load(struct vg_store *st, int stale_scans, json_t **out);

/* True for an IPv4/IPv6 literal outside private, loopback, link-local, CGNAT,
 * documentation and multicast ranges; false for names. */
bool assets_addr_public(const char *addr);

#endif
