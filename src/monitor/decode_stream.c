/* Line splitting for `vigil decode` (decode_stream.h): fread chunks into one bounded
 * line buffer; the over-long tail of a line is skipped until its newline. */
#include "monitor/decode_stream.h"
#include "core/buf.h"
#include "core/err.h"

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
