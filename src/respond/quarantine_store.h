/* The quarantine vault's records (respond/ internal): a vigil store inside the vault,
 * VAULT/vault.db, holding the "quarantine" record kind (core/store_quarantine.h). An
 * older vault's JSON sidecars (VAULT/meta/ID.json) are imported into it once. */
#ifndef VG_QUARANTINE_STORE_H
#define VG_QUARANTINE_STORE_H

#include <stdbool.h>
#include <stddef.h>

struct vg_store;

#define QUARANTINE_STORE_FILE "vault.db"

/* Opens vault's store into *out (caller closes with store_close). create: the
 * vault directory must exist and the store is made when missing; !create: a vault
 * with neither a store nor sidecars gives *out NULL and VG_OK (nothing to read).
 * Sidecars of an older vault are imported first, once, in one transaction, with a
 * log line; meta/ is then renamed meta.imported (kept, never read again). On
 * failure err names the file. */
int quarantine_store_open(const char *vault, bool create, struct vg_store **out, char *err,
    size_t err_size);

#endif
