/* Log decoders: turn one raw log line into a normalised struct vg_event. Each format
 * is one const struct decoder_ops row in decode.c's registry; adding a format is adding
 * a decode_<name>.c file and a row. Decoders never drop a line: what they cannot parse
 * comes back as a decode_error event that keeps the raw line as evidence. */
#ifndef VG_DECODE_H
#define VG_DECODE_H

#include "core/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest line a decoder accepts; longer lines become decode errors (the pipeline
 * truncates at monitor.max_line well before this). */
#define DECODE_MAX_LINE (16u << 20)

struct decoder;

/* The line being decoded, as handed to a decoder_ops->decode function. buf is the
 * decoder's own writable copy of raw (NUL bytes spelled "\x00", as nginx logs them;
 * one trailing CR removed), NUL-terminated, so a decoder may cut fields in place. */
/* The last timestamp text a decoder parsed and its value: consecutive lines mostly
 * share their second, so most lines cost a memcmp instead of a parse. */
struct decode_time_memo {
	size_t len;		/* 0: empty */
	char text[32];
	int64_t ts_us;
};

struct decode_line {
	const char *raw;
	size_t raw_len;
	char *buf;
	size_t len;
	int64_t now_us;		/* wall clock at decode time, for year-less timestamps */
	bool cut;		/* the line was cut at monitor.max_line: a field may run to its end */
	bool has_nul;		/* raw holds a NUL byte (looked for once per line) */
	char *spare;		/* len + 1 bytes a decoder may use for a second copy of a field */
	struct decode_time_memo *time_memo;	/* the decoder's own, kept across lines; may be NULL */
};

/* One row of the registry. */
struct decoder_ops {
	const char *name;	/* the config's monitor.sources[].format */
	const char *docs;	/* one line for help text and README */
	/* Builds per-instance state (may be NULL); log_format is the config string or
	 * NULL. On failure returns VG_ERR_CONFIG/VG_ERR_NOMEM and writes a reason to err. */
	int (*new_state)(const char *log_format, void **state, char *err, size_t err_size);
	/* Fills ev (already cleared, raw set) from ln. Returns VG_OK, or VG_ERR_PARSE
	 * with *reason set to a static one-line explanation. */
	int (*decode)(void *state, struct decode_line *ln, struct vg_event *ev,
	    const char **reason);
	void (*free_state)(void *state);	/* accepts NULL */
};

/* NULL-terminated table of every decoder, in documentation order. */
extern const struct decoder_ops *const decoder_registry[];

/* Looks a format name up in the registry; NULL if unknown. */
const struct decoder_ops *decoder_find(const char *format);

/* format: "auto"|"combined"|"nginx"|"apache"|"sshd"|"syslog"|"json"; log_format: nginx
 * log_format string (needed for "nginx"), else NULL. On success *out is a new decoder
 * the caller frees with decoder_free(). On failure returns VG_ERR_CONFIG (unknown
 * format, bad log_format) or VG_ERR_NOMEM, *out stays NULL and err gets a one-line reason. */
int decoder_new(const char *format, const char *log_format, struct decoder **out,
    char *err, size_t err_size);
/* Fills names with the registry's format names and a NULL (at most cap entries
 * in all); returns how many names. The strings are static. */
size_t decoder_names(const char **names, size_t cap);
/* Whether decoder_new would accept format and log_format (builds and frees one):
 * 0, or VG_ERR_* with a one-line reason in err. Shaped for vg_config_checks. */
int decoder_check(const char *format, const char *log_format, char *err, size_t err_size);

/* Decodes one line (no trailing newline; may contain NULs/invalid UTF-8). Never modifies
 * line; ev's strings point into the decoder's own scratch (valid until the next call) and
 * ev->raw/raw_len = line. ev is cleared first (nothing from an earlier line survives);
 * the caller sets ev->source afterwards. Returns VG_OK, or VG_ERR_PARSE with
 * ev->kind = VG_EV_DECODE_ERROR, ev->message = the reason (raw still set) -- never
 * crashes, never drops. */
int decoder_decode(struct decoder *d, const char *line, size_t len, struct vg_event *ev);
/* The same for a line cut at monitor.max_line (cut = true): a field the cut leaves
 * open (a request without its closing quote) is taken up to the end of what was kept,
 * so the kept part is still decoded and matched; ev->truncated is set. */
int decoder_decode_cut(struct decoder *d, const char *line, size_t len, bool cut,
    struct vg_event *ev);

/* Accepts NULL. */
void decoder_free(struct decoder *d);

/* Counters: lines decoded ok / decode errors, per decoder instance. */
void decoder_stats(const struct decoder *d, uint64_t *ok, uint64_t *errors);

/* The registry row this decoder runs. */
const char *decoder_name(const struct decoder *d);

#endif
