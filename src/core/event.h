/* The normalised event every decoder produces and the alert every detector emits,
 * with JSON encoders using Elastic Common Schema names (source.ip, url.original,
 * user_agent.original, event.severity, rule.id ...). */
#ifndef VG_EVENT_H
#define VG_EVENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VG_IP_MAX 46	/* INET6_ADDRSTRLEN */

enum vg_severity {
	VG_SEV_INFO = 0,
	VG_SEV_LOW = 1,
	VG_SEV_MEDIUM = 2,
	VG_SEV_HIGH = 3,
	VG_SEV_CRITICAL = 4,
};

/* What kind of line an event came from. */
enum vg_event_kind {
	VG_EV_UNKNOWN = 0,
	VG_EV_HTTP,		/* web access log */
	VG_EV_AUTH,		/* sshd / login */
	VG_EV_SYSLOG,		/* generic syslog message */
	VG_EV_JSON,		/* JSON-lines input (e.g. Suricata eve) */
	VG_EV_FILE,		/* web-root change */
	VG_EV_DECODE_ERROR,	/* a line no decoder understood; kept, never dropped */
};

/* A normalised event. String members are borrowed (they point into the decoder's
 * line buffer) and valid only while that line is being processed; NULL = absent. */
struct vg_event {
	enum vg_event_kind kind;
	int64_t ts_us;			/* event time, µs since the epoch; 0 if unknown */
	const char *host;		/* sensor/host that produced the line */
	const char *source;		/* source label (log path or name) */
	char src_ip[VG_IP_MAX];		/* "" if absent */
	uint16_t src_port;
	char dst_ip[VG_IP_MAX];
	uint16_t dst_port;
	const char *user;
	struct {
		const char *method;
		const char *url;	/* as logged (url.original) */
		const char *version;
		int status;		/* 0 if absent */
		int64_t bytes;		/* -1 if absent */
		const char *user_agent;
		const char *referer;
	} http;
	const char *program;		/* syslog program, e.g. sshd */
	int64_t pid;			/* syslog process id; 0 if absent */
	const char *message;		/* syslog/auth message text, whole */
	const char *action;		/* event.action: a fixed phrase for what happened
					 * (sshd: "Failed password", "Accepted publickey") */
	const char *raw;		/* the original line (event.original) */
	size_t raw_len;
	bool truncated;			/* line exceeded monitor.max_line */
};

/* An alert: one per (rule, source) per aggregation window. Strings are borrowed
 * from the rule table and the triggering event; copy before keeping. */
struct vg_alert {
	int64_t id;			/* store id once saved; 0 before */
	const char *rule_id;
	const char *title;
	const char *category;		/* sqli, xss, traversal, bruteforce, webshell ... */
	const char *mitre;		/* ATT&CK technique id, e.g. T1190; may be NULL */
	enum vg_severity severity;
	char source_ip[VG_IP_MAX];
	const char *sensor;		/* host/source where it was seen */
	uint64_t count;			/* events aggregated into this alert */
	int64_t first_seen_us;
	int64_t last_seen_us;
	const char *field;		/* which event field matched, e.g. url.original */
	const char *matched;		/* the text that matched */
	const char *evidence;		/* raw line of the first event */
	/* Lengths of matched and evidence, which may hold NUL bytes (a log line is any
	 * bytes); 0 means "up to the first NUL" for callers that build plain strings. */
	size_t matched_len, evidence_len;
};

/* Severity names: "info", "low", "medium", "high", "critical". */
const char *vg_severity_name(enum vg_severity s);
/* 0 or VG_ERR_INVAL. */
int vg_severity_parse(const char *name, enum vg_severity *out);
const char *vg_event_kind_name(enum vg_event_kind k);

/* Clears an event to "nothing known" (status 0, bytes -1). */
void vg_event_init(struct vg_event *ev);

/* Formats µs since the epoch as RFC 3339 UTC with milliseconds into buf (>= 32 bytes). */
void vg_time_format(int64_t ts_us, char *buf, size_t size);
/* Current wall-clock time in µs since the epoch. */
int64_t vg_now_us(void);

/* New JSON objects (caller owns the reference, json_decref). Invalid UTF-8 in
 * strings is replaced so output is always valid JSON. NULL on allocation failure. */
json_t *vg_event_to_json(const struct vg_event *ev);
json_t *vg_alert_to_json(const struct vg_alert *a);

/* Sets a dotted ECS path ("source.ip") in obj, creating nested objects; steals value.
 * 0 or VG_ERR_NOMEM. */
int vg_json_set_path(json_t *obj, const char *path, json_t *value);
/* JSON string from bytes that may not be valid UTF-8 (bad bytes become U+FFFD;
 * NUL bytes are kept, encoded as \u0000). */
json_t *vg_json_string_lossy(const char *s, size_t len);

#endif
