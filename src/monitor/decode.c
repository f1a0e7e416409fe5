/* Decoder registry and the per-instance wrapper every format shares: it copies the
 * line into one reusable scratch buffer (so decoders cut fields in place and never
 * malloc per line), clears the event, and turns any failure into a decode_error
 * event that keeps the raw line. */
#include "monitor/decode.h"
#include "monitor/decode_int.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct decoder_ops decoder_auto;
extern const struct decoder_ops decoder_combined;
extern const struct decoder_ops decoder_apache;
extern const struct decoder_ops decoder_nginx;
extern const struct decoder_ops decoder_sshd;
extern const struct decoder_ops decoder_syslog;
extern const struct decoder_ops decoder_json;

const struct decoder_ops *const decoder_registry[] = {
	&decoder_auto,
	&decoder_combined,
	&decoder_apache,
	&decoder_nginx,
	&decoder_sshd,
	&decoder_syslog,
	&decoder_json,
	NULL,
};

struct decoder {
	const struct decoder_ops *ops;
	void *state;
	char *scratch;
	size_t scratch_cap;
	struct decode_time_memo time_memo;
	uint64_t ok, errors;
};

const struct decoder_ops *
decoder_find(const char *format)
{
	for (size_t i = 0; format && decoder_registry[i]; i++)
		if (strcmp(decoder_registry[i]->name, format) == 0)
			return decoder_registry[i];
	return NULL;
}

int
decoder_new(const char *format, const char *log_format, struct decoder **out, char *err,
    size_t err_size)
{
	struct decoder *d = NULL;
	const struct decoder_ops *ops;
	int ret;

	*out = NULL;
	if (err_size)
		err[0] = '\0';
	ops = decoder_find(format);
	if (!ops) {
		/* The choices come from the registry, so a new decoder is listed here. */
		int n = snprintf(err, err_size, "unknown log format '%s' (expected",
		    format ? format : "(null)");
		for (size_t i = 0; decoder_registry[i] && n >= 0 && (size_t)n < err_size; i++)
			n += snprintf(err + n, err_size - (size_t)n, "%s%s",
			    i == 0 ? " " : decoder_registry[i + 1] ? ", " : " or ",
			    decoder_registry[i]->name);
		if (n >= 0 && (size_t)n < err_size)
			snprintf(err + n, err_size - (size_t)n, ")");
		return VG_ERR_CONFIG;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, err_size, "out of memory");
		return VG_ERR_NOMEM;
	}
	d->ops = ops;
	if (ops->new_state) {
		ret = ops->new_state(log_format, &d->state, err, err_size);
		if (ret != VG_OK) {
			free(d);
			return ret;
		}
	}
	*out = d;
	return VG_OK;
}

size_t
decoder_names(const char **names, size_t cap)
{
	size_t n = 0;
	for (; cap && decoder_registry[n] && n + 1 < cap; n++)
		names[n] = decoder_registry[n]->name;
	if (cap)
		names[n] = NULL;
	return n;
}

int
decoder_check(const char *format, const char *log_format, char *err, size_t err_size)
{
	struct decoder *d = NULL;
	int r = decoder_new(format, log_format, &d, err, err_size);
	decoder_free(d);
	return r;
}

void
decoder_free(struct decoder *d)
{
	if (!d)
		return;
	if (d->ops->free_state)
		d->ops->free_state(d->state);
	free(d->scratch);
	free(d);
}

void
decoder_stats(const struct decoder *d, uint64_t *ok, uint64_t *errors)
{
	*ok = d->ok;
	*errors = d->errors;
}

const char *
decoder_name(const struct decoder *d)
{
	return d->ops->name;
}

/* Bytes the scratch copy of raw needs: each NUL is spelled as the 4 bytes "\x00". */
static size_t
copy_size(const char *raw, size_t len)
{
	size_t n = len;
	const char *p = raw, *end = raw + len;

	while (p < end && (p = memchr(p, '\0', (size_t)(end - p))) != NULL) {
		n += 3;
		p++;
	}
	return n;
}

void
decode_line_reset(struct decode_line *ln)
{
	const char *raw = ln->raw, *end = raw + ln->raw_len, *nul;
	char *o = ln->buf;

	/* Escaping NULs instead of keeping them means no decoded field can hide bytes
	 * behind a terminator, and rules see the same text nginx itself would log. */
	while (ln->has_nul && (nul = memchr(raw, '\0', (size_t)(end - raw))) != NULL) {
		memcpy(o, raw, (size_t)(nul - raw));
		o += nul - raw;
		memcpy(o, "\\x00", 4);
		o += 4;
		raw = nul + 1;
	}
	memcpy(o, raw, (size_t)(end - raw));
	o += end - raw;
	if (o > ln->buf && o[-1] == '\r')
		o--;
	*o = '\0';
	ln->len = (size_t)(o - ln->buf);
}

int
decoder_decode(struct decoder *d, const char *line, size_t len, struct vg_event *ev)
{
	return decoder_decode_cut(d, line, len, false, ev);
}

int
decoder_decode_cut(struct decoder *d, const char *line, size_t len, bool cut,
    struct vg_event *ev)
{
	const char *reason = NULL;
	struct decode_line ln = { .raw = line, .raw_len = len, .cut = cut,
		.time_memo = &d->time_memo };
	int ret;

	vg_event_init(ev);
	ev->raw = line;
	ev->raw_len = len;
	ev->truncated = cut;

	if (!line && len) {
		reason = "no line";
		goto fail;
	}
	if (len > DECODE_MAX_LINE) {
		reason = "line longer than the decoder limit (16 MiB)";
		goto fail;
	}
	ln.has_nul = memchr(line, '\0', len) != NULL;
	size_t need = (ln.has_nul ? copy_size(line, len) : len) + 1;
	/* the line's copy, then as much again for ln.spare */
	if (need * 2 > d->scratch_cap) {
		size_t cap = d->scratch_cap ? d->scratch_cap : 1024;
		while (cap < need * 2)
			cap *= 2;
		char *p = realloc(d->scratch, cap);
		if (!p) {
			reason = "out of memory for the line";
			goto fail;
		}
		d->scratch = p;
		d->scratch_cap = cap;
	}
	ln.buf = d->scratch;
	ln.spare = d->scratch + need;
	if (len)
		decode_line_reset(&ln);
	else {
		ln.buf[0] = '\0';
		ln.len = 0;
	}
	ln.now_us = 0;	/* decoders that need the clock read it lazily */
	ret = d->ops->decode(d->state, &ln, ev, &reason);
	if (ret == VG_OK) {
		d->ok++;
		return VG_OK;
	}
	if (!reason)
		reason = "line did not parse";
fail:
	decode_event_clear(ev);
	ev->kind = VG_EV_DECODE_ERROR;
	ev->message = reason;
	d->errors++;
	return VG_ERR_PARSE;
}

void
decode_event_clear(struct vg_event *ev)
{
	const char *source = ev->source, *raw = ev->raw;
	size_t raw_len = ev->raw_len;
	bool truncated = ev->truncated;

	vg_event_init(ev);
	ev->source = source;
	ev->raw = raw;
	ev->raw_len = raw_len;
	ev->truncated = truncated;
}

/* --- field helpers ------------------------------------------------------------ */

/* 1: a hex digit, 2: an address separator, 0: not part of an address. */
static const unsigned char ip_byte[256] = {
	['0' ... '9'] = 1, ['a' ... 'f'] = 1, ['A' ... 'F'] = 1, ['.'] = 2, [':'] = 2,
};

bool
decode_set_ip(char dst[VG_IP_MAX], const char *s, size_t len)
{
	unsigned seen = 0;

	dst[0] = '\0';
	if (len == 0 || len >= VG_IP_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned k = ip_byte[(unsigned char)s[i]];
		if (!k)
			return false;
		seen |= k;
	}
	if (!(seen & 2))
		return false;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return true;
}

int
decode_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 19)
		return VG_ERR_PARSE;
	for (size_t i = 0; i < len; i++) {
		unsigned c = (unsigned char)s[i] - '0';
		if (c > 9)
			return VG_ERR_PARSE;
		v = v * 10 + c;
	}
	if (v > max)
		return VG_ERR_PARSE;
	*out = v;
	return VG_OK;
}

bool
decode_is_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t n;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return false;
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4;
		else
			return false;
		if ((size_t)(end - p) < n)
			return false;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) ||
		    (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
			return false;
		p += n;
	}
	return true;
}

void
decode_split_request(char *s, size_t len, struct vg_event *ev)
{
	char *sp1, *sp2;

	if (len == 0 || (len == 1 && s[0] == '-'))
		return;
	sp1 = memchr(s, ' ', len);
	if (!sp1) {
		/* "\x16\x03\x01..." from a TLS client on a plain port: keep it for rules */
		ev->http.url = s;
		return;
	}
	*sp1 = '\0';
	ev->http.method = s;
	char *u = sp1 + 1, *end = s + len;
	sp2 = memrchr(u, ' ', (size_t)(end - u));
	if (sp2 && end - sp2 > 5 && memcmp(sp2 + 1, "HTTP/", 5) == 0) {
		*sp2 = '\0';
		ev->http.version = sp2 + 1;
	}
	if (*u)
		ev->http.url = u;
}
