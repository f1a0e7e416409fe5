/* Generic syslog decoder: RFC 3164 ("<pri>Oct 10 13:55:36 host prog[pid]: msg", the
 * form rsyslog and journalctl write to files, PRI optional, RFC 3339 timestamps too)
 * and RFC 5424 ("<pri>1 ts host app procid msgid [sd] msg"). Lines from sshd are
 * handed to the sshd logic so a syslog source still yields auth events. */
#include "monitor/decode_int.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TAG_MAX 64	/* longest "prog[pid]:" tag looked for */

void
decode_syslog_init(struct decode_syslog *s)
{
	time_t now = time(NULL);
	struct tm tm;

	s->gmtoff = localtime_r(&now, &tm) ? tm.tm_gmtoff : 0;
}

/* Cuts the space-terminated token at *pp; returns it and moves past the space. */
static char *
token(char **pp, char *end)
{
	char *t = *pp, *sp = memchr(t, ' ', (size_t)(end - t));
	if (!sp) {
		*pp = end;
		return t;
	}
	*sp = '\0';
	*pp = sp + 1;
	return t;
}

static void
set_pid(const char *s, size_t len, struct vg_event *ev)
{
	uint64_t pid;
	if (decode_uint(s, len, UINT32_MAX, &pid) == VG_OK)
		ev->pid = (int64_t)pid;
}

/* "prog[pid]: message" or "prog: message"; no tag means all message. */
static void
tag_and_message(char *p, char *end, struct vg_event *ev)
{
	size_t lim = (size_t)(end - p) < TAG_MAX ? (size_t)(end - p) : TAG_MAX;
	char *colon = memchr(p, ':', lim);

	if (colon && colon > p && !memchr(p, ' ', (size_t)(colon - p))) {
		char *br = memchr(p, '[', (size_t)(colon - p));
		if (br && colon[-1] == ']') {
			set_pid(br + 1, (size_t)(colon - 1 - br - 1), ev);
			*br = '\0';
		}
		*colon = '\0';
		ev->program = p;
		p = colon + 1;
		if (*p == ' ')
			p++;
	}
	ev->message = p;
}

static int
rfc5424(char *p, char *end, struct vg_event *ev, const char **reason)
{
	char *t;
	size_t used;

	t = token(&p, end);
	if (strcmp(t, "-") != 0 &&
	    (decode_time_iso8601(t, strlen(t), &ev->ts_us, &used) != VG_OK || t[used] != '\0')) {
		*reason = "syslog: bad RFC 5424 timestamp";
		return VG_ERR_PARSE;
	}
	if (p == end) {
		*reason = "syslog: RFC 5424 header cut short";
		return VG_ERR_PARSE;
	}
	t = token(&p, end);
	if (strcmp(t, "-") != 0)
		ev->host = t;
	t = token(&p, end);
	if (*t && strcmp(t, "-") != 0)
		ev->program = t;
	t = token(&p, end);
	if (strcmp(t, "-") != 0)
		set_pid(t, strlen(t), ev);
	(void)token(&p, end);	/* MSGID */
	if (p == end) {
		*reason = "syslog: RFC 5424 header cut short";
		return VG_ERR_PARSE;
	}
	/* STRUCTURED-DATA: "-" or [id k="v" ...]..., with \" \] \\ escapes in values */
	if (*p == '-') {
		p++;
	} else if (*p == '[') {
		while (p < end && *p == '[') {
			bool in_q = false;
			for (p++; p < end; p++) {
				if (in_q && *p == '\\' && p + 1 < end)
					p++;
				else if (*p == '"')
					in_q = !in_q;
				else if (!in_q && *p == ']')
					break;
			}
			if (p == end) {
				*reason = "syslog: unterminated RFC 5424 structured data";
				return VG_ERR_PARSE;
			}
			p++;
		}
	} else {
		*reason = "syslog: bad RFC 5424 structured data";
		return VG_ERR_PARSE;
	}
	if (p < end) {
		if (*p != ' ') {
			*reason = "syslog: bad RFC 5424 structured data";
			return VG_ERR_PARSE;
		}
		p++;
		if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;	/* the BOM RFC 5424 puts before UTF-8 messages */
	}
	ev->message = p;
	return VG_OK;
}

/* The syslog fields of a line; decode_syslog_parse adds the sshd reading. */
static int
syslog_fields(const struct decode_syslog *s, struct decode_line *ln, struct vg_event *ev,
    const char **reason)
{
	char *p = ln->buf, *end = ln->buf + ln->len;
	bool pri = false;
	size_t used;

	if (*p == '<') {
		char *gt = memchr(p, '>', (size_t)(end - p) < 5 ? (size_t)(end - p) : 5);
		uint64_t v;
		if (!gt || decode_uint(p + 1, (size_t)(gt - p - 1), 191, &v) != VG_OK) {
			*reason = "syslog: bad <priority>";
			return VG_ERR_PARSE;
		}
		p = gt + 1;
		pri = true;
	}
	if (pri && end - p >= 2 && p[0] == '1' && p[1] == ' ')
		return rfc5424(p + 2, end, ev, reason);

	if (end - p >= 15 && decode_month(p) && p[3] == ' ') {
		if (!ln->now_us)
			ln->now_us = vg_now_us();
		if (decode_time_rfc3164(p, 15, ln->now_us, s->gmtoff, &ev->ts_us) != VG_OK) {
			*reason = "syslog: bad timestamp";
			return VG_ERR_PARSE;
		}
		p += 15;
	} else if (decode_time_iso8601(p, (size_t)(end - p), &ev->ts_us, &used) == VG_OK) {
		p += used;
	} else {
		*reason = "syslog: no timestamp (expected 'Mmm dd hh:mm:ss' or RFC 3339)";
		return VG_ERR_PARSE;
	}
	if (p == end || *p != ' ') {
		*reason = "syslog: nothing after the timestamp";
		return VG_ERR_PARSE;
	}
	p++;
	/* A host name is one word; a token that is already a "tag:" means the sender
	 * left the host out (allowed on the wire by RFC 3164). */
	char *sp = memchr(p, ' ', (size_t)(end - p));
	size_t tl = sp ? (size_t)(sp - p) : (size_t)(end - p);
	if (sp && tl > 0 && p[tl - 1] != ':' && !memchr(p, '[', tl)) {
		*sp = '\0';
		ev->host = p;
		p = sp + 1;
	}
	tag_and_message(p, end, ev);
	return VG_OK;
}

int
decode_syslog_parse(const struct decode_syslog *s, struct decode_line *ln, struct vg_event *ev,
    const char **reason)
{
	int r = syslog_fields(s, ln, ev, reason);
	if (r != VG_OK)
		return r;
	ev->kind = VG_EV_SYSLOG;
	if (decode_is_sshd_program(ev->program) && ev->message)
		decode_sshd_message(ln, ev->message, ev);
	return VG_OK;
}

int
decode_syslog_new_state(const char *log_format, void **state, char *err, size_t err_size)
{
	(void)log_format;
	(void)err;
	(void)err_size;
	struct decode_syslog *s = malloc(sizeof(*s));
	if (!s)
		return VG_ERR_NOMEM;
	decode_syslog_init(s);
	*state = s;
	return VG_OK;
}

static int
syslog_decode(void *state, struct decode_line *ln, struct vg_event *ev, const char **reason)
{
	return decode_syslog_parse(state, ln, ev, reason);
}

const struct decoder_ops decoder_syslog = {
	.name = "syslog",
	.docs = "syslog RFC 3164 (files, journalctl) and RFC 5424; sshd lines become auth events",
	.new_state = decode_syslog_new_state,
	.decode = syslog_decode,
	.free_state = free,
};
