/* Decoder for any nginx log_format string. The format is compiled once, at
 * decoder_new, into a program of (variable, following literal) steps; a line is then
 * one left-to-right pass: each variable's value runs up to the next occurrence of the
 * literal that follows it (memchr/memmem), or to the end of the line. Variables the
 * event has no field for are parsed over and skipped. */
#include "monitor/decode_int.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NGINX_MAX_STEPS 128

enum nginx_var {
	NV_SKIP,		/* unknown or unused: value consumed, ignored */
	NV_REMOTE_ADDR, NV_REMOTE_PORT, NV_REMOTE_USER, NV_TIME_LOCAL, NV_TIME_ISO8601,
	NV_MSEC, NV_REQUEST, NV_STATUS, NV_BODY_BYTES_SENT, NV_BYTES_SENT, NV_HTTP_REFERER,
	NV_HTTP_USER_AGENT, NV_HOST, NV_REQUEST_METHOD, NV_REQUEST_URI, NV_URI,
	NV_SERVER_PROTOCOL, NV_SERVER_ADDR, NV_SERVER_PORT, NV_NUMBER,
};

/* The variables this decoder understands; every other $name is skipped. */
static const struct {
	const char *name;
	enum nginx_var var;
} nginx_vars[] = {
	{ "remote_addr", NV_REMOTE_ADDR },
	{ "binary_remote_addr", NV_SKIP },
	{ "realip_remote_addr", NV_SKIP },
	{ "remote_port", NV_REMOTE_PORT },
	{ "remote_user", NV_REMOTE_USER },
	{ "time_local", NV_TIME_LOCAL },
	{ "time_iso8601", NV_TIME_ISO8601 },
	{ "msec", NV_MSEC },
	{ "request", NV_REQUEST },
	{ "status", NV_STATUS },
	{ "body_bytes_sent", NV_BODY_BYTES_SENT },
	{ "bytes_sent", NV_BYTES_SENT },
	{ "http_referer", NV_HTTP_REFERER },
	{ "http_user_agent", NV_HTTP_USER_AGENT },
	{ "host", NV_HOST },
	{ "http_host", NV_HOST },
	{ "server_name", NV_HOST },
	{ "request_method", NV_REQUEST_METHOD },
	{ "request_uri", NV_REQUEST_URI },
	{ "uri", NV_URI },
	{ "server_protocol", NV_SERVER_PROTOCOL },
	{ "server_addr", NV_SERVER_ADDR },
	{ "server_port", NV_SERVER_PORT },
	/* checked to be numbers ("-" allowed) so a misaligned line is caught */
	{ "request_time", NV_NUMBER },
	{ "request_length", NV_NUMBER },
	/* no event field yet; parsed over */
	{ "http_x_forwarded_for", NV_SKIP },
};

/* One step: an optional variable, then the literal that must follow it. The first
 * step may have no variable (a literal prefix). */
struct nginx_step {
	enum nginx_var var;
	bool has_var;
	size_t min_len;		/* values with spaces of a fixed width ($time_local) */
	char *lit;
	size_t lit_len;
};

struct nginx_prog {
	struct nginx_step steps[NGINX_MAX_STEPS];
	size_t n;
};

static void
nginx_free(void *state)
{
	struct nginx_prog *p = state;
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->steps[i].lit);
	free(p);
}

static enum nginx_var
lookup_var(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(nginx_vars) / sizeof(nginx_vars[0]); i++)
		if (strlen(nginx_vars[i].name) == len && memcmp(nginx_vars[i].name, name, len) == 0)
			return nginx_vars[i].var;
	return NV_SKIP;
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static int
nginx_new(const char *fmt, void **state, char *err, size_t err_size)
{
	struct nginx_prog *prog = NULL;
	const char *p;
	char lit[4096];
	size_t lit_len = 0;
	int ret = VG_ERR_CONFIG;

	*state = NULL;
	if (!fmt || !*fmt) {
		snprintf(err, err_size, "format nginx needs a log_format string");
		return VG_ERR_CONFIG;
	}
	prog = calloc(1, sizeof(*prog));
	if (!prog) {
		snprintf(err, err_size, "out of memory");
		return VG_ERR_NOMEM;
	}
	/* step 0 holds the literal prefix; each $var opens a new step */
	prog->n = 1;
	for (p = fmt;;) {
		if (*p == '$' || *p == '\0') {
			struct nginx_step *cur = &prog->steps[prog->n - 1];
			cur->lit = malloc(lit_len + 1);
			if (!cur->lit) {
				snprintf(err, err_size, "out of memory");
				ret = VG_ERR_NOMEM;
				goto out;
			}
			memcpy(cur->lit, lit, lit_len);
			cur->lit[lit_len] = '\0';
			cur->lit_len = lit_len;
			lit_len = 0;
			if (*p == '\0')
				break;
			if (cur->has_var && cur->lit_len == 0) {
				snprintf(err, err_size, "log_format: variable at offset %zu follows "
				    "another variable with no separator, so the line cannot be split",
				    (size_t)(p - fmt));
				goto out;
			}
			const char *name = p + 1, *name_end;
			if (*name == '{') {
				name++;
				name_end = strchr(name, '}');
				if (!name_end) {
					snprintf(err, err_size, "log_format: unclosed ${ at offset %zu",
					    (size_t)(p - fmt));
					goto out;
				}
				p = name_end + 1;
			} else {
				for (name_end = name; is_name_char(*name_end); name_end++)
					;
				p = name_end;
			}
			if (name_end == name) {
				snprintf(err, err_size, "log_format: '$' without a variable name at "
				    "offset %zu", (size_t)(name - 1 - fmt));
				goto out;
			}
			for (const char *c = name; c < name_end; c++) {
				if (!is_name_char(*c)) {
					snprintf(err, err_size, "log_format: bad variable name at "
					    "offset %zu", (size_t)(name - fmt));
					goto out;
				}
			}
			if (prog->n == NGINX_MAX_STEPS) {
				snprintf(err, err_size, "log_format: more than %d variables",
				    NGINX_MAX_STEPS - 1);
				ret = VG_ERR_LIMIT;
				goto out;
			}
			struct nginx_step *st = &prog->steps[prog->n++];
			st->has_var = true;
			st->var = lookup_var(name, (size_t)(name_end - name));
			if (st->var == NV_TIME_LOCAL)
				st->min_len = 26;
			continue;
		}
		if (lit_len == sizeof(lit)) {
			snprintf(err, err_size, "log_format: literal text longer than %zu bytes",
			    sizeof(lit));
			ret = VG_ERR_LIMIT;
			goto out;
		}
		lit[lit_len++] = *p++;
	}
	if (prog->n == 1) {
		snprintf(err, err_size, "log_format has no $variables");
		goto out;
	}
	*state = prog;
	prog = NULL;
	ret = VG_OK;
out:
	nginx_free(prog);
	return ret;
}

/* Stores one variable's value (NUL-terminated in place; "-" means absent). */
static int
assign(enum nginx_var var, char *v, size_t len, struct vg_event *ev, const char **reason)
{
	uint64_t n;
	size_t used;
	bool dash = len == 1 && v[0] == '-';

	if (var == NV_SKIP || (dash && var != NV_STATUS && var != NV_BODY_BYTES_SENT &&
	    var != NV_BYTES_SENT))
		return VG_OK;
	switch (var) {
	case NV_REMOTE_ADDR:
		decode_set_ip(ev->src_ip, v, len);
		break;
	case NV_SERVER_ADDR:
		decode_set_ip(ev->dst_ip, v, len);
		break;
	case NV_REMOTE_PORT:
	case NV_SERVER_PORT:
		if (decode_uint(v, len, 65535, &n) != VG_OK) {
			*reason = "nginx: bad port";
			return VG_ERR_PARSE;
		}
		if (var == NV_REMOTE_PORT)
			ev->src_port = (uint16_t)n;
		else
			ev->dst_port = (uint16_t)n;
		break;
	case NV_REMOTE_USER:
		ev->user = v;
		break;
	case NV_TIME_LOCAL:
		if (decode_time_clf(v, len, &ev->ts_us) != VG_OK) {
			*reason = "nginx: bad $time_local";
			return VG_ERR_PARSE;
		}
		break;
	case NV_TIME_ISO8601:
		if (decode_time_iso8601(v, len, &ev->ts_us, &used) != VG_OK || used != len) {
			*reason = "nginx: bad $time_iso8601";
			return VG_ERR_PARSE;
		}
		break;
	case NV_MSEC:
		if (decode_time_epoch(v, len, &ev->ts_us) != VG_OK) {
			*reason = "nginx: bad $msec";
			return VG_ERR_PARSE;
		}
		break;
	case NV_REQUEST:
		decode_split_request(v, len, ev);
		break;
	case NV_STATUS:
		if (dash)
			break;
		if (decode_uint(v, len, 999, &n) != VG_OK) {
			*reason = "nginx: bad $status";
			return VG_ERR_PARSE;
		}
		ev->http.status = (int)n;
		break;
	case NV_BODY_BYTES_SENT:
	case NV_BYTES_SENT:
		if (dash)
			break;
		if (decode_uint(v, len, INT64_MAX, &n) != VG_OK) {
			*reason = "nginx: bad byte count";
			return VG_ERR_PARSE;
		}
		/* $body_bytes_sent is what ECS means by body bytes; $bytes_sent only fills in */
		if (var == NV_BODY_BYTES_SENT || ev->http.bytes < 0)
			ev->http.bytes = (int64_t)n;
		break;
	case NV_HTTP_REFERER:
		ev->http.referer = v;
		break;
	case NV_HTTP_USER_AGENT:
		ev->http.user_agent = v;
		break;
	case NV_HOST:
		ev->host = v;
		break;
	case NV_REQUEST_METHOD:
		ev->http.method = v;
		break;
	case NV_REQUEST_URI:
		ev->http.url = v;
		break;
	case NV_URI:
		if (!ev->http.url)
			ev->http.url = v;
		break;
	case NV_SERVER_PROTOCOL:
		ev->http.version = v;
		break;
	case NV_NUMBER:
		for (size_t i = 0; i < len; i++) {
			if (!((v[i] >= '0' && v[i] <= '9') || v[i] == '.')) {
				*reason = "nginx: expected a number";
				return VG_ERR_PARSE;
			}
		}
		break;
	case NV_SKIP:
		break;
	}
	return VG_OK;
}

/* Next occurrence of the step's literal in [from, end). A quote escaped as \" (nginx's
 * escape=json, or Apache-style logs) does not count as the closing quote. */
static char *
find_lit(char *from, char *end, const char *value_start, const struct nginx_step *st)
{
	for (;;) {
		char *m = st->lit_len == 1 ? memchr(from, st->lit[0], (size_t)(end - from))
		    : memmem(from, (size_t)(end - from), st->lit, st->lit_len);
		if (!m || st->lit[0] != '"')
			return m;
		size_t bs = 0;
		while (m - bs > value_start && m[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			return m;
		from = m + 1;
	}
}

/* The line was cut at max_line inside this variable: what was kept is its value
 * (a number cut in half is dropped rather than failing the line). */
static int
cut_value(enum nginx_var var, char *p, char *end, struct vg_event *ev)
{
	const char *ignored;

	*end = '\0';
	(void)assign(var, p, (size_t)(end - p), ev, &ignored);
	ev->kind = VG_EV_HTTP;
	return VG_OK;
}

static int
nginx_decode(void *state, struct decode_line *ln, struct vg_event *ev, const char **reason)
{
	const struct nginx_prog *prog = state;
	char *p = ln->buf, *end = ln->buf + ln->len;
	const struct nginx_step *st = &prog->steps[0];

	if ((size_t)(end - p) < st->lit_len || memcmp(p, st->lit, st->lit_len) != 0) {
		*reason = "nginx: line does not start like the log_format";
		return VG_ERR_PARSE;
	}
	p += st->lit_len;
	for (size_t i = 1; i < prog->n; i++) {
		st = &prog->steps[i];
		char *vend;
		if (st->lit_len == 0) {
			vend = end;
		} else if (i == prog->n - 1) {
			/* the closing literal anchors at the end of the line, so a quote inside
			 * the last quoted value (Apache-style \") does not cut it short */
			if ((size_t)(end - p) < st->lit_len ||
			    memcmp(end - st->lit_len, st->lit, st->lit_len) != 0) {
				if (ln->cut)
					return cut_value(st->var, p, end, ev);
				*reason = "nginx: line does not end like the log_format";
				return VG_ERR_PARSE;
			}
			vend = end - st->lit_len;
		} else {
			char *from = (size_t)(end - p) >= st->min_len ? p + st->min_len : p;
			vend = find_lit(from, end, p, st);
			if (!vend) {
				if (ln->cut)
					return cut_value(st->var, p, end, ev);
				*reason = "nginx: line is missing a separator of the log_format";
				return VG_ERR_PARSE;
			}
		}
		char *next = vend + st->lit_len;
		*vend = '\0';
		if (assign(st->var, p, (size_t)(vend - p), ev, reason) != VG_OK)
			return VG_ERR_PARSE;
		p = next;
	}
	if (p != end) {
		*reason = "nginx: text after the end of the log_format";
		return VG_ERR_PARSE;
	}
	ev->kind = VG_EV_HTTP;
	return VG_OK;
}

const struct decoder_ops decoder_nginx = {
	.name = "nginx",
	.docs = "any nginx log_format string (monitor.sources[].log_format)",
	.new_state = nginx_new,
	.decode = nginx_decode,
	.free_state = nginx_free,
};
