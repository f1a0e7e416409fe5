/* Private to respond/block*.c: what the import path needs from the blocker. */
#ifndef VG_BLOCK_INT_H
#define VG_BLOCK_INT_H

#include "respond/block.h"
#include "respond/block_store.h"
#include "respond/block_table.h"

bool block_allowlisted(const struct blocker *b, const struct block_target *t);
/* The longest-lived active block covering t (t itself or a wider network). */
const struct block_slot *block_covering(const struct blocker *b, const struct block_target *t,
    int64_t now_us);
/* False once block.max_total blocks are active. */
bool block_has_room(const struct blocker *b);
bool block_dry_run(const struct blocker *b);
struct vg_store *block_get_store(const struct blocker *b);
/* Notes t as active until expires_us (before the adapters see it). */
int block_note(struct blocker *b, const struct block_target *t, int64_t expires_us);
/* Sends e through every adapter (replace: resync each adapter's whole view
 * instead); 0 if at least one took them. */
int block_apply(struct blocker *b, const struct block_entry *e, size_t n, bool replace);
size_t block_active_count(const struct blocker *b);
/* Rebuilds the table from the store's active blocks and the adapters from the
 * table: the way back to a consistent state after a failed transaction. */
int block_reload(struct blocker *b);
/* Filters, applies and records already-parsed targets (v is reordered). */
int block_import_targets(struct blocker *b, struct block_target *v, size_t n, int64_t duration_s,
    const char *actor, struct block_import_stats *st);

#endif
