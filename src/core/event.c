/* Event and alert helpers and their ECS JSON encoding. */
#include "core/event.h"
#include "core/buf.h"
#include "core/err.h"

#include <string.h>
#include <time.h>

static const char *const severity_names[] = { "info", "low", "medium", "high", "critical" };

const char *
vg_severity_name(enum vg_severity s)
{
	return (unsigned)s < 5 ? severity_names[s] : "unknown";
}

int
vg_severity_parse(const char *name, enum vg_severity *out)
{
	for (int i = 0; i < 5; i++) {
		if (strcmp(name, severity_names[i]) == 0) {
			*out = (enum vg_severity)i;
			return VG_OK;
		}
	}
	return VG_ERR_INVAL;
}

const char *
vg_event_kind_name(enum vg_event_kind k)
{
	switch (k) {
	case VG_EV_HTTP:	 return "http";
	case VG_EV_AUTH:	 return "authentication";
	case VG_EV_SYSLOG:	 return "syslog";
	case VG_EV_JSON:	 return "json";
	case VG_EV_FILE:	 return "file";
	case VG_EV_DECODE_ERROR: return "decode_error";
	default:		 return "unknown";
	}
}

void
vg_event_init(struct vg_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->http.bytes = -1;
}

int64_t
vg_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
vg_time_format(int64_t ts_us, char *buf, size_t size)
{
	time_t secs = (time_t)(ts_us / 1000000);
	struct tm tm;
	char base[24];

	/* Every printed alert formats two times: by hand, not gmtime+strftime+snprintf
	 * (a tenth of the cost), for the usual case of a date after 1970 before 10000. */
	if (ts_us >= 0 && ts_us < 253402300800000000LL && size >= 25) {
		int64_t z = ts_us / 86400000000LL + 719468;	/* Hinnant's civil_from_days */
		unsigned sod = (unsigned)(ts_us / 1000000 % 86400), ms = (unsigned)(ts_us / 1000 % 1000);
		unsigned doe = (unsigned)(z % 146097);
		unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
		unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
		unsigned y = (unsigned)(z / 146097 * 400) + yoe + (m <= 2);
		const unsigned v[] = { y / 100, y % 100, m, d, sod / 3600, sod / 60 % 60, sod % 60 };
		static const char sep[] = "\0-- ::";
		char *o = buf;
		for (int i = 0; i < 7; i++) {
			if (i > 1)
				*o++ = i == 4 ? 'T' : sep[i - 1];
			*o++ = (char)('0' + v[i] / 10);
			*o++ = (char)('0' + v[i] % 10);
		}
		*o++ = '.';
		*o++ = (char)('0' + ms / 100);
		*o++ = (char)('0' + ms / 10 % 10);
		*o++ = (char)('0' + ms % 10);
		*o++ = 'Z';
		*o = '\0';
		return;
	}
	gmtime_r(&secs, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03dZ", base, (int)((ts_us % 1000000) / 1000));
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
static size_t
utf8_seq_len(const unsigned char *s, size_t avail)
{
	size_t n;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	/* overlongs and surrogates */
	if (c == 0xE0 && s[1] < 0xA0)
		return 0;
	if (c == 0xED && s[1] >= 0xA0)
		return 0;
	if (c == 0xF0 && s[1] < 0x90)
		return 0;
	if (c == 0xF4 && s[1] >= 0x90)
		return 0;
	return n;
}

json_t *
vg_json_string_lossy(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	if (j)
		return j;
	/* Invalid UTF-8: rebuild with U+FFFD for each bad byte. */
	struct vg_buf *b = vg_buf_new(len * 3 + 1);
	if (!b)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len((const unsigned char *)s + i, len - i);
		if (n == 0) {
			vg_buf_put(b, "\xEF\xBF\xBD", 3);
			i++;
		} else {
			vg_buf_put(b, s + i, n);
			i += n;
		}
	}
	j = json_stringn(vg_buf_ptr(b), vg_buf_len(b));
	vg_buf_free(b);
	return j;
}

int
vg_json_set_path(json_t *obj, const char *path, json_t *value)
{
	const char *dot;
	json_t *cur = obj;

	if (!value)
		return VG_ERR_NOMEM;
	while ((dot = strchr(path, '.')) != NULL) {
		char key[64];
		size_t n = (size_t)(dot - path);
		if (n >= sizeof(key)) {
			json_decref(value);
			return VG_ERR_INVAL;
		}
		memcpy(key, path, n);
		key[n] = '\0';
		json_t *next = json_object_get(cur, key);
		if (!next || !json_is_object(next)) {
			next = json_object();
			if (!next || json_object_set_new(cur, key, next) != 0) {
				json_decref(value);
				return VG_ERR_NOMEM;
			}
		}
		cur = next;
		path = dot + 1;
	}
	return json_object_set_new(cur, path, value) == 0 ? VG_OK : VG_ERR_NOMEM;
}

static void
set_str(json_t *o, const char *path, const char *s)
{
	if (s && *s)
		vg_json_set_path(o, path, vg_json_string_lossy(s, strlen(s)));
}

static void
set_time(json_t *o, const char *path, int64_t ts_us)
{
	char buf[40];
	if (ts_us == 0)
		return;
	vg_time_format(ts_us, buf, sizeof(buf));
	vg_json_set_path(o, path, json_string(buf));
}

json_t *
vg_event_to_json(const struct vg_event *ev)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	set_time(o, "@timestamp", ev->ts_us);
	vg_json_set_path(o, "event.kind", json_string("event"));
	vg_json_set_path(o, "event.category", json_string(vg_event_kind_name(ev->kind)));
	set_str(o, "event.action", ev->action);
	set_str(o, "host.name", ev->host);
	set_str(o, "log.file.path", ev->source);
	set_str(o, "source.ip", ev->src_ip);
	if (ev->src_port)
		vg_json_set_path(o, "source.port", json_integer(ev->src_port));
	set_str(o, "destination.ip", ev->dst_ip);
	if (ev->dst_port)
		vg_json_set_path(o, "destination.port", json_integer(ev->dst_port));
	set_str(o, "user.name", ev->user);
	set_str(o, "http.request.method", ev->http.method);
	set_str(o, "url.original", ev->http.url);
	set_str(o, "http.version", ev->http.version);
	if (ev->http.status)
		vg_json_set_path(o, "http.response.status_code", json_integer(ev->http.status));
	if (ev->http.bytes >= 0)
		vg_json_set_path(o, "http.response.body.bytes", json_integer(ev->http.bytes));
	set_str(o, "user_agent.original", ev->http.user_agent);
	set_str(o, "http.request.referrer", ev->http.referer);
	set_str(o, "process.name", ev->program);
	if (ev->pid > 0)
		vg_json_set_path(o, "process.pid", json_integer(ev->pid));
	set_str(o, "message", ev->message);
	if (ev->raw)
		vg_json_set_path(o, "event.original", vg_json_string_lossy(ev->raw, ev->raw_len));
	if (ev->truncated)
		vg_json_set_path(o, "vigil.truncated", json_true());
	return o;
}

json_t *
vg_alert_to_json(const struct vg_alert *a)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	set_time(o, "@timestamp", a->last_seen_us ? a->last_seen_us : a->first_seen_us);
	if (a->id)
		vg_json_set_path(o, "event.id", json_integer(a->id));
	vg_json_set_path(o, "event.kind", json_string("alert"));
	vg_json_set_path(o, "event.severity", json_integer(a->severity));
	vg_json_set_path(o, "log.level", json_string(vg_severity_name(a->severity)));
	set_str(o, "rule.id", a->rule_id);
	set_str(o, "rule.name", a->title);
	set_str(o, "rule.category", a->category);
	set_str(o, "threat.technique.id", a->mitre);
	set_str(o, "source.ip", a->source_ip);
	set_str(o, "observer.name", a->sensor);
	vg_json_set_path(o, "vigil.count", json_integer((json_int_t)a->count));
	set_time(o, "event.start", a->first_seen_us);
	set_time(o, "event.end", a->last_seen_us);
	set_str(o, "vigil.matched.field", a->field);
	if (a->matched)
		vg_json_set_path(o, "vigil.matched.text", vg_json_string_lossy(a->matched,
		    a->matched_len ? a->matched_len : strlen(a->matched)));
	if (a->evidence)
		vg_json_set_path(o, "event.original", vg_json_string_lossy(a->evidence,
		    a->evidence_len ? a->evidence_len : strlen(a->evidence)));
	return o;
}
