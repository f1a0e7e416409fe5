/* JSON-lines decoder (jansson): ECS-style documents (nested or dotted keys such as
 * source.ip, url.original) and Suricata eve.json (src_ip, http.url, alert.signature).
 * Each field is looked up under a short list of names, first match wins. The parsed
 * document is kept until the next line so the event can borrow its strings. */
#include "monitor/decode_int.h"
#include "core/err.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct decode_json {
	json_t *doc;	/* the previous line's document, owned */
};

int
decode_json_new(struct decode_json **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? VG_OK : VG_ERR_NOMEM;
}

void
decode_json_free(struct decode_json *j)
{
	if (!j)
		return;
	json_decref(j->doc);
	free(j);
}

/* The value at path: a flat key "a.b" first, then nested objects a -> b. */
static json_t *
lookup(json_t *root, const char *path)
{
	json_t *v = json_object_get(root, path);
	const char *dot;

	if (v || !strchr(path, '.'))
		return v;
	v = root;
	while (v && (dot = strchr(path, '.')) != NULL) {
		char key[32];
		size_t n = (size_t)(dot - path);
		if (n >= sizeof(key) || !json_is_object(v))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		path = dot + 1;
	}
	return v && json_is_object(v) ? json_object_get(v, path) : NULL;
}

/* First string among the candidate paths (NULL-terminated list), or NULL. */
static const char *
str_of(json_t *root, const char *const *paths, size_t *len)
{
	for (; *paths; paths++) {
		json_t *v = lookup(root, *paths);
		if (json_is_string(v) && json_string_length(v) > 0) {
			if (len)
				*len = json_string_length(v);
			return json_string_value(v);
		}
	}
	return NULL;
}

/* First integer (or decimal string) among the candidates, in [0, max]; -1 if none. */
static int64_t
int_of(json_t *root, const char *const *paths, int64_t max)
{
	for (; *paths; paths++) {
		json_t *v = lookup(root, *paths);
		uint64_t n;
		if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= max)
			return json_integer_value(v);
		if (json_is_string(v) && decode_uint(json_string_value(v), json_string_length(v),
		    (uint64_t)max, &n) == VG_OK)
			return (int64_t)n;
	}
	return -1;
}

#define PATHS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void
set_ip(char dst[VG_IP_MAX], json_t *root, const char *const *paths)
{
	size_t len;
	const char *s = str_of(root, paths, &len);
	if (s)
		decode_set_ip(dst, s, len);
}

int
decode_json_line(struct decode_json *j, struct decode_line *ln, struct vg_event *ev,
    const char **reason)
{
	json_error_t jerr;
	json_t *root;
	const char *s;
	size_t len;
	int64_t n;

	json_decref(j->doc);
	j->doc = NULL;
	root = json_loadb(ln->buf, ln->len, 0, &jerr);
	if (!root) {
		*reason = "json: not valid JSON";
		return VG_ERR_PARSE;
	}
	j->doc = root;
	if (!json_is_object(root)) {
		*reason = "json: line is not a JSON object";
		return VG_ERR_PARSE;
	}
	ev->kind = VG_EV_JSON;
	s = str_of(root, PATHS("@timestamp", "timestamp", "time"), &len);
	if (s) {
		size_t used;
		if (decode_time_iso8601(s, len, &ev->ts_us, &used) != VG_OK)
			ev->ts_us = 0;
	} else {
		json_t *t = lookup(root, "timestamp");
		if (json_is_number(t) && json_number_value(t) > 0 && json_number_value(t) < 253402300799.0)
			ev->ts_us = (int64_t)(json_number_value(t) * 1e6);
	}
	set_ip(ev->src_ip, root, PATHS("src_ip", "source.ip", "client.ip", "remote_addr"));
	set_ip(ev->dst_ip, root, PATHS("dest_ip", "destination.ip", "server.ip"));
	if ((n = int_of(root, PATHS("src_port", "source.port", "client.port"), 65535)) >= 0)
		ev->src_port = (uint16_t)n;
	if ((n = int_of(root, PATHS("dest_port", "destination.port", "server.port"), 65535)) >= 0)
		ev->dst_port = (uint16_t)n;
	ev->host = str_of(root, PATHS("host.name", "host", "hostname", "http.hostname"), NULL);
	ev->user = str_of(root, PATHS("user.name", "user", "username", "remote_user"), NULL);
	ev->http.method = str_of(root, PATHS("http.request.method", "http.http_method", "method",
	    "request_method"), NULL);
	ev->http.url = str_of(root, PATHS("url.original", "http.url", "url", "request_uri",
	    "uri"), NULL);
	ev->http.version = str_of(root, PATHS("http.version", "http.protocol",
	    "server_protocol"), NULL);
	if ((n = int_of(root, PATHS("http.response.status_code", "http.status", "status"), 999)) >= 0)
		ev->http.status = (int)n;
	ev->http.bytes = int_of(root, PATHS("http.response.body.bytes", "http.length",
	    "body_bytes_sent", "bytes"), INT64_MAX);
	ev->http.user_agent = str_of(root, PATHS("user_agent.original", "http.http_user_agent",
	    "user_agent", "http_user_agent"), NULL);
	ev->http.referer = str_of(root, PATHS("http.request.referrer", "http.http_refer",
	    "referer", "http_referer"), NULL);
	ev->program = str_of(root, PATHS("process.name", "program"), NULL);
	if ((n = int_of(root, PATHS("process.pid", "pid"), UINT32_MAX)) > 0)
		ev->pid = n;
	ev->message = str_of(root, PATHS("alert.signature", "message", "msg"), NULL);
	return VG_OK;
}

static int
json_new(const char *log_format, void **state, char *err, size_t err_size)
{
	(void)log_format;
	(void)err;
	(void)err_size;
	return decode_json_new((struct decode_json **)state);
}

static int
json_decode(void *state, struct decode_line *ln, struct vg_event *ev, const char **reason)
{
	return decode_json_line(state, ln, ev, reason);
}

static void
json_free_state(void *state)
{
	decode_json_free(state);
}

const struct decoder_ops decoder_json = {
	.name = "json",
	.docs = "JSON lines: ECS keys (source.ip, url.original, ...) and Suricata eve.json "
		"(src_ip, http.url, alert.signature)",
	.new_state = json_new,
	.decode = json_decode,
	.free_state = json_free_state,
};
