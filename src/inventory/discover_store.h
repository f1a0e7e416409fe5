/* `vigil discover` into the asset register (inventory/register.h): one scan record
 * per run, each live host and each port with its service as an observation,
 * written in batches of one transaction. */
#ifndef VG_INV_DISCOVER_STORE_H
#define VG_INV_DISCOVER_STORE_H

#include "inventory/portscan.h"
#include "inventory/svcid.h"
#include "inventory/target.h"

struct vg_store;
struct discover_store;

/* Opens a scan (spec = what the user asked for, the key `vigil assets diff` pairs
 * scans by). *out is freed by discover_store_end. 0 or VG_ERR_*. */
int discover_store_begin(struct vg_store *st, const char *spec, struct discover_store **out);
/* A host that answered the ping (port 0: alive, nothing about ports). */
int discover_store_host(struct discover_store *ds, const struct inv_host *h);
/* A port; svc NULL when identification did not run. */
int discover_store_port(struct discover_store *ds, const struct inv_host *h, uint16_t port,
    enum port_state state, const struct svc_result *svc);
/* Commits what is pending and closes the scan with status "done", "partial" or
 * "failed"; frees ds (NULL is fine). 0 or VG_ERR_*. */
int discover_store_end(struct discover_store *ds, const char *status);

#endif
