/* Results into the register. Observations go in one transaction per batch of
 * DISCOVER_STORE_BATCH (SQLite commits cost a sync each); the register wants no
 * transaction open when the scan is closed, so the last batch commits first.
 * The register escapes what it is given and takes C strings: a banner goes in raw
 * unless it holds a NUL (binary protocols: MySQL, RDP, SMB), then in our escaped
 * form, whose backslashes the register doubles; either way every byte is kept.
 * Titles and certificate names were escaped when they were read (httpid, tlsid). */
#include "inventory/discover_store.h"
#include "inventory/register.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/store.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DISCOVER_STORE_BATCH 500

struct discover_store {
	struct vg_store *st;
	int64_t scan_id;
	unsigned pending;
	int err;
};

int
discover_store_begin(struct vg_store *st, const char *spec, struct discover_store **out)
{
	struct discover_store *ds = calloc(1, sizeof(*ds));
	int rc;

	*out = NULL;
	if (!ds)
		return VG_ERR_NOMEM;
	ds->st = st;
	if ((rc = register_scan_begin(st, spec, portscan_wall_us(), &ds->scan_id)) != VG_OK) {
		free(ds);
		return rc;
	}
	*out = ds;
	return VG_OK;
}

static int
add(struct discover_store *ds, const struct inv_obs *o)
{
	int rc;
	if (ds->err)
		return ds->err;
	if (ds->pending == 0 && (rc = store_begin(ds->st)) != VG_OK)
		return ds->err = rc;
	if ((rc = register_scan_add(ds->st, ds->scan_id, o)) != VG_OK) {
		store_rollback(ds->st);
		ds->pending = 0;
		return ds->err = rc;
	}
	if (++ds->pending >= DISCOVER_STORE_BATCH) {
		ds->pending = 0;
		if ((rc = store_commit(ds->st)) != VG_OK)
			return ds->err = rc;
	}
	return VG_OK;
}

int
discover_store_host(struct discover_store *ds, const struct inv_host *h)
{
	char addr[64];
	struct inv_obs o = { .address = target_addr_str(&h->addr, addr, sizeof(addr)),
		.hostname = h->name, .port = 0 };
	return add(ds, &o);
}

int
discover_store_port(struct discover_store *ds, const struct inv_host *h, uint16_t port,
    enum port_state state, const struct svc_result *s)
{
	char addr[64], banner[SVC_BANNER_MAX * 4 + 8];
	static_assert(sizeof(banner) > SVC_BANNER_MAX, "a raw banner fits");
	struct inv_obs o = { .address = target_addr_str(&h->addr, addr, sizeof(addr)),
		.hostname = h->name, .port = port, .proto = "tcp",
		.state = port_state_name(state) };
	if (s) {
		o.service = s->service;
		o.product = s->product;
		o.version = s->version;
		if (memchr(s->banner, 0, s->banner_len)) {
			vg_esc(banner, sizeof(banner), s->banner, s->banner_len);
		} else {
			memcpy(banner, s->banner, s->banner_len);
			banner[s->banner_len] = '\0';
		}
		o.banner = banner;
		o.http_title = s->http_title;
		o.http_server = s->http_server;
		o.tls_subject = s->tls_subject;
		o.tls_issuer = s->tls_issuer;
		o.tls_sans = s->tls_sans;
		o.tls_not_after = s->tls_not_after * 1000000;
	}
	return add(ds, &o);
}

int
discover_store_end(struct discover_store *ds, const char *status)
{
	int rc = VG_OK;
	if (!ds)
		return VG_OK;
	if (ds->pending && (rc = store_commit(ds->st)) != VG_OK)
		store_rollback(ds->st);
	int rc2 = register_scan_end(ds->st, ds->scan_id, portscan_wall_us(),
	    rc == VG_OK && !ds->err ? status : "failed");
	if (rc == VG_OK)
		rc = ds->err ? ds->err : rc2;
	free(ds);
	return rc;
}
