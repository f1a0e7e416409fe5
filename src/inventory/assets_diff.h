/* What changed between two kept scans: new and gone hosts, new and gone ports,
 * service, version, HTTP title and certificate changes. */
#ifndef VG_INV_ASSETS_DIFF_H
#define VG_INV_ASSETS_DIFF_H

#include <jansson.h>
#include <stdint.h>

struct vg_store;

/* The scans, newest first, as a JSON array (caller decrefs) of {id, spec, origin,
 * started_at, finished_at, status, hosts, open_ports}; at most limit (0 = all). */
int assets_scans(struct vg_store *st, size_t limit, json_t **out);

/* Compares scan from with scan to. from = 0: the done scan before `to` with the
 * same spec, else the done scan before it; to = 0: the latest done scan.
 * *out = {"from": scan, "to": scan, "changes": [{change, address, port, proto,
 * before, after}]} (caller decrefs), change being one of new_host, gone_host,
 * new_port, gone_port, service_changed, version_changed, title_changed,
 * cert_changed. VG_ERR_NOTFOUND when a scan does not exist or there are not two
 * to compare (*out is NULL); 0 or VG_ERR_*. */
int assets_diff(struct vg_store *st, int64_t from, int64_t to, json_t **out);

#endif
