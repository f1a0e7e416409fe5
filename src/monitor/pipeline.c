/* Detection pipeline. Rule hits of one event are collected first (their matched text
 * copied, since the rule engine lends it only during its callback), then handed to
 * the correlator together, which decides what becomes an alert. */
#include "monitor/pipeline.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/zread.h"
#include "monitor/detect.h"
#include "monitor/rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_HITS_PER_EVENT 32
#define MAX_DETECTORS 4
/* Rule sets replaced by a reload stay allocated: open alerts in the correlator point
 * at their rule ids and titles. A reload past this many is refused (restart). */
#define MAX_RETIRED_RULESETS 32
#define READ_CHUNK (1 << 20)

/* Padding a line past monitor.max_line is a way to hide what follows the cut, so
 * the cut is an alert of its own, not only a counter. */
static const struct rule_info line_too_long_rule = {
	.id = "log.line_too_long",
	.title = "Log line longer than monitor.max_line (cut there; the rest was not analysed)",
	.category = "evasion", .mitre = NULL, .severity = VG_SEV_MEDIUM,
};

struct pipeline {
	struct pipeline_opts opts;
	struct ruleset *rules;
	struct rule_scratch *scratch;
	struct detect_rules rules_state;
	struct {
		const struct detector_ops *ops;
		void *state;
	} det[MAX_DETECTORS];	/* run in this order over every decoded event */
	size_t n_det;
	struct ruleset *retired[MAX_RETIRED_RULESETS];	/* replaced by reloads */
	size_t n_retired;
	struct correlator *corr;
	struct correlate_hit hits[MAX_HITS_PER_EVENT];
	char hit_text[MAX_HITS_PER_EVENT][RULE_HIT_TEXT_MAX];
	size_t n_hits;
	struct pipeline_stats stats;
	int output_error;	/* first output failure since the last line */
};

static void
add_detector(struct pipeline *p, const struct detector_ops *ops, void *state)
{
	p->det[p->n_det].ops = ops;
	p->det[p->n_det++].state = state;
}

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
	r = ruleset_load_cached(opts->rules_path, opts->rule_flags, opts->rules_cache, opts->log,
	    &p->rules, errors);
	if (r == VG_OK)
		r = rule_scratch_new(p->rules, &p->scratch);
	if (r == VG_OK) {
		rule_scratch_lazy_text(p->scratch, true);	/* texts taken in correlator_feed */
		r = correlator_new(opts->correlate, &p->corr);
	}
	if (r != VG_OK) {
		pipeline_free(p);
		return r;
	}
	p->rules_state = (struct detect_rules){ p->rules, p->scratch };
	add_detector(p, &detector_rules, &p->rules_state);
	if (opts->ioc)
		add_detector(p, &detector_ioc, (void *)opts->ioc);
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
	for (size_t i = 0; i < p->n_retired; i++)
		ruleset_free(p->retired[i]);
	free(p);
}

/* The IOC detector's row follows the new set: replaced, added or taken out. */
static void
swap_ioc(struct pipeline *p, const struct ioc_set *ioc)
{
	for (size_t i = 0; i < p->n_det; i++) {
		if (p->det[i].ops != &detector_ioc)
			continue;
		if (ioc) {
			p->det[i].state = (void *)ioc;
		} else {
			memmove(&p->det[i], &p->det[i + 1], (p->n_det - i - 1) * sizeof(p->det[0]));
			p->n_det--;
		}
		return;
	}
	if (ioc)
		add_detector(p, &detector_ioc, (void *)ioc);
}

int
pipeline_reload(struct pipeline *p, const struct ioc_set *ioc, char **errors)
{
	struct ruleset *rs = NULL;
	struct rule_scratch *scratch = NULL;
	int r;

	*errors = NULL;
	if (p->n_retired >= MAX_RETIRED_RULESETS || (ioc && !p->opts.ioc && p->n_det >= MAX_DETECTORS))
		return VG_ERR_LIMIT;
	r = ruleset_load_cached(p->opts.rules_path, p->opts.rule_flags, p->opts.rules_cache,
	    p->opts.log, &rs, errors);
	if (r == VG_OK)
		r = rule_scratch_new(rs, &scratch);
	if (r != VG_OK) {
		ruleset_free(rs);
		return r;
	}
	rule_scratch_lazy_text(scratch, true);
	rule_scratch_free(p->scratch);
	p->retired[p->n_retired++] = p->rules;
	p->rules = rs;
	p->scratch = scratch;
	p->rules_state = (struct detect_rules){ p->rules, p->scratch };
	swap_ioc(p, ioc);
	p->opts.ioc = ioc;
	return VG_OK;
}

size_t
pipeline_rule_count(const struct pipeline *p)
{
	return ruleset_count(p->rules);
}

/* Copies one hit (its text is only lent) into the event's list. */
static int
collect_hit(void *arg, const struct correlate_hit *hit)
{
	struct pipeline *p = arg;
	struct correlate_hit *h;

	if (p->n_hits >= MAX_HITS_PER_EVENT) {
		p->stats.hits_dropped++;
		return 0;
	}
	h = &p->hits[p->n_hits];
	*h = *hit;
	h->text_len = hit->text_len < RULE_HIT_TEXT_MAX ? hit->text_len : RULE_HIT_TEXT_MAX;
	if (h->key_len > h->text_len)
		h->key_len = h->text_len;
	if (hit->text) {	/* else text_fn finds it, before the detector's next event */
		memcpy(p->hit_text[p->n_hits], hit->text, h->text_len);
		h->text = p->hit_text[p->n_hits];
	}
	p->n_hits++;
	return 0;
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
	static const enum alert_state state[] = {
		[CORRELATE_OPENED] = ALERT_OPENED,
		[CORRELATE_UPDATED] = ALERT_UPDATED,
		[CORRELATE_CLOSED] = ALERT_CLOSED,
	};
	struct pipeline *p = arg;
	struct alert_in in = { .kind = ALERT_RULE, .state = state[what], .rule = a, .ev = ev };
	int r;

	if (what == CORRELATE_CLOSED)
		p->stats.alerts++;
	if (p->opts.alerts && (r = alert_emit(p->opts.alerts, &in)) != VG_OK)
		note_store_error(p, r);
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
	if (decoder_decode_cut(d, line, len, truncated, &ev) != VG_OK)
		p->stats.decode_errors++;
	ev.source = source;
	if (ev.ts_us == 0)
		ev.ts_us = now_us;
	p->n_hits = 0;
	for (size_t i = 0; ev.kind != VG_EV_DECODE_ERROR && i < p->n_det; i++)
		if ((r = p->det[i].ops->match(p->det[i].state, &ev, collect_hit, p)) < 0)
			vg_warn(p->opts.log, "%s: %s detector failed: %s", source,
			    p->det[i].ops->name, vg_strerror(r));
	if (truncated) {
		const struct rule_info *c = &line_too_long_rule;
		const struct correlate_hit cut = { .rule_id = c->id, .title = c->title,
			.category = c->category, .mitre = c->mitre, .severity = c->severity,
			.field = "event.original", .text = line, .text_len = len };
		collect_hit(p, &cut);
	}
	if (p->n_hits) {
		p->stats.events_matched++;
		p->stats.hits += p->n_hits;
	}
	/* Most lines are benign: only lines that can matter to correlation create
	 * per-source state; the rest just move the clock forward. */
	if (p->n_hits || correlate_wants(&ev)) {
		/* sinks come and go (watch adds its own): ask each time */
		correlator_report_updates(p->corr, p->opts.alerts &&
		    alerts_want_rule_updates(p->opts.alerts));
		r = correlator_feed(p->corr, &ev, now_us, p->hits, p->n_hits, on_alert, p);
	} else if (!p->opts.live)
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
pipeline_committed(struct pipeline *p)
{
	correlator_committed(p->corr);
}

void
pipeline_rolled_back(struct pipeline *p)
{
	correlator_rolled_back(p->corr);
	p->output_error = 0;
}

/* Feeds every line of fd to the pipeline. Lines longer than max_line are cut and
 * flagged; the rest of such a line is skipped, never taken for new lines. */
int
pipeline_scan_fd(struct pipeline *p, struct decoder *d, int fd, const char *name, size_t max_line,
    const struct vg_logger *log)
{
	struct vg_buf *buf = vg_buf_new(max_line + READ_CHUNK);
	char *chunk = malloc(READ_CHUNK);
	struct vg_zread *z = NULL;
	bool skipping = false;	/* inside the tail of an over-long line */
	int ret = VG_OK;
	int64_t now = vg_now_us();

	if (!buf || !chunk) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	/* rotated logs may be gzip or zstd: told by their first bytes */
	if ((ret = vg_zread_open(fd, &z)) != VG_OK) {
		if (ret == VG_ERR_IO)
			vg_error(log, "%s: read error: %s", name, strerror(errno));
		goto out;
	}
	for (;;) {
		ssize_t n = vg_zread(z, chunk, READ_CHUNK);
		if (n == VG_ERR_FORMAT) {
			vg_error(log, "%s: corrupt or incomplete %s data", name, vg_zread_kind(z));
			ret = VG_ERR_FORMAT;
			goto out;
		}
		if (n < 0) {
			vg_error(log, "%s: read error: %s", name, strerror(errno));
			ret = VG_ERR_IO;
			goto out;
		}
		if (n == 0)
			break;
		if ((ret = vg_buf_put(buf, chunk, (size_t)n)) != VG_OK)
			goto out;
		const char *base = vg_buf_ptr(buf), *pos = base, *end = base + vg_buf_len(buf);
		while (pos < end) {
			const char *nl = memchr(pos, '\n', (size_t)(end - pos));
			if (!nl) {
				size_t pending = (size_t)(end - pos);
				if (skipping) {
					pos = end;
				} else if (pending >= max_line) {
					ret = pipeline_line(p, d, name, pos, max_line, true, now);
					if (ret)
						goto out;
					skipping = true;
					pos = end;
				}
				break;
			}
			if (skipping) {
				skipping = false;
			} else {
				size_t len = (size_t)(nl - pos);
				bool cut = len > max_line;
				ret = pipeline_line(p, d, name, pos, cut ? max_line : len, cut, now);
				if (ret)
					goto out;
			}
			pos = nl + 1;
		}
		vg_buf_consume(buf, (size_t)(pos - base));
	}
	/* A last line without a newline is still a line. */
	if (vg_buf_len(buf) && !skipping)
		ret = pipeline_line(p, d, name, vg_buf_ptr(buf), vg_buf_len(buf), false, now);
out:
	vg_zread_free(z);
	free(chunk);
	vg_buf_free(buf);
	return ret;
}

int
pipeline_add_detector(struct pipeline *p, const struct detector_ops *ops, void *state)
{
	if (p->n_det == MAX_DETECTORS)
		return VG_ERR_LIMIT;
	add_detector(p, ops, state);
	return VG_OK;
}

void
pipeline_get_stats(const struct pipeline *p, struct pipeline_stats *out)
{
	*out = p->stats;
	correlator_stats(p->corr, &out->correlate);
}
