/* The assess stage: findings of every check family (vulnerabilities from versions,
 * web exposures, host baselines, the management checklist, notices) land in one
 * rectification list in the store (table findings): a stable key per finding so a
 * re-run updates the item instead of duplicating it, owner, deadline, state
 * open → fixing → fixed → verified | accepted, and an append-only history.
 * Check families plug in as rows of one table (assess/registry.c), in the
 * Suricata keyword-table style: a family runs its checks (upserting findings) and
 * re-checks exactly one item, so `vigil assess recheck` needs no family-specific
 * code. Strings passed in are copied by the store; JSON results are new
 * references the caller decrefs. */
#ifndef VG_ASSESS_H
#define VG_ASSESS_H

#include "core/log.h"
#include "core/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum assess_kind {
	ASSESS_VULN = 0,
	ASSESS_EXPOSURE,
	ASSESS_BASELINE,
	ASSESS_CHECKLIST,
	ASSESS_NOTICE,
};

enum assess_state {
	ASSESS_OPEN = 0,
	ASSESS_FIXING,
	ASSESS_FIXED,
	ASSESS_VERIFIED,
	ASSESS_ACCEPTED,
};

/* Names as stored: "vuln", "exposure", ...; "open", "fixing", ... Never NULL. */
const char *assess_kind_name(enum assess_kind k);
const char *assess_state_name(enum assess_state s);
/* 0 or VG_ERR_INVAL. */
int assess_kind_parse(const char *s, enum assess_kind *out);
int assess_state_parse(const char *s, enum assess_state *out);

/* One finding as a check family reports it. Required: family, check_id, asset,
 * title. key may be NULL: it is then "family|check_id|asset" (add a detail such as
 * a package name or URL path when one check can fail several ways on one asset).
 * target is the family's own text telling its recheck what to look at again (a
 * URL, "root=/ policy=..."); opaque to the list. */
struct assess_finding {
	enum assess_kind kind;
	const char *family;
	const char *check_id;
	const char *asset;	/* address or host name; linked to assets.address when present */
	const char *key;
	const char *target;
	const char *ref;	/* CVE id, policy id, notice ref; may be NULL */
	const char *title;
	int severity;		/* enum vg_severity */
	const char *evidence;
	const char *remediation;
	const char *fix_script;	/* a reviewed shell snippet; `assess fix --print` prints it */
	int64_t asset_id;	/* assets.id, or 0: looked up by address/host name */
	int64_t service_id;	/* services.id or 0 */
	const char *actor;	/* who reported it; NULL = "vigil" */
};

/* Creates or updates the item with f's key (one transaction): a new key opens an
 * item ("found" in its history); a known one gets the new title, severity,
 * evidence and remediation and its last_seen; a fixed or verified item seen failing
 * again is reopened ("reopened"), an accepted one stays accepted. *item_id (may be
 * NULL) gets the item's id, *created (may be NULL) whether it is new.
 * VG_ERR_INVAL when a required field is missing, else 0 or VG_ERR_STORE. */
int assess_finding_upsert(struct vg_store *st, const struct assess_finding *f,
    int64_t *item_id, bool *created);

/* The item with this key: *id and *state. VG_ERR_NOTFOUND when there is none. */
int assess_item_by_key(struct vg_store *st, const char *key, int64_t *id,
    enum assess_state *state);

/* What a recheck needs of an item (strings borrowed from the caller's row). */
struct assess_item {
	int64_t id;
	enum assess_kind kind;
	enum assess_state state;
	const char *key, *family, *check_id, *asset, *target, *ref;
	int64_t asset_id;	/* assets.id or 0 */
};

/* Records the outcome of re-running the check behind item id: a pass makes an
 * open, fixing or fixed item `verified`; a failure reopens a fixed or verified item
 * and leaves others as they are; an accepted item keeps its state. Every outcome
 * is appended to the history (actor, evidence). *to (may be NULL) gets the state. */
int assess_item_checked(struct vg_store *st, int64_t id, bool passed, const char *evidence,
    const char *actor, enum assess_state *to);

/* ---- check families ---- */

/* What a family's run and recheck get. */
struct vg_config;
struct assess_ctx {
	struct vg_store *st;
	const struct vg_config *cfg;	/* may be NULL (tests) */
	const struct vg_logger *log;
	const char *actor;	/* who started it (history) */
	const char *root;	/* host tree to judge ("/" by default) */
	void *arg;		/* the family's options from its command, or NULL */
};

struct assess_family_ops {
	const char *name;	/* as stored in findings.family: "baseline", "vuln", ... */
	enum assess_kind kind;	/* what its findings are */
	const char *doc;	/* one line for --help and README */
	/* Runs every check of the family, upserting each failure; *found (may be
	 * NULL) gets how many failed. NULL when the family only rechecks. */
	int (*run)(struct assess_ctx *ctx, size_t *found);
	/* Re-runs exactly the check behind item: *passed, and evidence (NUL-terminated,
	 * may be "") saying what was seen. VG_ERR_NOTFOUND when the check no longer
	 * exists (policy removed); other errors mean "could not check" and leave the
	 * item alone. NULL when items can only be verified by a person. */
	int (*recheck)(struct assess_ctx *ctx, const struct assess_item *item, bool *passed,
	    char *evidence, size_t evidence_size);
};

/* The family table, NULL-terminated (assess/registry.c). */
extern const struct assess_family_ops *const assess_families[];
/* The row named name in table (NULL = assess_families), or NULL. */
const struct assess_family_ops *assess_family_find(const struct assess_family_ops *const *table,
    const char *name);

/* Rechecks the items ids[0..n) (n == 0: every item not accepted or verified)
 * through their families in table (NULL = assess_families). Items whose family has
 * no recheck are skipped. *out gets a new JSON array, one object per item:
 * {id, family, check, passed (bool or null when skipped/failed), from, to,
 * evidence, error}. VG_ERR_NOTFOUND when an asked id does not exist. */
int assess_recheck(struct assess_ctx *ctx, const struct assess_family_ops *const *table,
    const int64_t *ids, size_t n, json_t **out);

/* ---- the rectification list ---- */

struct assess_filter {
	const char *state;	/* one state; NULL = all but verified and accepted unless all */
	const char *kind;	/* NULL = every kind */
	const char *asset;	/* NULL = every asset */
	const char *family;	/* NULL = every family */
	bool all;
	int min_severity;
	size_t limit;		/* 0 = no limit */
};
/* New JSON array of items, most severe and oldest deadline first: id, key, kind,
 * family, check_id, asset, ref, title, severity (name), state, owner, deadline,
 * overdue (bool), found_at, last_seen, updated_at, verified_at (RFC 3339 or null),
 * approver, target, evidence, remedy. */
int assess_item_list(struct vg_store *st, const struct assess_filter *f, json_t **out);
/* New JSON object: the list fields plus fix_script, accept_reason and "history"
 * (oldest first: at, actor, action, from, to, comment). VG_ERR_NOTFOUND. */
int assess_item_get(struct vg_store *st, int64_t id, json_t **out);
/* Sets owner and/or deadline (µs; 0 = leave) of item id. VG_ERR_NOTFOUND. */
int assess_item_assign(struct vg_store *st, int64_t id, const char *owner, int64_t deadline_us,
    const char *actor);
/* A person moves item id to `to`: open, fixing or fixed; `verified` only for an
 * item whose family has no recheck in table (a person's recheck, note required).
 * Accepting goes through assess_item_accept. VG_ERR_INVAL when refused. */
int assess_item_set_state(struct vg_store *st, const struct assess_family_ops *const *table,
    int64_t id, enum assess_state to, const char *actor, const char *note);
/* Accepts the risk of item id: approver and reason required. */
int assess_item_accept(struct vg_store *st, int64_t id, const char *approver, const char *reason,
    const char *actor);

/* Writes the items of filter f as CSV (RFC 4180, one header line) or as a JSON
 * array (with history) to out. csv cells starting with = + - @ are prefixed with
 * ' so a spreadsheet does not run them. */
int assess_export(struct vg_store *st, const struct assess_filter *f, bool csv, FILE *out);

/* The family name for hand-entered items (notices): no recheck, a person verifies. */
#define ASSESS_FAMILY_MANUAL "manual"

#endif
