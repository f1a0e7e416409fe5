/* The event detectors: rows of one table that the pipeline runs over every decoded
 * event (the rule set, IOC lists, webshell.accessed), in the manner of Suricata's
 * keyword tables. Each reports hits through a callback; the pipeline copies them and
 * hands one event's hits together to the correlator, which decides what becomes an
 * alert. The web-root side's detectors (tamper analysis, webshell scanning) work on
 * files, not events, and are run by the web-root watcher. */
#ifndef VG_DETECT_H
#define VG_DETECT_H

#include "core/event.h"
#include "monitor/correlate.h"

struct ruleset;
struct rule_scratch;

/* hit (and its text) is valid during the call only; nonzero stops the detector. */
typedef int (*detect_hit_fn)(void *arg, const struct correlate_hit *hit);

struct detector_ops {
	const char *name;
	/* Reports ev's hits to fn; 0 or a negative VG_ERR_*. */
	int (*match)(void *state, const struct vg_event *ev, detect_hit_fn fn, void *arg);
};

/* The rule set needs a scratch per thread beside it. */
struct detect_rules {
	const struct ruleset *rs;
	struct rule_scratch *scratch;
};

extern const struct detector_ops detector_rules;	/* state: struct detect_rules * */
extern const struct detector_ops detector_ioc;		/* state: const struct ioc_set * */
extern const struct detector_ops detector_wsaccess;	/* state: struct wsaccess * */

#endif
