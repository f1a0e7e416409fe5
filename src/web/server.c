/* The console's HTTP server: libmicrohttpd in external epoll mode (one thread, the
 * caller's), request bodies capped at WEB_BODY_MAX, every response with the same
 * security headers. API requests go through the route table in api.c after the
 * session, CSRF and role checks here; everything else is an embedded asset. */
#include "web/web_int.h"
#include "cases/cases.h"
#include "core/err.h"
#include "notify/notify.h"
#include "core/event.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Per-connection state while a request body arrives. */
struct conn_ctx {
	char *body;
	size_t len;
	bool too_big;
};

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

static void
add_common_headers(struct web *w, struct MHD_Response *r, bool cache)
{
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cache-Control", cache ? "no-cache" : "no-store");
	if (w->tls)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

void
web_error(struct web_req *rq, int status, const char *code, const char *msg)
{
	json_decref(rq->out);
	rq->status = status;
	rq->out = json_pack("{s:s, s:s}", "error", code, "message", msg);
}

const char *
web_arg(struct web_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

bool
web_arg_int(struct web_req *rq, const char *name, long long min, long long max, long long def,
    long long *out)
{
	const char *v = web_arg(rq, name);
	char msg[128];

	*out = def;
	if (!v)
		return true;
	if (web_parse_int(v, min, max, out))
		return true;
	snprintf(msg, sizeof(msg), "'%s' must be an integer from %lld to %lld", name, min, max);
	web_error(rq, 400, "bad_argument", msg);
	return false;
}

void
web_next_before(struct web_req *rq, const json_t *page, long long limit)
{
	size_t n = json_array_size(page);
	if (rq->out && n > 0 && n == (size_t)limit)
		json_object_set_new(rq->out, "next_before", json_integer(json_integer_value(
		    json_object_get(json_array_get(page, n - 1), "id"))));
}

json_t *
web_body_json(struct web_req *rq)
{
	const char *ct = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Content-Type");
	json_error_t jerr;
	json_t *o;

	/* A JSON content type cannot be sent cross-site without a CORS preflight. */
	if (!ct || strncmp(ct, "application/json", 16) != 0) {
		web_error(rq, 415, "bad_content_type", "expected Content-Type: application/json");
		return NULL;
	}
	o = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		web_error(rq, 400, "bad_json", "body must be a JSON object");
		return NULL;
	}
	return o;
}

void
web_audit(struct web_req *rq, const char *action, const char *detail)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s%saddr=%s", detail ? detail : "", detail ? " " : "",
	    rq->addr);
	if (store_audit(rq->w->st, rq->authed ? rq->sess.user : "-", action, buf) != VG_OK)
		vg_warn(rq->w->log, "console: cannot write audit row for %s", action);
}

static void
client_addr(struct MHD_Connection *conn, char out[48])
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, 48, "?");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, 48);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, 48);
}

/* Loads the session named by the cookie; false when there is none or it expired. */
static bool
load_session(struct web_req *rq)
{
	const char *tok = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, WEB_COOKIE);
	int64_t now = vg_now_us();

	if (auth_token_hash(tok, rq->sess_hash) != VG_OK)
		return false;
	if (wdb_session_get(rq->w->db, rq->sess_hash, &rq->sess) != VG_OK ||
	    rq->sess.role == WEB_ROLE_NONE)
		return false;
	if (now - rq->sess.last_seen > rq->w->idle_us ||
	    now - rq->sess.created_at > WEB_SESSION_MAX_US) {
		wdb_session_del(rq->w->db, rq->sess_hash);
		return false;
	}
	/* Throttled: one write a minute per session is enough for the idle clock. */
	if (now - rq->sess.last_seen > 60LL * 1000000)
		wdb_session_touch(rq->w->db, rq->sess_hash, now);
	return true;
}

static bool
is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

static void
dispatch_api(struct web_req *rq)
{
	const struct web_route *route = NULL;
	bool path_known = false;

	for (const struct web_route *r = web_routes; r->method; r++) {
		int64_t id;
		if (!web_route_match(r->pattern, rq->path, &id))
			continue;
		path_known = true;
		if (strcmp(r->method, rq->method) == 0 ||
		    (strcmp(rq->method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
			route = r;
			rq->id = id;
			break;
		}
	}
	if (!route) {
		if (path_known)
			web_error(rq, 405, "method_not_allowed", "method not allowed here");
		else
			web_error(rq, 404, "not_found", "no such API endpoint");
		return;
	}
	rq->authed = load_session(rq);
	if (!(route->flags & ROUTE_PUBLIC)) {
		if (!rq->authed) {
			web_error(rq, 401, "unauthenticated", "log in first");
			return;
		}
		if (!is_safe_method(rq->method)) {
			const char *tok = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
			    "X-CSRF-Token");
			if (!auth_equal(tok, rq->sess.csrf)) {
				web_error(rq, 403, "csrf", "missing or wrong X-CSRF-Token");
				return;
			}
		}
		if (rq->sess.role < route->min_role) {
			web_error(rq, 403, "forbidden", "your role may not do this");
			return;
		}
	}
	route->fn(rq);
	if (!rq->out && !rq->resp && rq->status == 0)
		web_error(rq, 500, "internal", "no response");
}

static enum MHD_Result
queue(struct web *w, struct web_req *rq)
{
	struct MHD_Response *r = rq->resp;
	enum MHD_Result ret;
	char *text = NULL;

	if (!r) {
		if (!rq->out)
			rq->out = json_object();
		text = json_dumps(rq->out, JSON_COMPACT);
		if (!text)
			return MHD_NO;
		r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
		if (!r) {
			free(text);
			return MHD_NO;
		}
		MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	}
	add_common_headers(w, r, false);
	if (rq->set_cookie[0])
		MHD_add_response_header(r, "Set-Cookie", rq->set_cookie);
	if (rq->retry_after > 0) {
		char s[24];
		snprintf(s, sizeof(s), "%lld", (long long)rq->retry_after);
		MHD_add_response_header(r, "Retry-After", s);
	}
	ret = MHD_queue_response(rq->conn, rq->status ? (unsigned)rq->status : 200, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
serve_static(struct web *w, struct MHD_Connection *conn, const char *method, const char *url)
{
	const struct web_asset *a = NULL;
	struct MHD_Response *r;
	enum MHD_Result ret;
	const char *path = url, *inm;
	unsigned status = 200;

	if (strcmp(url, "/") == 0)
		path = "/index.html";
	else if (strcmp(url, "/wall") == 0)
		path = "/wall.html";
	if (!is_safe_method(method)) {
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		status = 405;
	} else {
		if (web_static_path_ok(path))
			for (size_t i = 0; i < web_assets_count && !a; i++)
				if (strcmp(web_assets[i].path, path) == 0)
					a = &web_assets[i];
		if (!a) {
			static const char nf[] = "not found\n";
			r = MHD_create_response_from_buffer(sizeof(nf) - 1, (void *)nf,
			    MHD_RESPMEM_PERSISTENT);
			MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
			status = 404;
		} else {
			inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
			if (inm && strcmp(inm, a->etag) == 0) {
				r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
				status = 304;
			} else {
				r = MHD_create_response_from_buffer(a->len, (void *)a->data,
				    MHD_RESPMEM_PERSISTENT);
				MHD_add_response_header(r, "Content-Type", a->type);
			}
			MHD_add_response_header(r, "ETag", a->etag);
		}
	}
	if (!r)
		return MHD_NO;
	add_common_headers(w, r, true);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct web *w = cls;
	struct conn_ctx *cc = *con_cls;
	struct web_req rq;
	enum MHD_Result ret;

	(void)version;
	if (!cc) {
		if (!(cc = calloc(1, sizeof(*cc))))
			return MHD_NO;
		*con_cls = cc;
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		if (!cc->too_big && cc->len + n <= WEB_BODY_MAX) {
			char *nb = realloc(cc->body, cc->len + n + 1);
			if (!nb)
				return MHD_NO;
			memcpy(nb + cc->len, upload_data, n);
			cc->body = nb;
			cc->len += n;
			cc->body[cc->len] = '\0';
		} else {
			cc->too_big = true;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (strncmp(url, "/api/", 5) != 0)
		return serve_static(w, conn, method, url);

	memset(&rq, 0, sizeof(rq));
	rq.w = w;
	rq.conn = conn;
	rq.method = method;
	rq.path = url;
	rq.body = cc->body ? cc->body : "";
	rq.body_len = cc->len;
	client_addr(conn, rq.addr);
	if (cc->too_big)
		web_error(&rq, 413, "too_large", "request body too large");
	else
		dispatch_api(&rq);
	ret = queue(w, &rq);
	json_decref(rq.out);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct conn_ctx *cc = *con_cls;
	(void)cls;
	(void)conn;
	(void)toe;
	if (cc) {
		free(cc->body);
		free(cc);
		*con_cls = NULL;
	}
}

static int
read_file(const char *path, char **out)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t n;
	int ret = VG_ERR_IO;

	*out = NULL;
	if (!f)
		return VG_ERR_IO;
	if (!(buf = calloc(1, 1 << 20)))
		goto out;
	n = fread(buf, 1, (1 << 20) - 1, f);
	if (ferror(f) || n == (1 << 20) - 1)
		goto out;
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	ret = VG_OK;
out:
	free(buf);
	fclose(f);
	return ret;
}

static json_t *
webroots_json(const struct vg_config *cfg)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < cfg->webroots.n; i++) {
		const struct vg_webroot_cfg *wr = vg_config_webroot(cfg, i);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "name",
		    wr->name ? wr->name : wr->path, "path", wr->path, "policy", wr->policy));
	}
	return arr;
}

/* Fills the overview's minute buckets from the alerts of the last AGG_MINUTES. */
static int
load_recent(struct web *w)
{
	int64_t now = vg_now_us(), after;
	int r;

	if ((r = wdb_alert_first_since(w->db, now - AGG_MINUTES * 60000000LL, &after)) != VG_OK)
		return r;
	for (after--;;) {
		json_t *rows = NULL, *a;
		size_t i;
		if ((r = wdb_alerts_after(w->db, after, 5000, &rows)) != VG_OK)
			return r;
		json_array_foreach(rows, i, a) {
			agg_add(w->agg, a, now);
			after = json_integer_value(json_object_get(a, "id"));
		}
		i = json_array_size(rows);
		json_decref(rows);
		if (i < 5000)
			return VG_OK;
	}
}

int
web_open(const struct vg_config *cfg, struct vg_store *st, const struct vg_logger *log,
    struct web **out, char *err, size_t err_size)
{
	struct web *w = calloc(1, sizeof(*w));
	struct sockaddr_storage ss;
	socklen_t sl;
	unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *di;
	const char *listen_addr = cfg->console.listen ? cfg->console.listen : "127.0.0.1";
	int r;

	*out = NULL;
	err[0] = '\0';
	if (!w)
		return VG_ERR_NOMEM;
	w->log = log;
	w->st = st;
	w->idle_us = (cfg->console.session_idle > 0 ? cfg->console.session_idle : 1800) * 1000000LL;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, listen_addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)cfg->console.port);
		sl = sizeof(*sin);
	} else if (inet_pton(AF_INET6, listen_addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)cfg->console.port);
		sl = sizeof(*sin6);
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, err_size, "console.listen: '%s' is not an IPv4 or IPv6 address",
		    listen_addr);
		r = VG_ERR_CONFIG;
		goto fail;
	}
	(void)sl;
	if (!!cfg->console.tls_cert != !!cfg->console.tls_key) {
		snprintf(err, err_size, "console: set both tls_cert and tls_key, or neither");
		r = VG_ERR_CONFIG;
		goto fail;
	}
	if (cfg->console.tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(err, err_size, "console: this libmicrohttpd has no TLS support");
			r = VG_ERR_CONFIG;
			goto fail;
		}
		if (read_file(cfg->console.tls_cert, &w->tls_cert) != VG_OK ||
		    read_file(cfg->console.tls_key, &w->tls_key) != VG_OK) {
			snprintf(err, err_size, "console: cannot read %s or %s: %s",
			    cfg->console.tls_cert, cfg->console.tls_key, strerror(errno));
			r = VG_ERR_IO;
			goto fail;
		}
		w->tls = true;
		flags |= MHD_USE_TLS;
	}
	if ((r = auth_init()) != VG_OK || (r = wdb_open(st, &w->db)) != VG_OK) {
		snprintf(err, err_size, "console: cannot prepare its queries: %s", vg_strerror(r));
		goto fail;
	}
	if ((r = cases_open(st, cfg, log, &w->cs)) != VG_OK ||
	    (r = notify_open(st, cfg, log, &w->nt)) != VG_OK) {
		snprintf(err, err_size, "console: cannot open the duty workflow: %s", vg_strerror(r));
		goto fail;
	}
	/* Notices added here are announced through the outbox, as from the CLI. */
	cases_set_notify(w->cs, notify_cases_hook, w->nt);
	if (!(w->agg = calloc(1, sizeof(*w->agg))) || (r = load_recent(w)) != VG_OK) {
		snprintf(err, err_size, "console: cannot read recent alerts: %s",
		    vg_strerror(w->agg ? r : VG_ERR_NOMEM));
		r = w->agg ? r : VG_ERR_NOMEM;
		goto fail;
	}
	if ((r = sse_open(w, &w->sse)) != VG_OK) {
		snprintf(err, err_size, "console: %s", vg_strerror(r));
		goto fail;
	}
	w->webroots = webroots_json(cfg);
	if (w->tls)
		w->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, w,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
		    MHD_OPTION_CONNECTION_LIMIT, 512u,
		    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 128u,
		    MHD_OPTION_CONNECTION_TIMEOUT, 120u,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
		    MHD_OPTION_HTTPS_MEM_CERT, w->tls_cert,
		    MHD_OPTION_HTTPS_MEM_KEY, w->tls_key,
		    MHD_OPTION_END);
	else
		w->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, w,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
		    MHD_OPTION_CONNECTION_LIMIT, 512u,
		    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 128u,
		    MHD_OPTION_CONNECTION_TIMEOUT, 120u,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
		    MHD_OPTION_END);
	if (!w->d) {
		snprintf(err, err_size, "console: cannot listen on %s port %lld: %s", listen_addr,
		    cfg->console.port, strerror(errno));
		r = VG_ERR_IO;
		goto fail;
	}
	di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
	w->port = di ? di->port : (unsigned)cfg->console.port;
	*out = w;
	return VG_OK;
fail:
	web_close(w);
	return r;
}

void
web_close(struct web *w)
{
	if (!w)
		return;
	web_detach(w);
	if (w->sse)
		sse_close(w->sse);
	if (w->d) {
		MHD_run(w->d);
		MHD_stop_daemon(w->d);
	}
	w->sse = NULL;
	wdb_close(w->db);
	cases_close(w->cs);
	notify_close(w->nt);
	json_decref(w->webroots);
	json_decref(w->ov_cache);
	free(w->agg);
	free(w->tls_cert);
	free(w->tls_key);
	free(w);
}

unsigned web_port(const struct web *w) { return w->port; }
const char *web_scheme(const struct web *w) { return w->tls ? "https" : "http"; }

int
web_fd(const struct web *w)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_EPOLL_FD);
	return di ? di->epoll_fd : -1;
}

int
web_timeout_ms(struct web *w)
{
	MHD_UNSIGNED_LONG_LONG t;
	if (MHD_get_timeout(w->d, &t) != MHD_YES)
		return -1;
	return t > 60000 ? 60000 : (int)t;
}

int
web_run(struct web *w)
{
	return MHD_run(w->d) == MHD_YES ? VG_OK : VG_ERR_IO;
}

void
web_tick(struct web *w)
{
	int64_t now = vg_now_us();
	sse_tick(w->sse, now);
	if (now >= w->next_expire_us) {
		wdb_session_expire(w->db, now - w->idle_us, now - WEB_SESSION_MAX_US);
		w->next_expire_us = now + 60LL * 1000000;
	}
	/* Resumed live-feed connections are served on this run. */
	MHD_run(w->d);
}
