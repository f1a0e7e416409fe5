/* Correlation: turns per-event rule hits into aggregated alerts — one per (rule,
 * source) per window with a count and first/last seen — and raises the alerts no
 * single line shows (directory busting, brute force of sshd, HTTP auth and web login
 * forms (many POSTs to one login path), login success after failures,
 * one source firing many different attack rules). Time is the events' own time, so
 * replaying an old log gives the same alerts as watching it live. State per source
 * is bounded: an LRU with a hard cap, evictions counted. */
#ifndef VG_CORRELATE_H
#define VG_CORRELATE_H

#include "core/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A rule that matched one event. Strings must outlive the correlator (rule tables). */
struct correlate_hit {
	const char *rule_id;
	const char *title;
	const char *category;
	const char *mitre;
	enum vg_severity severity;
	const char *field;	/* ECS name of the matched field */
	const char *text;	/* matched text (copied, bounded), or NULL and text_fn: */
	size_t text_len;
	/* finds the text when an alert needs it (a hit that only joins one does not);
	 * valid until its detector's next event */
	size_t (*text_fn)(const void *ctx, const char **text);
	const void *text_ctx;
	/* 0: one aggregate per (rule, source). Else also one per distinct first key_len
	 * bytes of text (webshell.accessed: one alert per file a source asks for). */
	size_t key_len;
};

struct correlate_config {
	size_t max_sources;		/* LRU cap on tracked source addresses */
	size_t max_alerts_per_source;	/* open aggregates per source; more are counted dropped */
	int64_t window_us;		/* aggregation window per (rule, source) */
	unsigned dirbust_paths;		/* distinct 404 paths ... */
	int64_t dirbust_window_us;	/* ... within this time = directory busting */
	unsigned bruteforce_failures;	/* failed logins (or POSTs to one login path) ... */
	int64_t bruteforce_window_us;	/* ... within this time = brute force */
	unsigned attacker_rules;	/* distinct attack rules (medium or worse) from one source ... */
	int64_t attacker_window_us;	/* ... within this time = active attacker */
};

/* Defaults: 100,000 sources, 32 aggregates each, 5 min windows, 20 distinct 404s
 * in 60 s, 10 failures in 120 s, 3 distinct rules in 10 min. */
void correlate_config_default(struct correlate_config *cfg);

struct correlator;

enum correlate_emit {
	CORRELATE_OPENED,	/* first hit of a new aggregate: alert now (a->id is 0) */
	CORRELATE_UPDATED,	/* a later hit joined an open aggregate (a->count grew) */
	CORRELATE_CLOSED,	/* window over (or flush/eviction): final count; a->id is what
				   the OPENED callback stored in it, if anything */
};

/* Receives alerts. a and its strings are valid during the call only; the OPENED call
 * may set a->id (e.g. the store id) and UPDATED/CLOSED carry it back. For OPENED and
 * UPDATED, ev is the event that caused it (NULL otherwise). A non-zero return
 * is passed back to the caller of feed/tick/flush (the alert is still accounted). */
typedef int (*correlate_alert_fn)(enum correlate_emit what, struct vg_alert *a,
    const struct vg_event *ev, void *arg);

/* Whether an event that matched no rule can still matter to a threshold (a 404, a
 * 401, an auth log line, a POST to a login path): callers may skip feeding the
 * rest, which keeps per-source state for the bulk of benign traffic away. */
bool correlate_wants(const struct vg_event *ev);

/* cfg NULL = defaults. Caller frees with correlator_free. */
int correlator_new(const struct correlate_config *cfg, struct correlator **out);
void correlator_free(struct correlator *c);

/* Feeds one event with the rules it matched (n_hits may be 0: the event still counts
 * for thresholds). Windows that ended before ev->ts_us are closed first. arrival_us
 * is when vigil saw the event (wall clock): correlator_tick measures windows by it,
 * so replaying an old log live still aggregates instead of closing at once. */
int correlator_feed(struct correlator *c, const struct vg_event *ev, int64_t arrival_us,
    const struct correlate_hit *hits, size_t n_hits, correlate_alert_fn fn, void *arg);
/* Whether CORRELATE_UPDATED is reported (the default) or only counted: building
 * the alert for every hit costs when nobody reads it. */
void correlator_report_updates(struct correlator *c, bool on);
/* Closes windows opened (by arrival time) a full window before now_us; watch mode
 * calls this periodically with the wall clock. */
int correlator_tick(struct correlator *c, int64_t now_us, correlate_alert_fn fn, void *arg);
/* Closes everything (end of a batch scan, shutdown). */
int correlator_flush(struct correlator *c, correlate_alert_fn fn, void *arg);
/* The store transaction holding what was reported so far committed: remember each
 * open aggregate's count and last seen as stored. */
void correlator_committed(struct correlator *c);
/* It rolled back instead, and its lines will be fed again: aggregates opened since
 * the last commit are dropped (their rows and ids are gone), the others go back to
 * their committed count and last seen, so no hit is counted twice. Threshold
 * windows (brute force, dir-busting) keep the replayed events, which can only make
 * a threshold alert earlier, never hide one. */
void correlator_rolled_back(struct correlator *c);

struct correlate_stats {
	uint64_t sources;		/* currently tracked */
	uint64_t evicted_sources;	/* LRU evictions (their open alerts were closed first) */
	uint64_t dropped_hits;		/* hits not aggregated: per-source aggregate cap */
	uint64_t alerts_opened;
	uint64_t alerts_closed;
};
void correlator_stats(const struct correlator *c, struct correlate_stats *out);

#endif
