/* Private to src/web: the server context, one request as handlers see it, the
 * route table and the live-feed hub. */
#ifndef VG_WEB_INT_H
#define VG_WEB_INT_H

#include "web/agg.h"
#include "web/auth.h"
#include "web/wdb.h"
#include "web/web.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>

#define WEB_BODY_MAX (64 * 1024)
#define WEB_SESSION_MAX_US (12LL * 3600 * 1000000)	/* absolute session lifetime */
#define WEB_COOKIE "vigil_session"

struct sse_hub;
struct cases;
struct notify;

struct web {
	const struct vg_logger *log;
	struct vg_store *st;
	struct wdb *db;
	struct cases *cs;	/* incidents, notices, duty (src/cases) */
	struct notify *nt;	/* the outbox the workflow's messages go to */
	struct MHD_Daemon *d;
	bool tls;
	char *tls_cert;
	char *tls_key;
	int64_t idle_us;
	unsigned port;
	struct ratelimit rl;
	struct sse_hub *sse;
	json_t *webroots;	/* configured web roots, for the overview */
	struct agg *agg;	/* the overview's alert counts, fed by the live feed's poll */
	int64_t next_expire_us;
	/* The overview is the same for every viewer: computed at most once a second
	 * per window, however many wall screens and pages ask. */
	json_t *ov_cache;
	struct loop *loop;	/* set by web_attach */
	long long tick_id;
	int64_t ov_cache_at;
	long long ov_cache_minutes;
};

/* One API request. Handlers set status and out (a new reference) or resp. */
struct web_req {
	struct web *w;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	char addr[48];
	int64_t id;			/* {id} from the route pattern, else 0 */
	const char *body;		/* NUL-terminated, may be "" */
	size_t body_len;
	bool authed;
	struct wdb_session sess;
	char sess_hash[AUTH_HEX_LEN + 1];
	/* results */
	int status;
	json_t *out;
	struct MHD_Response *resp;	/* set instead of out for streams */
	char set_cookie[256];
	int64_t retry_after;		/* seconds, for 429 */
};

enum route_flags {
	ROUTE_PUBLIC = 1,	/* no session needed */
};

struct web_route {
	const char *method;
	const char *pattern;	/* "/api/alerts/{id}": {id} is a positive integer */
	enum web_role min_role;
	int flags;
	void (*fn)(struct web_req *rq);
};

extern const struct web_route web_routes[];

/* Sets rq->status and an {"error": code, "message": msg} body. */
void web_error(struct web_req *rq, int status, const char *code, const char *msg);
/* Query-string value or NULL. */
const char *web_arg(struct web_req *rq, const char *name);
/* Integer query argument in [min, max], def when absent; false (400 set) if bad. */
bool web_arg_int(struct web_req *rq, const char *name, long long min, long long max,
    long long def, long long *out);
/* Adds "next_before" (the last row's id) to rq->out when page is a full page. */
void web_next_before(struct web_req *rq, const json_t *page, long long limit);
/* Parsed JSON object body, or NULL with a 400 set (caller decrefs). */
json_t *web_body_json(struct web_req *rq);
/* Writes an audit row as the request's user. */
void web_audit(struct web_req *rq, const char *action, const char *detail);

/* parse.c: pure helpers (fuzzed). */
/* Matches path against pattern; on success sets *id for a {id} segment. */
bool web_route_match(const char *pattern, const char *path, int64_t *id);
/* Parses a decimal integer in [min, max] with nothing after it. */
bool web_parse_int(const char *s, long long min, long long max, long long *out);
/* True for a path we may look up among the static assets ("/x.js", no "..", no
 * control bytes, at most 128 bytes). */
bool web_static_path_ok(const char *path);
/* Extracts {"user": S, "password": S} from a login body; false if malformed. */
bool web_parse_login(const char *body, size_t len, char user[65], char password[1025]);

/* api_cases.c: the duty workflow's routes (docs/api.md). */
void api_incidents_list(struct web_req *rq);
void api_incident_get(struct web_req *rq);
void api_incident_step(struct web_req *rq);	/* ack|verify|dispose|feedback|close */
void api_suppressions_list(struct web_req *rq);
void api_notices_list(struct web_req *rq);
void api_notice_get(struct web_req *rq);
void api_notice_add(struct web_req *rq);
void api_notices_import(struct web_req *rq);
void api_notice_close(struct web_req *rq);
void api_duty_get(struct web_req *rq);
void api_duty_shift_add(struct web_req *rq);
void api_duty_handover(struct web_req *rq);

/* status.c: the overview's incident summary and daemon status (new objects). */
json_t *web_incidents_summary(struct web *w, int64_t now_us);
json_t *web_daemon_status(struct web *w, int64_t now_us);

/* sse.c: the live alert feed. */
int sse_open(struct web *w, struct sse_hub **out);
void sse_close(struct sse_hub *h);	/* resumes every client so MHD can close it */
void sse_stream(struct web_req *rq);	/* GET /api/stream */
void sse_tick(struct sse_hub *h, int64_t now_us);
json_t *sse_stats(struct sse_hub *h);

/* assets: generated from web/ at build time (scripts/embed-assets). */
struct web_asset {
	const char *path;
	const char *type;
	const unsigned char *data;
	size_t len;
	const char *etag;
};
extern const struct web_asset web_assets[];
extern const size_t web_assets_count;

#endif
