/* nginx/Apache "combined" and "common" access-log decoder. The hot path of the whole
 * monitor (target >= 1M lines/s/core), so it is one hand-rolled pass over the bytes:
 * memchr to each separator, fields cut in place in the scratch copy, no regex, no
 * sscanf, no allocation. Apache's \" and \\ escapes inside quoted fields are undone;
 * a raw quote inside a field (nginx with escape=none) is tolerated by requiring the
 * closing quote to be followed by what the format puts next. */
#include "monitor/decode_int.h"
#include "core/err.h"

#include <string.h>

/* What must follow a quoted field's closing quote. */
enum quote_end {
	QE_STATUS,	/* " 200" : the request */
	QE_QUOTE,	/* " \"" : the referer, followed by the user agent */
	QE_ANY,		/* end of line or a space: the last field */
};

static bool
quote_ends_here(const char *q, const char *end, enum quote_end want)
{
	const char *a = q + 1;
	switch (want) {
	case QE_STATUS:
		return end - a >= 2 && a[0] == ' ' && ((a[1] >= '0' && a[1] <= '9') || a[1] == '-');
	case QE_QUOTE:
		return end - a >= 2 && a[0] == ' ' && a[1] == '"';
	default:
		return a == end || a[0] == ' ';
	}
}

/* Undoes \" and \\ in place (Apache's escaping); other escapes stay as logged. */
static size_t
unescape(char *s, size_t len)
{
	char *w = memchr(s, '\\', len), *r, *end = s + len;
	if (!w)
		return len;
	for (r = w; r < end; r++) {
		if (*r == '\\' && r + 1 < end && (r[1] == '"' || r[1] == '\\'))
			r++;
		*w++ = *r;
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* p points at an opening quote. Cuts the field in place, returns it (or NULL for "-")
 * and moves *pp past the closing quote. VG_ERR_PARSE if it never closes. escapes:
 * the line holds a backslash (else there is nothing to undo). */
static int
quoted(char **pp, char *end, enum quote_end want, bool escapes, char **val, size_t *vlen)
{
	char *start = *pp + 1, *q = start;

	for (;;) {
		q = memchr(q, '"', (size_t)(end - q));
		if (!q)
			return VG_ERR_PARSE;
		size_t bs = 0;
		while (q - bs > start && q[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		if (bs % 2 == 0 && quote_ends_here(q, end, want))
			break;
		q++;
	}
	*q = '\0';
	*pp = q + 1;
	*vlen = escapes ? unescape(start, (size_t)(q - start)) : (size_t)(q - start);
	*val = (*vlen == 1 && start[0] == '-') ? NULL : start;
	return VG_OK;
}

/* A quoted field that a cut at max_line left open: the field is what was kept,
 * up to the end of the line, so the kept part is still matched. */
static void
open_field(char *p, char *end, char **val, size_t *vlen)
{
	*val = p + 1;
	*vlen = unescape(p + 1, (size_t)(end - p - 1));
	(*val)[*vlen] = '\0';
}

int
decode_combined_line(struct decode_line *ln, struct vg_event *ev, const char **reason)
{
	char *p = ln->buf, *end = ln->buf + ln->len, *q, *val;
	size_t vlen;
	uint64_t n;
	bool escapes;

	/* %h: client address (an IP, or a host name with HostnameLookups) */
	q = memchr(p, ' ', (size_t)(end - p));
	if (!q || q == p)
		goto bad_prefix;
	decode_set_ip(ev->src_ip, p, (size_t)(q - p));
	p = q + 1;
	/* %l: identd, ignored */
	q = memchr(p, ' ', (size_t)(end - p));
	if (!q)
		goto bad_prefix;
	p = q + 1;
	/* %u: user, up to " [" (a user name may hold a space) */
	q = memchr(p, '[', (size_t)(end - p));
	if (!q || q == p || q[-1] != ' ')
		goto bad_prefix;
	if (q - 1 > p && !(q - 1 - p == 1 && *p == '-')) {
		q[-1] = '\0';
		ev->user = p;
	}
	/* %t: [10/Oct/2000:13:55:36 -0700] */
	p = q + 1;
	if (end - p < 27 || p[26] != ']') {
		*reason = "combined: bad [time] field";
		return VG_ERR_PARSE;
	}
	if (decode_time_clf_memo(ln->time_memo, p, 26, &ev->ts_us) != VG_OK) {
		*reason = "combined: bad [time] field";
		return VG_ERR_PARSE;
	}
	p += 27;
	/* "%r" */
	if (end - p < 2 || p[0] != ' ' || p[1] != '"') {
		*reason = "combined: missing \"request\" after time";
		return VG_ERR_PARSE;
	}
	p++;
	/* one look for a backslash in the quoted fields, not one per field: most lines have none */
	escapes = memchr(p, '\\', (size_t)(end - p)) != NULL;
	if (quoted(&p, end, QE_STATUS, escapes, &val, &vlen) != VG_OK) {
		if (!ln->cut) {
			*reason = "combined: unterminated \"request\"";
			return VG_ERR_PARSE;
		}
		open_field(p, end, &val, &vlen);
		decode_split_request(val, vlen, ev);
		ev->kind = VG_EV_HTTP;	/* status and the rest were cut off */
		return VG_OK;
	}
	if (val)
		decode_split_request(val, vlen, ev);
	/* %>s */
	p++;
	q = memchr(p, ' ', (size_t)(end - p));
	if (!q)
		q = end;
	if (q - p == 1 && *p == '-') {
		ev->http.status = 0;
	} else if (decode_uint(p, (size_t)(q - p), 999, &n) == VG_OK) {
		ev->http.status = (int)n;
	} else {
		*reason = "combined: bad status";
		return VG_ERR_PARSE;
	}
	if (q == end) {
		*reason = "combined: missing bytes after status";
		return VG_ERR_PARSE;
	}
	/* %b */
	p = q + 1;
	q = memchr(p, ' ', (size_t)(end - p));
	if (!q)
		q = end;
	if (q - p == 1 && *p == '-') {
		ev->http.bytes = -1;
	} else if (decode_uint(p, (size_t)(q - p), INT64_MAX, &n) == VG_OK) {
		ev->http.bytes = (int64_t)n;
	} else {
		*reason = "combined: bad byte count";
		return VG_ERR_PARSE;
	}
	ev->kind = VG_EV_HTTP;
	if (q == end)
		return VG_OK;	/* common log format stops here */
	/* "%{Referer}i" "%{User-agent}i", then anything a site appended */
	p = q + 1;
	if (p == end)
		return VG_OK;
	if (*p != '"' || (quoted(&p, end, QE_QUOTE, escapes, &val, &vlen) != VG_OK &&
	    quoted(&p, end, QE_ANY, escapes, &val, &vlen) != VG_OK)) {
		if (*p != '"' || !ln->cut) {
			*reason = "combined: bad \"referer\"";
			return VG_ERR_PARSE;
		}
		open_field(p, end, &val, &vlen);
		ev->http.referer = val;
		return VG_OK;
	}
	ev->http.referer = val;
	if (p == end)
		return VG_OK;	/* no user agent field */
	p++;
	if (p == end || *p != '"' || quoted(&p, end, QE_ANY, escapes, &val, &vlen) != VG_OK) {
		if (p == end || *p != '"' || !ln->cut) {
			*reason = "combined: bad \"user agent\"";
			return VG_ERR_PARSE;
		}
		open_field(p, end, &val, &vlen);
	}
	ev->http.user_agent = val;
	return VG_OK;

bad_prefix:
	*reason = "combined: expected 'client ident user [time]'";
	return VG_ERR_PARSE;
}

static int
combined_decode(void *state, struct decode_line *ln, struct vg_event *ev, const char **reason)
{
	(void)state;
	return decode_combined_line(ln, ev, reason);
}

const struct decoder_ops decoder_combined = {
	.name = "combined",
	.docs = "nginx/Apache combined or common access log "
		"(client - user [time] \"request\" status bytes \"referer\" \"agent\")",
	.decode = combined_decode,
};

const struct decoder_ops decoder_apache = {
	.name = "apache",
	.docs = "Apache combined or common access log (same as combined; \\\" escapes undone)",
	.decode = combined_decode,
};
