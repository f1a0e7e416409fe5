/* Block records not yet known to be committed (see block_ledger.c). Private to
 * respond/block*.c. */
#ifndef VG_BLOCK_LEDGER_H
#define VG_BLOCK_LEDGER_H

#include "respond/block_target.h"
#include "respond/block_store.h"

struct block_ledger_entry {
	struct block_target t;
	int64_t id;		/* row written last; 0 = not written */
	int64_t alert_id, created_us, expires_us;
	int level;
	bool dry_run;
	char *reason, *actor;	/* owned */
};

struct block_ledger {
	struct block_ledger_entry *v;
	size_t n, cap;
};

void block_ledger_free(struct block_ledger *lg);
/* Writes rec (for target t) to st and keeps it until settled; *id gets the row
 * (0 when the write failed: it is retried by settle). Returns the write's result. */
int block_ledger_record(struct block_ledger *lg, struct vg_store *st, const struct block_target *t,
    const struct block_record *rec, int64_t *id);
/* When t's pending record lost its row (a rolled-back round), writes it again
 * linked to alert_id and sets *rewritten. 0 or the write's VG_ERR_*. */
int block_ledger_relink(struct block_ledger *lg, struct vg_store *st, const struct block_target *t,
    int64_t alert_id, bool *rewritten);
/* Outside any transaction: drops entries whose rows are committed and writes the
 * others again (*rewritten counts them); those still unwritten stay, and the
 * last failure is returned. */
int block_ledger_settle(struct block_ledger *lg, struct vg_store *st, size_t *rewritten);
/* Drops the entries for t (NULL: all), e.g. once t is lifted. */
void block_ledger_forget(struct block_ledger *lg, const struct block_target *t);

#endif
