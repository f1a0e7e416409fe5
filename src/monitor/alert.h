/* The one alert path. Every detector (rules + correlation, webshell scan, web-root
 * tamper analysis) hands what it found to alert_emit(), which builds the alert here
 * and dispatches it to the sinks: the store, text lines, JSON lines (webhooks,
 * nftables blocking and cases plug in as further sink_ops rows, see registry.c). */
#ifndef VG_ALERT_H
#define VG_ALERT_H

#include "core/event.h"
#include "core/store.h"
#include "respond/reconcile.h"
#include "monitor/webshell.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

enum alert_kind {
	ALERT_RULE,		/* a correlated rule alert (window open/update/close) */
	ALERT_WEBSHELL,		/* a script in a web root scored suspicious or malicious */
	ALERT_FIM,		/* a web-root change against the baseline, with the action */
};

enum alert_state {
	ALERT_OPENED,		/* first hit of a rule from a source (of a web-root change) */
	ALERT_UPDATED,		/* another hit in the open window (evidence, audit only) */
	ALERT_CLOSED,		/* window ended: final count */
	ALERT_ONCE,		/* a one-shot alert (webshell, a recorded web-root change) */
};

/* What a detector found; everything is borrowed for the duration of alert_emit. */
struct alert_in {
	enum alert_kind kind;
	enum alert_state state;
	struct vg_alert *rule;			/* ALERT_RULE: the correlator's alert */
	const struct vg_event *ev;		/* ALERT_RULE: the event behind it, or NULL */
	const struct webshell_finding *finding;	/* ALERT_WEBSHELL */
	const char *root_name;			/* ALERT_WEBSHELL: web root it was found in */
	const char *qid;			/* ALERT_WEBSHELL: quarantine id, or NULL */
	const char *qerr;			/* ALERT_WEBSHELL: why it was not moved, or NULL */
	const struct fim_change *change;	/* ALERT_FIM */
	/* ALERT_FIM: the aggregate window (monitor/fimagg) it belongs to, whose count,
	 * first/last seen and store id the alert takes (OPENED sets the id); NULL for a
	 * one-shot change (ALERT_ONCE) */
	struct vg_alert *agg;
};

/* An alert as the sinks see it: a.* is the built vg_alert, in is the finding. */
struct alert_msg {
	const struct alert_in *in;
	struct vg_alert *a;
	bool live;			/* daemon: rule alerts are reported when opened too */
	bool with_diff;			/* web-root changes: print the diff */
	size_t evidence_per_alert;	/* raw events stored per rule alert */
};

/* A sink: one row in registry.c. emit returns 0 or a negative VG_ERR_* (only the
 * store's errors roll a batch back). state is what the row's user passed in. */
struct sink_ops {
	const char *name;
	int (*emit)(void *state, const struct alert_msg *m);
	/* ignores ALERT_UPDATED of rule alerts: with only such sinks, the correlator
	 * need not build one per hit (alerts_want_rule_updates) */
	bool no_rule_updates;
};
extern const struct sink_ops sink_store, sink_text, sink_json;

#define ALERT_MAX_SINKS 8

struct alerts_opts {
	struct vg_store *store;		/* NULL: not stored */
	FILE *text_out;			/* NULL: no text lines */
	FILE *json_out;			/* NULL: no JSON lines */
	bool live;
	bool with_diff;
	size_t evidence_per_alert;	/* 0 = 20 */
};

/* The sinks of one run. Plain struct so callers can keep it on the stack. */
struct alerts {
	struct {
		const struct sink_ops *ops;
		void *state;
	} sink[ALERT_MAX_SINKS];
	size_t n;
	size_t n_rule_updates;	/* sinks that read ALERT_UPDATED of rule alerts */
	bool live, with_diff;
	size_t evidence_per_alert;
};

/* Sets up the store, JSON and text sinks that o asks for (in that order: a line
 * printed is already stored). */
void alerts_init(struct alerts *al, const struct alerts_opts *o);
/* Adds one more sink (VG_ERR_LIMIT past ALERT_MAX_SINKS). */
int alerts_add_sink(struct alerts *al, const struct sink_ops *ops, void *state);
/* Whether a sink reads ALERT_UPDATED of rule alerts (else they need not be emitted). */
bool alerts_want_rule_updates(const struct alerts *al);

/* Builds the alert for in and hands it to every sink. Returns the first sink
 * error (the others still ran), else 0. */
int alert_emit(struct alerts *al, const struct alert_in *in);

/* Web-root change records, shared by fim check, backup and publish output. */
json_t *alert_change_json(const struct fim_change *ch, const char *baseline);
void alert_change_print(FILE *out, const struct fim_change *ch, bool json, bool with_diff,
    const char *baseline);
/* Prints one rule alert as a human-readable line (state: "NEW    ", "CLOSED " or NULL). */
void alert_print_rule(FILE *out, const struct vg_alert *a, const char *state);

#endif
