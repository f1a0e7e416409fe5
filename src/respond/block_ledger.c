/* The ledger: block records the blocker wrote but does not yet know committed.
 * In watch a block's row goes into the round's transaction, which may roll back
 * after the kernel already drops the address; the ledger keeps each record until
 * a read outside any round (block_tick) sees its row, and writes it again if not,
 * so a block in force is never left unrecorded. */
#include "respond/block_ledger.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

void
block_ledger_free(struct block_ledger *lg)
{
	for (size_t i = 0; i < lg->n; i++) {
		free(lg->v[i].reason);
		free(lg->v[i].actor);
	}
	free(lg->v);
	memset(lg, 0, sizeof(*lg));
}

static void
drop(struct block_ledger *lg, size_t i)
{
	free(lg->v[i].reason);
	free(lg->v[i].actor);
	lg->v[i] = lg->v[--lg->n];
}

void
block_ledger_forget(struct block_ledger *lg, const struct block_target *t)
{
	for (size_t i = 0; i < lg->n;)
		if (!t || block_target_cmp(&lg->v[i].t, t) == 0)
			drop(lg, i);
		else
			i++;
}

/* Writes e's record now; e->id is 0 while it is not written. */
static int
write_entry(struct vg_store *st, struct block_ledger_entry *e)
{
	char target[BLOCK_TARGET_MAX];
	block_target_format(&e->t, target, sizeof(target));
	struct block_record r = { .target = target, .reason = e->reason, .actor = e->actor,
		.status = e->dry_run ? "dry_run" : "active", .alert_id = e->alert_id,
		.level = e->level, .created_us = e->created_us, .expires_us = e->expires_us };
	int rc = block_store_add(st, &r);
	e->id = rc == VG_OK ? r.id : 0;
	return rc;
}

int
block_ledger_record(struct block_ledger *lg, struct vg_store *st, const struct block_target *t,
    const struct block_record *rec, int64_t *id)
{
	struct block_ledger_entry *e;

	*id = 0;
	block_ledger_forget(lg, t);	/* the newer decision is the one to keep */
	if (lg->n == lg->cap) {
		size_t nc = lg->cap ? lg->cap * 2 : 16;
		struct block_ledger_entry *nv = realloc(lg->v, nc * sizeof(*nv));
		if (!nv)
			return VG_ERR_NOMEM;
		lg->v = nv;
		lg->cap = nc;
	}
	e = &lg->v[lg->n];
	*e = (struct block_ledger_entry){ .t = *t, .alert_id = rec->alert_id, .level = rec->level,
		.created_us = rec->created_us, .expires_us = rec->expires_us,
		.dry_run = rec->status && strcmp(rec->status, "dry_run") == 0,
		.reason = rec->reason ? strdup(rec->reason) : NULL,
		.actor = rec->actor ? strdup(rec->actor) : NULL };
	if ((rec->reason && !e->reason) || (rec->actor && !e->actor)) {
		free(e->reason);
		free(e->actor);
		return VG_ERR_NOMEM;
	}
	lg->n++;
	int r = write_entry(st, e);
	*id = e->id;
	return r;
}

/* True when e's row is in the store as this process sees it. */
static bool
on_record(struct vg_store *st, const struct block_ledger_entry *e)
{
	char target[BLOCK_TARGET_MAX];
	bool found = false;
	if (e->id == 0)
		return false;
	block_target_format(&e->t, target, sizeof(target));
	return block_store_exists(st, e->id, target, e->created_us, &found) == VG_OK && found;
}

int
block_ledger_relink(struct block_ledger *lg, struct vg_store *st, const struct block_target *t,
    int64_t alert_id, bool *rewritten)
{
	*rewritten = false;
	for (size_t i = 0; i < lg->n; i++) {
		struct block_ledger_entry *e = &lg->v[i];
		if (block_target_cmp(&e->t, t) != 0 || on_record(st, e))
			continue;
		/* The round that held the row rolled back; this one re-raised the alert. */
		e->alert_id = alert_id;
		*rewritten = true;
		return write_entry(st, e);
	}
	return VG_OK;
}

int
block_ledger_settle(struct block_ledger *lg, struct vg_store *st, size_t *rewritten)
{
	int ret = VG_OK;

	*rewritten = 0;
	for (size_t i = 0; i < lg->n;) {
		struct block_ledger_entry *e = &lg->v[i];
		if (on_record(st, e)) {
			drop(lg, i);
			continue;
		}
		/* An alert id from a rolled-back round may since name another alert. */
		e->alert_id = 0;
		int r = write_entry(st, e);
		if (r == VG_OK)
			(*rewritten)++;
		else
			ret = r;
		i++;	/* checked again next time, outside whatever transaction this was */
	}
	return ret;
}
