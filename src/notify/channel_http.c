/* HTTP channels: the generic JSON webhook and the WeCom, DingTalk, Feishu/Lark
 * and Slack robots. One libcurl easy handle per channel is kept between sends
 * for keep-alive. A robot that answers 200 with a non-zero errcode/code (or
 * Slack's "ok": false) has refused the message: that counts as a failure. */
#include "notify/channel.h"
#include "core/buf.h"
#include "core/err.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define REPLY_MAX (64 << 10)

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	/* A reply larger than the bound is cut, not an error: only its start matters. */
	vg_buf_put(arg, data, size * n < REPLY_MAX ? size * n : 0);
	return size * n;
}

static void
free_conn(void *conn)
{
	curl_easy_cleanup(conn);
}

/* The robot's verdict in a 2xx reply; true when it accepted. */
static bool
reply_ok(const char *type, const char *body, char *err, size_t err_size)
{
	json_t *j = json_loads(body, 0, NULL);
	json_t *code = NULL;
	bool ok = true;

	if (!j)
		return true;	/* not JSON (webhook receivers may answer anything) */
	if (strcmp(type, "slack") == 0 && json_is_false(json_object_get(j, "ok")))
		ok = false;
	if ((code = json_object_get(j, "errcode")) || (code = json_object_get(j, "code")) ||
	    (code = json_object_get(j, "StatusCode")))
		ok = ok && json_is_integer(code) && json_integer_value(code) == 0;
	if (!ok)
		snprintf(err, err_size, "receiver refused: %.200s", body);
	json_decref(j);
	return ok;
}

static int
http_post(void **conn, const struct notify_delivery *d, const char *url, const json_t *body,
    char *err, size_t err_size)
{
	struct curl_slist *hdr = NULL;
	struct vg_buf *reply = vg_buf_new(REPLY_MAX);
	char *payload = json_dumps(body, JSON_COMPACT);
	char keyhdr[300];
	long status = 0;
	CURLcode rc;
	int r = VG_ERR_IO;

	if (!reply || !payload) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	if (!*conn && !(*conn = curl_easy_init())) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	CURL *c = *conn;
	curl_easy_reset(c);
	snprintf(keyhdr, sizeof(keyhdr), "Idempotency-Key: %s", d->key);
	hdr = curl_slist_append(hdr, "Content-Type: application/json; charset=utf-8");
	hdr = curl_slist_append(hdr, keyhdr);
	/* No "Expect: 100-continue" round trip (a second per message on servers
	 * that never answer it). */
	hdr = curl_slist_append(hdr, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, d->ch->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, d->ch->timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, reply);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil-notify");
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		snprintf(err, err_size, "%s", curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(err, err_size, "HTTP %ld", status);
		goto out;
	}
	if (!reply_ok(d->ch->type, vg_buf_ptr(reply), err, err_size))
		goto out;
	r = VG_OK;
out:
	curl_slist_free_all(hdr);
	free(payload);
	vg_buf_free(reply);
	return r;
}

static json_t *
mobiles(const struct notify_delivery *d)
{
	return d->contact ? json_pack("[s]", d->contact) : json_array();
}

static int
send_webhook(void **conn, const struct notify_delivery *d, char *err, size_t err_size)
{
	json_t *body = notify_webhook_body(d);
	int r = body ? http_post(conn, d, d->ch->url, body, err, err_size) : VG_ERR_NOMEM;
	json_decref(body);
	return r;
}

static int
send_wecom(void **conn, const struct notify_delivery *d, char *err, size_t err_size)
{
	json_t *body = json_pack("{s:s, s:{s:s, s:o}}", "msgtype", "text", "text", "content",
	    d->text, "mentioned_mobile_list", mobiles(d));
	int r = body ? http_post(conn, d, d->ch->url, body, err, err_size) : VG_ERR_NOMEM;
	json_decref(body);
	return r;
}

static int
send_dingtalk(void **conn, const struct notify_delivery *d, char *err, size_t err_size)
{
	json_t *body = json_pack("{s:s, s:{s:s}, s:{s:o}}", "msgtype", "text", "text", "content",
	    d->text, "at", "atMobiles", mobiles(d));
	struct vg_buf *url = vg_buf_new(8192);
	int r = VG_ERR_NOMEM;

	if (!body || !url)
		goto out;
	vg_buf_puts(url, d->ch->url);
	if (d->ch->secret) {
		struct timespec ts;
		char sign[160];
		clock_gettime(CLOCK_REALTIME, &ts);
		long long ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		if ((r = notify_sign_dingtalk(d->ch->secret, ms, sign, sizeof(sign))) != VG_OK)
			goto out;
		if (vg_buf_putf(url, "%stimestamp=%lld&sign=%s",
			strchr(d->ch->url, '?') ? "&" : "?", ms, sign) != VG_OK) {
			r = VG_ERR_LIMIT;
			goto out;
		}
	}
	r = http_post(conn, d, vg_buf_ptr(url), body, err, err_size);
out:
	vg_buf_free(url);
	json_decref(body);
	return r;
}

static int
send_feishu(void **conn, const struct notify_delivery *d, char *err, size_t err_size)
{
	json_t *body = json_pack("{s:s, s:{s:s}}", "msg_type", "text", "content", "text", d->text);
	int r = VG_ERR_NOMEM;

	if (!body)
		return r;
	if (d->ch->secret) {
		char sign[160], ts_text[32];
		long long ts = (long long)time(NULL);
		if ((r = notify_sign_feishu(d->ch->secret, ts, sign, sizeof(sign))) != VG_OK)
			goto out;
		snprintf(ts_text, sizeof(ts_text), "%lld", ts);
		json_object_set_new(body, "timestamp", json_string(ts_text));
		json_object_set_new(body, "sign", json_string(sign));
	}
	r = http_post(conn, d, d->ch->url, body, err, err_size);
out:
	json_decref(body);
	return r;
}

static int
send_slack(void **conn, const struct notify_delivery *d, char *err, size_t err_size)
{
	json_t *body = json_pack("{s:s}", "text", d->text);
	int r = body ? http_post(conn, d, d->ch->url, body, err, err_size) : VG_ERR_NOMEM;
	json_decref(body);
	return r;
}

#define HTTP_CHANNEL(t, fn)                                                                  \
	const struct notify_channel_ops notify_channel_##t = { .type = #t, .needs_url = true, \
		.send = fn, .free_conn = free_conn }
HTTP_CHANNEL(webhook, send_webhook);
HTTP_CHANNEL(wecom, send_wecom);
HTTP_CHANNEL(dingtalk, send_dingtalk);
HTTP_CHANNEL(feishu, send_feishu);
HTTP_CHANNEL(slack, send_slack);
