/* The blocker: turns an alert, an analyst's command or an imported list into block
 * decisions. Order of checks: allowlist (always wins), an active block that already
 * covers the target, caps, escalation; then the adapters act and the store records.
 * The adapters act before the store write so the packets stop as early as possible;
 * the ledger (block_ledger.c) then holds the record until it is known committed, so
 * a rolled-back write is written again rather than lost. Lifting goes the other
 * way: the store first, then the adapters. Active blocks are mirrored in a hash
 * table keyed by target; whether a network covers a target is one lookup per
 * prefix length in use, not a scan. */
#include "respond/block_int.h"
#include "respond/block_ledger.h"
#include "core/err.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ADAPTERS 4

struct trigger {
	const char *rule, *category;	/* borrowed from the config */
	int min_severity;		/* -1 = any */
	long long after, duration;
};

struct blocker {
	const struct vg_config *cfg;
	struct vg_store *st;
	const struct vg_logger *log;
	struct {
		const struct block_adapter_ops *ops;
		void *impl;
	} ad[MAX_ADAPTERS];
	size_t n_ad;
	struct block_target *allow;
	size_t n_allow;
	int64_t *durations;		/* seconds */
	size_t n_durations;
	struct trigger *trig;
	size_t n_trig;
	struct block_table tab;
	struct block_ledger ledger;
	bool hidden_nets;		/* a restore left nested networks out of the kernel */
	int64_t minute_start_us;
	long long minute_count;
	bool minute_logged;
	struct block_stats stats;
};

const char *
block_outcome_name(enum block_outcome o)
{
	static const char *const names[] = { "blocked", "dry-run", "allowlisted", "capped",
		"already-blocked" };
	return (unsigned)o < sizeof(names) / sizeof(names[0]) ? names[o] : "?";
}

static int
setup_lists(struct blocker *b, char *err, size_t err_size)
{
	const struct vg_config *cfg = b->cfg;
	static const int64_t default_steps[] = { 600, 3600, 86400 };

	b->allow = calloc(cfg->block.allowlist.n + 1, sizeof(*b->allow));
	b->durations = calloc(cfg->block.durations.n + 3, sizeof(*b->durations));
	b->trig = calloc(cfg->block.triggers.n + 1, sizeof(*b->trig));
	if (!b->allow || !b->durations || !b->trig)
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < cfg->block.allowlist.n; i++) {
		if (block_target_parse(cfg->block.allowlist.items[i], &b->allow[i]) != VG_OK) {
			snprintf(err, err_size, "block.allowlist[%zu]: '%s' is not an address or "
			    "network", i, cfg->block.allowlist.items[i]);
			return VG_ERR_CONFIG;
		}
		b->n_allow++;
	}
	for (size_t i = 0; i < cfg->block.durations.n; i++) {
		long long s;
		if (vg_parse_duration(cfg->block.durations.items[i], &s) != VG_OK || s <= 0) {
			snprintf(err, err_size, "block.durations[%zu]: '%s' is not a duration", i,
			    cfg->block.durations.items[i]);
			return VG_ERR_CONFIG;
		}
		b->durations[b->n_durations++] = s;
	}
	if (b->n_durations == 0)
		for (size_t i = 0; i < 3; i++)
			b->durations[b->n_durations++] = default_steps[i];
	for (size_t i = 0; i < cfg->block.triggers.n; i++) {
		const struct vg_block_trigger_cfg *t = vg_config_block_trigger(cfg, i);
		enum vg_severity sev;
		b->trig[i] = (struct trigger){ t->rule, t->category, -1, t->after, t->duration };
		if (t->severity && vg_severity_parse(t->severity, &sev) == VG_OK)
			b->trig[i].min_severity = (int)sev;
		b->n_trig++;
	}
	return VG_OK;
}

static int
load_active(const struct block_record *sb, void *arg)
{
	struct blocker *b = arg;
	struct block_target t;
	if (block_target_parse(sb->target, &t) != VG_OK)
		return 0;	/* a row we cannot read must not stop the others */
	return block_table_put(&b->tab, &t, sb->expires_us);
}

static int
open_adapters(struct blocker *b, char *err, size_t err_size)
{
	const struct vg_cfg_strlist *names = &b->cfg->block.adapters;
	static const char *const def[] = { "nftables" };
	size_t n = names->n ? names->n : 1;
	int r;

	if (n > MAX_ADAPTERS) {
		snprintf(err, err_size, "block.adapters: at most %d", MAX_ADAPTERS);
		return VG_ERR_CONFIG;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = names->n ? names->items[i] : def[i];
		const struct block_adapter_ops *ops = block_adapter_find(name);
		if (!ops) {
			snprintf(err, err_size, "block.adapters[%zu]: unknown adapter '%s'", i, name);
			return VG_ERR_CONFIG;
		}
		if ((r = ops->open(b->cfg, b->log, &b->ad[i].impl, err, err_size)) != VG_OK)
			return r;
		b->ad[i].ops = ops;
		b->n_ad++;
	}
	return VG_OK;
}

int
block_open(const struct vg_config *cfg, struct vg_store *st, const struct vg_logger *log,
    struct blocker **out, char *err, size_t err_size)
{
	struct blocker *b = calloc(1, sizeof(*b));
	int r;

	*out = NULL;
	if (err_size)
		err[0] = '\0';
	if (!b)
		return VG_ERR_NOMEM;
	b->cfg = cfg;
	b->st = st;
	b->log = log;
	if ((r = setup_lists(b, err, err_size)) != VG_OK ||
	    (r = block_table_init(&b->tab)) != VG_OK)
		goto fail;
	if (!cfg->block.dry_run && (r = open_adapters(b, err, err_size)) != VG_OK)
		goto fail;
	if ((r = block_store_each(st, vg_now_us(), load_active, b)) != VG_OK) {
		snprintf(err, err_size, "cannot read active blocks: %s", vg_strerror(r));
		goto fail;
	}
	*out = b;
	return VG_OK;
fail:
	if (!err[0])
		snprintf(err, err_size, "%s", vg_strerror(r));
	block_close(b);
	return r;
}

/* Before closing: records still unwritten are written once more, and a block
 * whose record cannot be written is lifted, so none outlives vigil unrecorded. */
static void
settle_final(struct blocker *b)
{
	size_t n = 0;
	block_ledger_settle(&b->ledger, b->st, &n);
	block_ledger_settle(&b->ledger, b->st, &n);	/* drops the rows just written */
	for (size_t i = 0; i < b->ledger.n; i++) {
		const struct block_target *t = &b->ledger.v[i].t;
		char target[BLOCK_TARGET_MAX];
		block_target_format(t, target, sizeof(target));
		vg_warn(b->log, "block: %s could not be recorded (%s); lifting it", target,
		    store_errmsg(b->st));
		for (size_t j = 0; j < b->n_ad; j++)
			b->ad[j].ops->del(b->ad[j].impl, t, 1);
	}
}

void
block_close(struct blocker *b)
{
	if (!b)
		return;
	if (b->st)
		settle_final(b);
	block_ledger_free(&b->ledger);
	for (size_t i = 0; i < b->n_ad; i++)
		b->ad[i].ops->close(b->ad[i].impl);
	block_table_free(&b->tab);
	free(b->allow);
	free(b->durations);
	free(b->trig);
	free(b);
}

bool
block_allowlisted(const struct blocker *b, const struct block_target *t)
{
	/* Either direction: blocking 10.0.0.0/8 would also block an allowed 10.1.1.1. */
	for (size_t i = 0; i < b->n_allow; i++)
		if (block_target_contains(&b->allow[i], t) || block_target_contains(t, &b->allow[i]))
			return true;
	return false;
}

/* Builds the kernel's view of the active blocks: every address, and the networks
 * no wider active network covers (nested intervals cannot coexist in a set). */
static int
collect_entries(struct blocker *b, int64_t now_us, struct block_entry **out, size_t *n_out)
{
	size_t n = 0;
	struct block_entry *e = calloc(b->tab.n_live + 1, sizeof(*e));

	*out = NULL;
	*n_out = 0;
	if (!e)
		return VG_ERR_NOMEM;
	b->hidden_nets = false;
	for (size_t i = 0; i < b->tab.cap; i++) {
		const struct block_slot *s = &b->tab.slots[i];
		if (s->state != BLOCK_SLOT_USED || s->expires_us <= now_us)
			continue;
		if (!block_target_is_host(&s->t) && block_table_covering(&b->tab, &s->t, true, now_us)) {
			b->hidden_nets = true;
			continue;
		}
		e[n].t = s->t;
		e[n].timeout_ms = (s->expires_us - now_us + 999) / 1000;
		n++;
	}
	*out = e;
	*n_out = n;
	return VG_OK;
}

int
block_restore(struct blocker *b)
{
	struct block_entry *e = NULL;
	size_t n = 0;
	int r, ret = VG_OK;

	if ((r = collect_entries(b, vg_now_us(), &e, &n)) != VG_OK)
		return r;
	for (size_t i = 0; i < b->n_ad; i++)
		if ((r = b->ad[i].ops->sync(b->ad[i].impl, e, n)) != VG_OK) {
			b->stats.adapter_errors++;
			ret = r;
		}
	free(e);
	return ret;
}

int
block_reload(struct blocker *b)
{
	int r;
	block_table_clear(&b->tab);
	if ((r = block_store_each(b->st, vg_now_us(), load_active, b)) != VG_OK)
		return r;
	return block_restore(b);
}

/* Applies entries through every adapter; an interval clash (a network nested in
 * another) is resolved by replacing the adapter's whole view. 0 if any adapter
 * took them. */
static int
apply(struct blocker *b, const struct block_entry *e, size_t n, bool replace)
{
	int ok = 0, last = VG_OK, r;

	for (size_t i = 0; i < b->n_ad; i++) {
		if (replace)
			for (size_t j = 0; j < n; j++)
				b->ad[i].ops->del(b->ad[i].impl, &e[j].t, 1);
		r = b->ad[i].ops->add(b->ad[i].impl, e, n);
		if (r == VG_ERR_BUSY) {
			struct block_entry *all = NULL;
			size_t n_all = 0;
			if ((r = collect_entries(b, vg_now_us(), &all, &n_all)) == VG_OK)
				r = b->ad[i].ops->sync(b->ad[i].impl, all, n_all);
			free(all);
		}
		if (r == VG_OK)
			ok++;
		else {
			b->stats.adapter_errors++;
			last = r;
		}
	}
	return ok || b->n_ad == 0 ? VG_OK : last;
}

const struct block_slot *
block_covering(const struct blocker *b, const struct block_target *t, int64_t now_us)
{
	return block_table_covering(&b->tab, t, false, now_us);
}

bool
block_has_room(const struct blocker *b)
{
	return b->tab.n_live < (size_t)b->cfg->block.max_total;
}

bool block_dry_run(const struct blocker *b) { return b->cfg->block.dry_run; }
struct vg_store *block_get_store(const struct blocker *b) { return b->st; }

int
block_note(struct blocker *b, const struct block_target *t, int64_t expires_us)
{
	return block_table_put(&b->tab, t, expires_us);
}

size_t block_active_count(const struct blocker *b) { return b->tab.n_live; }

int
block_apply(struct blocker *b, const struct block_entry *e, size_t n, bool replace)
{
	int r = replace ? block_restore(b) : apply(b, e, n, false);
	if (r == VG_OK)
		b->stats.added += n;
	return r;
}

static bool
over_minute_cap(struct blocker *b, int64_t now_us)
{
	if (now_us - b->minute_start_us >= 60 * 1000000LL) {
		b->minute_start_us = now_us;
		b->minute_count = 0;
		b->minute_logged = false;
	}
	if (b->minute_count < b->cfg->block.max_per_minute)
		return false;
	if (!b->minute_logged)
		vg_warn(b->log, "block: %lld blocks this minute (block.max_per_minute); holding "
		    "further automatic blocks until the minute ends", b->minute_count);
	b->minute_logged = true;
	return true;
}

static int64_t
escalated_duration(struct blocker *b, const char *target, int64_t now_us, int *level)
{
	int64_t seen = 0;
	int64_t since = now_us - (int64_t)b->cfg->block.repeat_window * 1000000;
	if (block_store_count(b->st, target, since, &seen) != VG_OK)
		seen = 0;	/* the first step is the safe guess */
	*level = seen < (int64_t)b->n_durations ? (int)seen : (int)b->n_durations - 1;
	return b->durations[*level];
}

int
block_add(struct blocker *b, const struct block_request *rq, enum block_outcome *outcome,
    int64_t *id)
{
	char target[BLOCK_TARGET_MAX], detail[256];
	int64_t now = vg_now_us(), dur = rq->duration_s, exp_us;
	const struct block_slot *cover;
	int level = 0, r;

	*outcome = BLOCK_DONE;
	if (id)
		*id = 0;
	if (rq->t.prefix == 0)
		return VG_ERR_INVAL;
	if (block_allowlisted(b, &rq->t)) {
		b->stats.allowlisted++;
		*outcome = BLOCK_ALLOWLISTED;
		return VG_OK;
	}
	cover = block_table_covering(&b->tab, &rq->t, false, now);
	if (cover && (dur == 0 || cover->expires_us >= now + dur * 1000000)) {
		bool rewritten;
		b->stats.already++;
		*outcome = BLOCK_ALREADY;
		/* The alert of a rolled-back round comes again: its block is still in
		 * force, its record may have gone with the round. */
		return block_ledger_relink(&b->ledger, b->st, &rq->t, rq->alert_id, &rewritten);
	}
	const struct block_slot *exact = block_table_get(&b->tab, &rq->t, now);
	if ((rq->automatic && over_minute_cap(b, now)) ||
	    (!exact && b->tab.n_live >= (size_t)b->cfg->block.max_total)) {
		b->stats.capped++;
		*outcome = BLOCK_CAPPED;
		return VG_OK;
	}
	block_target_format(&rq->t, target, sizeof(target));
	if (dur == 0)
		dur = escalated_duration(b, target, now, &level);
	exp_us = now + dur * 1000000;
	/* In the table first, so a clash-driven resync already includes it. */
	if ((r = block_table_put(&b->tab, &rq->t, exp_us)) != VG_OK)
		return r;
	if (b->cfg->block.dry_run) {
		*outcome = BLOCK_DRY_RUN;
		b->stats.dry_run++;
	} else {
		struct block_entry e = { rq->t, dur * 1000 };
		if ((r = apply(b, &e, 1, exact != NULL)) != VG_OK) {
			block_table_del(&b->tab, &rq->t);
			return r;
		}
		b->stats.added++;
	}
	if (rq->automatic)
		b->minute_count++;
	struct block_record sb = { .target = target, .reason = rq->reason, .actor = rq->actor,
		.status = b->cfg->block.dry_run ? "dry_run" : "active", .alert_id = rq->alert_id,
		.level = level, .created_us = now, .expires_us = exp_us };
	int64_t row = 0;
	/* A failed write stays in the ledger and is retried; the block stays in force. */
	if ((r = block_ledger_record(&b->ledger, b->st, &rq->t, &sb, &row)) != VG_OK)
		return r;
	if (id)
		*id = row;
	if (!rq->automatic) {
		snprintf(detail, sizeof(detail), "%s for %llds (block #%lld)%s", target,
		    (long long)dur, (long long)row, b->cfg->block.dry_run ? " dry-run" : "");
		r = store_audit(b->st, rq->actor, "block.add", detail);
	}
	return r;
}

int
block_del(struct blocker *b, const struct block_target *t, const char *actor, size_t *n)
{
	char target[BLOCK_TARGET_MAX];
	bool had = block_table_get(&b->tab, t, vg_now_us()) != NULL;
	int r;

	*n = 0;
	block_target_format(t, target, sizeof(target));
	/* The record first: a failed write leaves the block in force and on record. */
	if ((r = block_store_remove(b->st, target, vg_now_us(), actor, n)) != VG_OK)
		return r;
	if (*n == 0 && !had)
		return VG_ERR_NOTFOUND;
	block_ledger_forget(&b->ledger, t);
	for (size_t i = 0; i < b->n_ad; i++) {
		r = b->ad[i].ops->del(b->ad[i].impl, t, 1);
		if (r != VG_OK && r != VG_ERR_NOTFOUND)
			b->stats.adapter_errors++;
	}
	block_table_del(&b->tab, t);
	b->stats.removed += *n;
	/* A network may have hidden narrower ones that must now take its place. */
	if (!block_target_is_host(t) && (r = block_restore(b)) != VG_OK)
		return r;
	return store_audit(b->st, actor, "block.del", target);
}

int
block_flush(struct blocker *b, const char *actor, size_t *n)
{
	int r;

	*n = 0;
	if ((r = block_store_remove(b->st, NULL, vg_now_us(), actor, n)) != VG_OK)
		return r;
	block_ledger_forget(&b->ledger, NULL);
	for (size_t i = 0; i < b->n_ad; i++)
		if (b->ad[i].ops->flush(b->ad[i].impl) != VG_OK)
			b->stats.adapter_errors++;
	block_table_clear(&b->tab);
	b->stats.removed += *n;
	return store_audit(b->st, actor, "block.flush", NULL);
}

int
block_tick(struct blocker *b, int64_t now_us)
{
	size_t purged_nets = 0, rewritten = 0;
	int r = block_ledger_settle(&b->ledger, b->st, &rewritten);
	if (rewritten)
		vg_warn(b->log, "block: %zu block record%s written again (lost with a rolled-back "
		    "batch or a failed write)", rewritten, rewritten == 1 ? "" : "s");
	if (r != VG_OK)
		vg_warn(b->log, "block: cannot write block records (%s); will retry",
		    store_errmsg(b->st));
	for (size_t i = 0; i < b->n_ad; i++)
		if (b->ad[i].ops->tick && b->ad[i].ops->tick(b->ad[i].impl, now_us) != VG_OK)
			b->stats.adapter_errors++;
	b->stats.expired += block_table_expire(&b->tab, now_us, &purged_nets);
	if (purged_nets && b->hidden_nets)
		return block_restore(b);
	return r;
}
static bool
glob_ok(const char *pattern, const char *value)
{
	return !pattern || (value && fnmatch(pattern, value, 0) == 0);
}

int
block_on_alert(struct blocker *b, const struct vg_alert *a)
{
	struct block_request rq = { .automatic = true, .alert_id = a->id };
	char actor[160];
	enum block_outcome o;

	if (!a->source_ip[0] || b->n_trig == 0)
		return VG_OK;
	for (size_t i = 0; i < b->n_trig; i++) {
		const struct trigger *t = &b->trig[i];
		if (!glob_ok(t->rule, a->rule_id) || !glob_ok(t->category, a->category) ||
		    (int)a->severity < t->min_severity || a->count < (uint64_t)t->after)
			continue;
		if (block_target_parse(a->source_ip, &rq.t) != VG_OK)
			return VG_OK;	/* not an address (a hostname in a log) */
		snprintf(actor, sizeof(actor), "rule:%s", a->rule_id);
		rq.actor = actor;
		rq.reason = a->title ? a->title : a->rule_id;
		rq.duration_s = t->duration;
		return block_add(b, &rq, &o, NULL);
	}
	return VG_OK;
}

void
block_get_stats(const struct blocker *b, struct block_stats *out)
{
	*out = b->stats;
	out->active = b->tab.n_live;
}
