/* The duty team's workflow on the store: alerts grouped into incidents that walk
 * new → acknowledged → verified → disposed → feedback → closed, false-positive
 * suppressions, regulator notices, the duty roster and SLA clocks with escalation.
 * Everything lives in the store, so the CLI, the daemon and the web console see
 * one truth. Read results come back as new jansson objects (caller decrefs);
 * strings passed in are copied. Every state change is appended to the record's
 * history and to the audit log in one transaction. */
#ifndef VG_CASES_H
#define VG_CASES_H

#include "core/config.h"
#include "core/event.h"
#include "core/log.h"
#include "core/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cases;

enum cases_state {
	CASES_NEW = 0,
	CASES_ACKNOWLEDGED,
	CASES_VERIFIED,
	CASES_DISPOSED,
	CASES_FEEDBACK,
	CASES_CLOSED,
};

enum cases_action {
	CASES_ACK = 0,
	CASES_VERIFY,
	CASES_DISPOSE,	/* may repeat while disposed: each adds an action */
	CASES_FEEDBACK_GIVEN,
	CASES_CLOSE,
};

enum cases_verdict {
	CASES_VERDICT_NONE = 0,
	CASES_TRUE_POSITIVE,
	CASES_FALSE_POSITIVE,
};

/* Names as stored and printed: "new", "acknowledged", ...; "ack", "verify", ...;
 * "true_positive", "false_positive". Never NULL ("?" when out of range). */
const char *cases_state_name(enum cases_state s);
const char *cases_action_name(enum cases_action a);
const char *cases_verdict_name(enum cases_verdict v);
/* 0 or VG_ERR_INVAL. Verdict parsing accepts "tp"/"fp" too. */
int cases_state_parse(const char *s, enum cases_state *out);
int cases_verdict_parse(const char *s, enum cases_verdict *out);

/* The state machine, pure: the state act leads to from `from`, given the
 * incident's verdict (the new one for CASES_VERIFY). A true positive goes
 * verified → disposed → feedback → closed; a false positive skips disposal
 * (verified → feedback or closed). VG_ERR_INVAL when the step is not allowed. */
int cases_next_state(enum cases_state from, enum cases_action act, enum cases_verdict verdict,
    enum cases_state *to);

/* Called when something should be told to people: kind is "incident",
 * "escalation" or "notice"; key is a stable idempotency key for this event;
 * msg (borrowed, valid during the call) holds id, title, severity, state,
 * recipient ... Return value is ignored: a failed enqueue is logged by the hook. */
typedef void (*cases_notify_fn)(void *arg, const char *kind, int severity, const char *key,
    const json_t *msg);

/* Opens the workflow over an open store. st, cfg and log are borrowed and must
 * outlive the handle. *out on success; close with cases_close (accepts NULL). */
int cases_open(struct vg_store *st, const struct vg_config *cfg, const struct vg_logger *log,
    struct cases **out);
void cases_close(struct cases *cs);
void cases_set_notify(struct cases *cs, cases_notify_fn fn, void *arg);

/* Parses a time given by a person: "now", "+30m" / "-2h" (relative to now_us),
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" (local time) or RFC 3339 with "Z"
 * (UTC). *us gets µs since the epoch. 0 or VG_ERR_PARSE. */
int cases_parse_time(const char *s, int64_t now_us, int64_t *us);

/* ---- incidents ---- */

/* The grouping key of an alert under cases.group_by, e.g.
 * "source_ip=203.0.113.7|family=sqli" (family is the rule category); pure.
 * 0, or VG_ERR_LIMIT when buf is too small. */
int cases_group_key(const struct cases *cs, const struct vg_alert *a, char *buf, size_t size);

/* Files one saved alert (a->id set) into an incident: joins the open incident
 * with the same key whose last alert is within cases.window, else opens a new
 * one (and calls the notify hook). Alerts matching an active suppression are not
 * filed: *incident_id is 0 then. Filing the same alert twice is a no-op. */
int cases_ingest_alert(struct cases *cs, const struct vg_alert *a, int64_t *incident_id);
/* Files every stored alert not yet seen (a cursor in the store remembers where
 * it stopped), at most limit (0 = all). *n (may be NULL) gets how many. */
int cases_ingest_pending(struct cases *cs, size_t limit, size_t *n);

struct cases_filter {
	const char *state;	/* one state name; NULL = every state but closed */
	bool all;		/* include closed ones (when state is NULL) */
	int min_severity;	/* 0 = all */
	size_t limit;		/* 0 = 100 */
	int64_t before_id;	/* paging: only ids below this; 0 = newest first */
};
/* New JSON array of incident objects, newest first, each with id, title,
 * severity (name), state, verdict, source_ip, target, family, alert_count,
 * first_seen/last_seen/created_at (RFC 3339), due_at (or null), overdue (bool),
 * escalation, assignee. Caller decrefs *out. */
int cases_incident_list(struct cases *cs, const struct cases_filter *f, json_t **out);
/* New JSON object: the list fields plus "history" (oldest first: at, actor,
 * action, from, to, comment), "alerts" (ids and titles), "actions" (disposal
 * actions) and "feedback". VG_ERR_NOTFOUND if no such incident. */
int cases_incident_get(struct cases *cs, int64_t id, json_t **out);

struct cases_step {
	const char *actor;	/* required: who */
	const char *comment;	/* may be NULL */
	enum cases_verdict verdict;	/* CASES_VERIFY: required */
	const char *action;	/* CASES_DISPOSE: restore|quarantine|block|other (required) */
	const char *target;	/* CASES_DISPOSE: what it acted on (path, IP); may be NULL */
	const char *result;	/* CASES_DISPOSE: outcome text; may be NULL */
	const char *feedback;	/* CASES_FEEDBACK_GIVEN: the text sent back (required) */
};
/* Applies act to incident id. VG_ERR_NOTFOUND (no incident), VG_ERR_INVAL (the
 * state machine refuses, or a required field is missing), VG_ERR_STORE. */
int cases_incident_transition(struct cases *cs, int64_t id, enum cases_action act,
    const struct cases_step *step);

/* Links an action vigil itself took (a restore or quarantine by the web-root
 * guard, a block) to incident id without changing its state; recorded in its
 * history and the audit log. kind and actor are required. */
int cases_incident_link_action(struct cases *cs, int64_t id, const char *kind,
    const char *target, const char *actor, const char *result);

/* Turns a false-positive incident into a suppression of its rule for the given
 * source IP and/or path (NULL = the incident's own source IP), expiring after
 * expires_s seconds (0 = cases.suppress_expiry). *sid (may be NULL) gets its id.
 * VG_ERR_INVAL unless the incident's verdict is false_positive. */
int cases_suppress(struct cases *cs, int64_t incident_id, const char *source_ip,
    const char *path, int64_t expires_s, const char *author, const char *reason,
    int64_t *sid);
/* True in *hit when an unexpired suppression covers rule_id with this source
 * IP / path (NULL = absent); counts the hit. */
int cases_suppressed(struct cases *cs, const char *rule_id, const char *source_ip,
    const char *path, bool *hit);
/* New JSON array of suppressions (expired ones too, with "active"). */
int cases_suppression_list(struct cases *cs, json_t **out);

/* ---- SLA clocks and escalation ---- */

/* When the clock of an item of this severity in this state runs out, counted
 * from created_us (acknowledge clock while new, dispose clock until disposed);
 * *due_us = 0 when no clock runs. Pure. */
void cases_sla_due(const struct vg_config *cfg, int severity, enum cases_state state,
    int64_t created_us, int64_t *due_us);
/* Escalates every open incident and notice whose clock ran out by now_us: bumps
 * its escalation level, names the next person in the roster (cases_duty_now
 * order), records it, calls the notify hook, and restarts the clock. *n (may be
 * NULL) gets how many escalated. */
int cases_sla_check(struct cases *cs, int64_t now_us, size_t *n);

/* The situation of open incidents for the overview: {"open": N, "overdue": N,
 * "by_severity": {name: N}, "by_state": {name: N}, "due": [the most urgent
 * clocks, up to limit, each {id, title, severity, state, due_at, due_in_s,
 * overdue}]}. New object (caller decrefs). */
int cases_incident_summary(struct cases *cs, int64_t now_us, size_t limit, json_t **out);

/* ---- notices (vulnerability / incident / internet-asset) ---- */

struct cases_notice {
	const char *kind;		/* vulnerability|incident|asset */
	const char *ref;		/* issuer's reference; with issuer, unique */
	const char *title;
	const char *asset;
	int severity;			/* enum vg_severity */
	const char *owner;
	int64_t deadline_us;		/* 0 = none */
	const char *required_feedback;
	const char *issuer;		/* regulator / supervising unit */
	const char *detail;
};
/* Adds a notice; *id (may be NULL) gets its id. VG_ERR_INVAL for a missing
 * field, VG_ERR_BUSY... from the store; a duplicate (issuer, ref) is VG_ERR_INVAL. */
int cases_notice_add(struct cases *cs, const struct cases_notice *n, const char *actor,
    int64_t *id);
/* Imports a CSV (header row naming the fields above, deadline as RFC 3339 or
 * "YYYY-MM-DD HH:MM") or a JSON array of objects. Rows already present (same
 * issuer and ref) are skipped. err gets "file:line: reason" for the first bad
 * row; nothing is imported then. Each new notice goes to the notify hook. */
int cases_notice_import(struct cases *cs, const char *path, const char *actor, size_t *added,
    size_t *skipped, char *err, size_t err_size);
/* The same from len bytes in memory (the console's import form); name stands for
 * the file name in err and the audit row. */
int cases_notice_import_text(struct cases *cs, const char *text, size_t len, const char *name,
    const char *actor, size_t *added, size_t *skipped, char *err, size_t err_size);
/* New JSON array (open ones unless all), or one object with "history". */
int cases_notice_list(struct cases *cs, bool all, json_t **out);
int cases_notice_get(struct cases *cs, int64_t id, json_t **out);
/* Closes a notice with a re-check verdict (fixed|mitigated|not_affected|accepted)
 * and note; *feedback (may be NULL; caller frees) gets the feedback text built
 * from the notice's required feedback, the verdict and the note. */
int cases_notice_close(struct cases *cs, int64_t id, const char *verdict, const char *note,
    const char *actor, char **feedback);

/* ---- duty roster ---- */

struct cases_shift {
	const char *person;
	const char *contact;		/* e-mail or mobile number, used by routing */
	int64_t starts_us, ends_us;	/* ends > starts; with daily, only time of day counts */
	bool daily;			/* repeats every day (7x24 rotations) */
	int order;			/* escalation order among people on duty: 0 first */
};
int cases_duty_add(struct cases *cs, const struct cases_shift *s, const char *actor,
    int64_t *id);
/* New JSON array of all shifts. */
int cases_duty_list(struct cases *cs, json_t **out);
/* New JSON array of the people on duty at now_us, in escalation order (the first
 * is on duty; the rest are who an overdue item goes to next). */
int cases_duty_now(struct cases *cs, int64_t now_us, json_t **out);
int cases_duty_handover(struct cases *cs, const char *from, const char *to, const char *note,
    const char *actor);
/* New JSON array of handover notes, newest first, at most limit (0 = 20). */
int cases_duty_handovers(struct cases *cs, size_t limit, json_t **out);

#endif
