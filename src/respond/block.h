/* Active response: blocking attacker addresses and networks. A blocker decides
 * (allowlist, caps, escalation, dry-run), records each decision in the store, and
 * applies it through a table of adapters (nftables, command, webhook, nginx deny
 * file). The kernel expires nftables elements itself, so a crashed vigil never
 * leaves a block in place past its time. */
#ifndef VG_BLOCK_H
#define VG_BLOCK_H

#include "core/config.h"
#include "core/event.h"
#include "core/log.h"
#include "core/store.h"
#include "respond/block_target.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One element handed to an adapter. */
struct block_entry {
	struct block_target t;
	int64_t timeout_ms;	/* remaining time; > 0 */
};

/* An enforcement back end. add/del take batches; sync replaces everything the
 * adapter holds by entries (restart, flush of nested networks), atomically where the
 * back end allows. Each returns 0 or VG_ERR_*; impl comes from open. */
struct block_adapter_ops {
	const char *name;
	int (*open)(const struct vg_config *cfg, const struct vg_logger *log, void **impl,
	    char *err, size_t err_size);
	int (*add)(void *impl, const struct block_entry *e, size_t n);
	int (*del)(void *impl, const struct block_target *t, size_t n);
	int (*sync)(void *impl, const struct block_entry *e, size_t n);
	int (*flush)(void *impl);
	/* Optional (NULL): expiry for back ends without a clock of their own. */
	int (*tick)(void *impl, int64_t now_us);
	void (*close)(void *impl);
};

/* The adapter table (block_adapters.c); NULL-terminated. */
extern const struct block_adapter_ops *const block_adapters[];
const struct block_adapter_ops *block_adapter_find(const char *name);

struct blocker;

/* Opens the adapters named in cfg->block.adapters (none in dry-run) against store
 * st (borrowed, must outlive the blocker) and loads the store's active blocks.
 * *out is freed with block_close. On failure err holds a one-line reason. */
int block_open(const struct vg_config *cfg, struct vg_store *st, const struct vg_logger *log,
    struct blocker **out, char *err, size_t err_size);
/* Re-applies every active block with its remaining time, replacing what the
 * adapters hold in one batch each (a restart keeps blocks; stale elements go). */
int block_restore(struct blocker *b);
/* Accepts NULL. Leaves the kernel's elements in place: they expire on their own. */
void block_close(struct blocker *b);

/* Why a request did not turn into a block (block_add's *outcome). */
enum block_outcome {
	BLOCK_DONE = 0,		/* applied (or recorded, in dry-run) */
	BLOCK_DRY_RUN,		/* dry-run: recorded only */
	BLOCK_ALLOWLISTED,	/* the allowlist covers it */
	BLOCK_CAPPED,		/* blocks per minute or the total cap reached */
	BLOCK_ALREADY,		/* an active block already covers it for as long */
};
const char *block_outcome_name(enum block_outcome o);

struct block_request {
	struct block_target t;
	int64_t duration_s;	/* 0 = next step of block.durations (escalation) */
	const char *reason;
	const char *actor;	/* "rule:ID", "analyst:NAME", "import:FILE" */
	int64_t alert_id;	/* 0 = none */
	bool automatic;		/* counts against block.max_per_minute */
};

/* Decides, records and applies one block. *outcome says what happened; id (may be
 * NULL) gets the store row. 0, or VG_ERR_* when the store or an adapter failed. */
int block_add(struct blocker *b, const struct block_request *rq, enum block_outcome *outcome,
    int64_t *id);
/* Lifts every active block of t (exact target); *n gets how many. Recorded as
 * removed by actor. VG_ERR_NOTFOUND when none was active. */
int block_del(struct blocker *b, const struct block_target *t, const char *actor, size_t *n);
/* Lifts every active block; *n gets how many. */
int block_flush(struct blocker *b, const char *actor, size_t *n);

struct block_import_stats {
	size_t read, added, invalid, allowlisted, capped, nested;
	double apply_s;		/* seconds the adapters took for the batch */
	double store_s;		/* seconds the store transaction took */
};
/* Reads one address or network per line ('#' comments) from path and blocks them
 * all for duration_s in one batch per adapter. */
int block_import(struct blocker *b, const char *path, int64_t duration_s, const char *actor,
    struct block_import_stats *st);

/* The sink: blocks a->source_ip when a configured trigger matches the alert
 * (rule id glob, category, minimum severity, after N events). 0 or VG_ERR_*. */
int block_on_alert(struct blocker *b, const struct vg_alert *a);
/* Expiry bookkeeping: marks blocks whose time passed as expired in the store and
 * re-applies networks that an expired wider network had hidden. Call every second
 * or so. */
int block_tick(struct blocker *b, int64_t now_us);

struct block_stats {
	uint64_t added, dry_run, allowlisted, capped, already, expired, removed, adapter_errors;
	size_t active;
};
void block_get_stats(const struct blocker *b, struct block_stats *out);

/* Active (or all, with history) block records from st as a new JSON array;
 * caller decrefs. Needs no adapter, so any user who can read the store may list. */
int block_list(struct vg_store *st, bool history, json_t **out);

#endif
