/* The event detector rows (detect.h): each engine's own hit type turned into the
 * correlator's. */
#include "monitor/detect.h"
#include "monitor/ioc.h"
#include "monitor/rules.h"
#include "monitor/wsaccess.h"

struct relay {
	detect_hit_fn fn;
	void *arg;
};

static int
relay_rule_hit(const struct rule_hit *rh, void *arg)
{
	const struct relay *r = arg;
	const struct correlate_hit h = {
		.rule_id = rh->rule->id, .title = rh->rule->title,
		.category = rh->rule->category, .mitre = rh->rule->mitre,
		.severity = rh->rule->severity, .field = rh->field, .text = rh->text,
		.text_len = rh->text_len, .text_fn = rh->later ? rule_hit_text : NULL,
		.text_ctx = rh->later,
	};
	return r->fn(r->arg, &h);
}

static int
rules_match(void *state, const struct vg_event *ev, detect_hit_fn fn, void *arg)
{
	const struct detect_rules *d = state;
	struct relay r = { fn, arg };
	return ruleset_match_event(d->rs, d->scratch, ev, relay_rule_hit, &r);
}

static int
ioc_match(void *state, const struct vg_event *ev, detect_hit_fn fn, void *arg)
{
	struct relay r = { fn, arg };
	return ioc_match_event(state, ev, relay_rule_hit, &r);
}

static int
wsaccess_row(void *state, const struct vg_event *ev, detect_hit_fn fn, void *arg)
{
	struct correlate_hit h;
	char text[RULE_HIT_TEXT_MAX];
	return wsaccess_match(state, ev, &h, text, sizeof(text)) ? fn(arg, &h) : 0;
}

const struct detector_ops detector_rules = { .name = "rules", .match = rules_match };
const struct detector_ops detector_ioc = { .name = "ioc", .match = ioc_match };
const struct detector_ops detector_wsaccess = { .name = "webshell.accessed",
	.match = wsaccess_row };
