/* The blocker's mirror of active blocks: an open-addressing hash table keyed by
 * target, plus a count per prefix length so "is t inside an active network?" is a
 * lookup per prefix length in use. Private to respond/block*.c. */
#ifndef VG_BLOCK_TABLE_H
#define VG_BLOCK_TABLE_H

#include "respond/block_target.h"

enum { BLOCK_SLOT_EMPTY, BLOCK_SLOT_USED, BLOCK_SLOT_TOMB };

struct block_slot {
	struct block_target t;
	uint8_t state;
	int64_t expires_us;
};

struct block_table {
	struct block_slot *slots;
	size_t cap;		/* power of two */
	size_t n_live, n_tomb;
	uint32_t plen[2][129];	/* live entries per [family 4/6][prefix] */
};

int block_table_init(struct block_table *tab);
void block_table_free(struct block_table *tab);
void block_table_clear(struct block_table *tab);
/* Inserts t or sets its expiry. 0 or VG_ERR_NOMEM. */
int block_table_put(struct block_table *tab, const struct block_target *t, int64_t expires_us);
void block_table_del(struct block_table *tab, const struct block_target *t);
/* The entry for exactly t if it is still in force at now_us, else NULL (borrowed
 * until the next put/del). */
const struct block_slot *block_table_get(const struct block_table *tab,
    const struct block_target *t, int64_t now_us);
/* The longest-lived entry in force at now_us that covers t: a wider network, or
 * (unless strict) t itself. NULL when none. */
const struct block_slot *block_table_covering(const struct block_table *tab,
    const struct block_target *t, bool strict, int64_t now_us);
/* Drops entries expired at now_us; returns how many, *nets how many were networks. */
size_t block_table_expire(struct block_table *tab, int64_t now_us, size_t *nets);

#endif
