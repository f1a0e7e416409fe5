/* A decoder over whole streams, line by line, for `vigil decode`: lines longer than
 * max_line keep their first max_line bytes and are flagged truncated (the rest is
 * skipped, never taken for new lines), and a last line without a newline is still
 * decoded. What is done with each event is the caller's. */
#ifndef VG_DECODE_STREAM_H
#define VG_DECODE_STREAM_H

#include "core/event.h"
#include "monitor/decode.h"

#include <stdint.h>
#include <stdio.h>

struct decode_stream;

/* fn gets each event (valid during the call only; ev->source is the stream's name)
 * and its line number, counted across every stream fed. */
typedef void (*decode_event_fn)(void *arg, uint64_t lineno, const struct vg_event *ev);

/* d is borrowed. Caller frees with decode_stream_free. 0 or VG_ERR_NOMEM. */
int decode_stream_new(struct decoder *d, size_t max_line, decode_event_fn fn, void *arg,
    struct decode_stream **out);
void decode_stream_free(struct decode_stream *ds);
/* Decodes every line of f, called name. 0, or VG_ERR_IO on a read error (errno). */
int decode_stream_file(struct decode_stream *ds, const char *name, FILE *f);
/* Lines decoded so far and how many of them were truncated. */
void decode_stream_counts(const struct decode_stream *ds, uint64_t *lines, uint64_t *truncated);

/* A decode_event_fn printing to stdout: arg points to a bool, true for one ECS JSON
 * object per line, false for "source:line: kind field=value..." with every value
 * through the terminal sanitiser (a hostile line cannot drive the terminal). */
void decode_print_event(void *arg, uint64_t lineno, const struct vg_event *ev);

#endif
