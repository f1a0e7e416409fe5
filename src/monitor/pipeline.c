/* Detection pipeline. Rule hits of one event are collected first (their matched text
 * copied, since the rule engine lends it only during its callback), then handed to
 * the correlator together, which decides what becomes an alert. */
#include "monitor/pipeline.h"
#include "core/buf.h"
#include "core/err.h"
#include "monitor/rules.h"

#include <stdlib.h>
#include <string.h>

#define MAX_HITS_PER_EVENT 32

struct pipeline {
	struct pipeline_opts opts;
	struct ruleset *rules;
	struct rule_scratch *scratch;
	struct correlator *corr;
	struct correlate_hit hits[MAX_HITS_PER_EVENT];
	char hit_text[MAX_HITS_PER_EVENT][RULE_HIT_TEXT_MAX];
	size_t n_hits;
	struct pipeline_stats stats;
	int output_error;	/* first output failure since the last line */
};

int
pipeline_new(const struct pipeline_opts *opts, struct pipeline **out, char **errors)
{
	struct pipeline *p;
	int r;

	*out = NULL;
	*errors = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return VG_ERR_NOMEM;
	p->opts = *opts;
	if (p->opts.evidence_per_alert == 0)
		p->opts.evidence_per_alert = 20;
	r = ruleset_load_cached(opts->rules_path, opts->rule_flags, opts->rules_cache, opts->log,
	    &p->rules, errors);
	if (r == VG_OK)
		r = rule_scratch_new(p->rules, &p->scratch);
	if (r == VG_OK)
		r = correlator_new(opts->correlate, &p->corr);
	if (r != VG_OK) {
		pipeline_free(p);
		return r;
	}
	*out = p;
	return VG_OK;
}

void
pipeline_free(struct pipeline *p)
{
	if (!p)
		return;
	correlator_free(p->corr);
	rule_scratch_free(p->scratch);
	ruleset_free(p->rules);
	free(p);
}

size_t
pipeline_rule_count(const struct pipeline *p)
{
	return ruleset_count(p->rules);
}

static int
collect_hit(const struct rule_hit *hit, void *arg)
{
	struct pipeline *p = arg;
	struct correlate_hit *h;

	if (p->n_hits >= MAX_HITS_PER_EVENT) {
		p->stats.hits_dropped++;
		return 0;
	}
	h = &p->hits[p->n_hits];
	h->rule_id = hit->rule->id;
	h->title = hit->rule->title;
	h->category = hit->rule->category;
	h->mitre = hit->rule->mitre;
	h->severity = hit->rule->severity;
	h->field = hit->field;
	h->text_len = hit->text_len < RULE_HIT_TEXT_MAX ? hit->text_len : RULE_HIT_TEXT_MAX;
	memcpy(p->hit_text[p->n_hits], hit->text, h->text_len);
	h->text = p->hit_text[p->n_hits];
	p->n_hits++;
	return 0;
}

void
pipeline_print_alert(FILE *out, const struct vg_alert *a, const char *state)
{
	char first[40], last[40];
	vg_time_format(a->first_seen_us, first, sizeof(first));
	vg_time_format(a->last_seen_us, last, sizeof(last));
	fprintf(out, "%s%-8s %-34s %-16s x%-6llu %s .. %s  %s", state ? state : "",
	    vg_severity_name(a->severity), a->rule_id, a->source_ip[0] ? a->source_ip : "-",
	    (unsigned long long)a->count, first, last, a->title ? a->title : "");
	if (a->matched)
		fprintf(out, "  [%s: %.80s]", a->field ? a->field : "match", a->matched);
	fputc('\n', out);
}

static void
print_json(FILE *out, const struct vg_alert *a, const char *state)
{
	json_t *j = vg_alert_to_json(a);
	if (!j)
		return;
	if (state)
		vg_json_set_path(j, "vigil.state", json_string(state));
	json_dumpf(j, out, JSON_COMPACT);
	fputc('\n', out);
	json_decref(j);
}

static void
note_store_error(struct pipeline *p, int r)
{
	p->stats.store_errors++;
	if (!p->output_error)
		p->output_error = r;
}

static int
on_alert(enum correlate_emit what, struct vg_alert *a, const struct vg_event *ev, void *arg)
{
	struct pipeline *p = arg;
	struct vg_store *st = p->opts.store;
	int r;

	switch (what) {
	case CORRELATE_OPENED:
		if (st) {
			if ((r = store_alert_add(st, a)) != VG_OK)
				note_store_error(p, r);
			else if (ev && ev->raw &&
			    (r = store_alert_event_add(st, a->id, ev->ts_us, ev->raw, ev->raw_len)))
				note_store_error(p, r);
		}
		if (p->opts.live) {
			if (p->opts.json_out)
				print_json(p->opts.json_out, a, "open");
			if (p->opts.text_out)
				pipeline_print_alert(p->opts.text_out, a, "NEW    ");
		}
		break;
	case CORRELATE_UPDATED:
		if (st && a->id && ev && ev->raw && a->count <= p->opts.evidence_per_alert &&
		    (r = store_alert_event_add(st, a->id, ev->ts_us, ev->raw, ev->raw_len)))
			note_store_error(p, r);
		break;
	case CORRELATE_CLOSED:
		p->stats.alerts++;
		if (st && a->id && (r = store_alert_update(st, a)) != VG_OK)
			note_store_error(p, r);
		if (p->opts.json_out)
			print_json(p->opts.json_out, a, p->opts.live ? "closed" : NULL);
		if (p->opts.text_out)
			pipeline_print_alert(p->opts.text_out, a, p->opts.live ? "CLOSED " : NULL);
		break;
	}
	return 0;
}

static int
take_output_error(struct pipeline *p)
{
	int r = p->output_error;
	p->output_error = 0;
	return r;
}

int
pipeline_line(struct pipeline *p, struct decoder *d, const char *source, const char *line,
    size_t len, bool truncated, int64_t now_us)
{
	struct vg_event ev;
	int r;

	p->stats.lines++;
	if (truncated)
		p->stats.truncated++;
	if (decoder_decode(d, line, len, &ev) != VG_OK)
		p->stats.decode_errors++;
	ev.source = source;
	ev.truncated = truncated;
	if (ev.ts_us == 0)
		ev.ts_us = now_us;
	p->n_hits = 0;
	if (ev.kind != VG_EV_DECODE_ERROR) {
		r = ruleset_match_event(p->rules, p->scratch, &ev, collect_hit, p);
		if (r < 0)
			vg_warn(p->opts.log, "%s: rule matching failed: %s", source, vg_strerror(r));
	}
	if (p->n_hits) {
		p->stats.events_matched++;
		p->stats.hits += p->n_hits;
	}
	/* Most lines are benign: only lines that can matter to correlation create
	 * per-source state; the rest just move the clock forward. */
	if (p->n_hits || (ev.kind == VG_EV_HTTP && (ev.http.status == 404 || ev.http.status == 401)) ||
	    ev.kind == VG_EV_AUTH)
		r = correlator_feed(p->corr, &ev, now_us, p->hits, p->n_hits, on_alert, p);
	else if (!p->opts.live)
		r = correlator_tick(p->corr, ev.ts_us, on_alert, p);	/* batch: log time is the clock */
	else
		r = 0;
	if (r < 0)
		return r;
	return take_output_error(p);
}

int
pipeline_tick(struct pipeline *p, int64_t now_us)
{
	int r = correlator_tick(p->corr, now_us, on_alert, p);
	return r < 0 ? r : take_output_error(p);
}

int
pipeline_flush(struct pipeline *p)
{
	int r = correlator_flush(p->corr, on_alert, p);
	return r < 0 ? r : take_output_error(p);
}

void
pipeline_get_stats(const struct pipeline *p, struct pipeline_stats *out)
{
	*out = p->stats;
	correlator_stats(p->corr, &out->correlate);
}
