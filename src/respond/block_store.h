/* Block records: kind 'block' rows of the store's actions table, with reason and
 * escalation level in params as JSON. status is "active", "dry_run" or "removed";
 * an active block whose expires_us has passed has expired. */
#ifndef VG_BLOCK_STORE_H
#define VG_BLOCK_STORE_H

#include "core/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Strings are borrowed for the call (add) or for the callback (each). */
struct block_record {
	int64_t id;
	const char *target;	/* "1.2.3.4" or "10.0.0.0/8" */
	const char *reason;
	const char *actor;	/* "rule:ID", "analyst:NAME", "import:FILE" */
	const char *status;
	int64_t alert_id;	/* 0 = none */
	int level;		/* escalation step, 0-based */
	int64_t created_us, expires_us;
	int64_t removed_us;	/* 0 = not removed */
	const char *removed_by;
};

/* Saves b; sets b->id. 0 or VG_ERR_*. */
int block_store_add(struct vg_store *st, struct block_record *b);
/* Saves n records that differ only in target (an import): common gives the other
 * fields, targets[i] each target. Call inside a transaction. 0 or VG_ERR_*. */
int block_store_add_batch(struct vg_store *st, const struct block_record *common,
    const char *const *targets, size_t n);
/* Marks active blocks of target (NULL = every one) still in force at at_us as
 * removed by who; *n gets how many. */
int block_store_remove(struct vg_store *st, const char *target, int64_t at_us, const char *by,
    size_t *n);
/* *found: row id is still target's block created at created_us (a rolled-back
 * row is gone, and its id may since hold another). */
int block_store_exists(struct vg_store *st, int64_t id, const char *target, int64_t created_us,
    bool *found);
/* Blocks of target created at or after since_us that nobody lifted (escalation). */
int block_store_count(struct vg_store *st, const char *target, int64_t since_us,
    int64_t *count);
/* Calls fn for each block in force at now_us, oldest first, or for every block
 * (history) when now_us is 0. A non-zero return from fn stops the walk. */
typedef int (*block_record_fn)(const struct block_record *b, void *arg);
int block_store_each(struct vg_store *st, int64_t now_us, block_record_fn fn, void *arg);

#endif
