/* Line splitting for `vigil decode` (decode_stream.h): fread chunks into one bounded
 * line buffer; the over-long tail of a line is skipped until its newline. Also what
 * `vigil decode` prints for each event. */
#include "monitor/decode_stream.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct decode_stream {
	struct decoder *dec;
	size_t max_line;
	struct vg_buf *line;
	decode_event_fn fn;
	void *arg;
	uint64_t lines, truncated;
};

int
decode_stream_new(struct decoder *d, size_t max_line, decode_event_fn fn, void *arg,
    struct decode_stream **out)
{
	struct decode_stream *ds = calloc(1, sizeof(*ds));

	*out = NULL;
	if (!ds || !(ds->line = vg_buf_new(max_line))) {
		free(ds);
		return VG_ERR_NOMEM;
	}
	ds->dec = d;
	ds->max_line = max_line;
	ds->fn = fn;
	ds->arg = arg;
	*out = ds;
	return VG_OK;
}

void
decode_stream_free(struct decode_stream *ds)
{
	if (!ds)
		return;
	vg_buf_free(ds->line);
	free(ds);
}

static void
emit(struct decode_stream *ds, const char *name, bool truncated)
{
	struct vg_event ev;

	ds->lines++;
	decoder_decode_cut(ds->dec, vg_buf_ptr(ds->line), vg_buf_len(ds->line), truncated, &ev);
	ev.source = name;
	if (truncated)
		ds->truncated++;
	ds->fn(ds->arg, ds->lines, &ev);
	vg_buf_reset(ds->line);
}

int
decode_stream_file(struct decode_stream *ds, const char *name, FILE *f)
{
	char chunk[65536];
	bool skipping = false;
	size_t n;

	vg_buf_reset(ds->line);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		const char *p = chunk, *end = chunk + n, *nl;
		while (p < end) {
			nl = memchr(p, '\n', (size_t)(end - p));
			size_t take = (size_t)((nl ? nl : end) - p);
			if (!skipping) {
				size_t room = ds->max_line - vg_buf_len(ds->line);
				skipping = take > room;
				vg_buf_put(ds->line, p, skipping ? room : take);
			}
			if (!nl)
				break;
			emit(ds, name, skipping);
			skipping = false;
			p = nl + 1;
		}
	}
	if (ferror(f))
		return VG_ERR_IO;
	if (vg_buf_len(ds->line) || skipping)
		emit(ds, name, skipping);
	return VG_OK;
}

void
decode_stream_counts(const struct decode_stream *ds, uint64_t *lines, uint64_t *truncated)
{
	*lines = ds->lines;
	*truncated = ds->truncated;
}

/* Prints s through the one terminal sanitiser: a hostile log line cannot drive
 * the terminal or forge a line. */
static void
put_safe(FILE *out, const char *s)
{
	vg_esc_fwrite(out, s, strlen(s));
}

static void
put_field(FILE *out, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	fprintf(out, " %s=", name);
	put_safe(out, value);
}

/* A number field, printed when set (not 0, or for bytes not negative). */
static void
put_num(FILE *out, const char *name, long long v, bool set)
{
	char num[32];

	if (!set)
		return;
	snprintf(num, sizeof(num), "%lld", v);
	put_field(out, name, num);
}

static void
print_text(FILE *out, uint64_t lineno, const struct vg_event *ev)
{
	char ts[40];

	put_safe(out, ev->source);
	fprintf(out, ":%llu: %s", (unsigned long long)lineno, vg_event_kind_name(ev->kind));
	if (ev->kind == VG_EV_DECODE_ERROR) {
		fputs(": ", out);
		put_safe(out, ev->message ? ev->message : "");
		fputc('\n', out);
		return;
	}
	if (ev->ts_us) {
		vg_time_format(ev->ts_us, ts, sizeof(ts));
		fprintf(out, " @timestamp=%s", ts);
	}
	put_field(out, "event.action", ev->action);
	put_field(out, "host.name", ev->host);
	put_field(out, "source.ip", ev->src_ip);
	put_num(out, "source.port", ev->src_port, ev->src_port);
	put_field(out, "destination.ip", ev->dst_ip);
	put_num(out, "destination.port", ev->dst_port, ev->dst_port);
	put_field(out, "user.name", ev->user);
	put_field(out, "http.request.method", ev->http.method);
	put_field(out, "url.original", ev->http.url);
	put_field(out, "http.version", ev->http.version);
	put_num(out, "http.response.status_code", ev->http.status, ev->http.status);
	put_num(out, "http.response.body.bytes", (long long)ev->http.bytes, ev->http.bytes >= 0);
	put_field(out, "http.request.referrer", ev->http.referer);
	put_field(out, "user_agent.original", ev->http.user_agent);
	put_field(out, "process.name", ev->program);
	put_num(out, "process.pid", (long long)ev->pid, ev->pid);
	put_field(out, "message", ev->message);
	if (ev->truncated)
		fputs(" vigil.truncated=true", out);
	fputc('\n', out);
}

void
decode_print_event(void *arg, uint64_t lineno, const struct vg_event *ev)
{
	if (!*(const bool *)arg) {
		print_text(stdout, lineno, ev);
		return;
	}
	json_t *j = vg_event_to_json(ev);
	if (j && ev->kind == VG_EV_DECODE_ERROR)
		vg_json_set_path(j, "error.message", json_string(ev->message));
	if (j)
		json_dumpf(j, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(j);
}
