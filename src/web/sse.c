/* The live alert feed (GET /api/stream, Server-Sent Events). One poll of the store
 * a second feeds a fixed ring of recent alerts; each client keeps its own position
 * in the ring. An idle client's connection is suspended and resumed when the ring
 * moves or a keep-alive is due, so nothing spins. The same poll feeds the overview's
 * in-memory counts (agg.c). A client that falls behind the
 * ring gets a "gap" event (the page reloads its list) rather than an unbounded
 * backlog; a keep-alive every 15 s finds dead peers and re-checks the session. */
#include "web/web_int.h"
#include "core/err.h"
#include "core/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SSE_RING 512			/* alerts kept for clients */
#define SSE_EVENT_MAX 4096		/* bytes per event; longer fields are cut */
#define SSE_CLIENTS_MAX 256
#define SSE_PING_US (15LL * 1000000)
#define SSE_POLL_BATCH 2000

struct sse_event {
	int64_t id;
	char *text;	/* "id: N\nevent: alert\ndata: {...}\n\n" */
	size_t len;
};

struct sse_client {
	struct sse_hub *hub;
	struct MHD_Connection *conn;
	struct sse_client *next, *prev;
	int64_t last_id;	/* last alert id sent */
	int64_t next_ping;
	bool suspended;
	bool closing;
	bool gap;		/* a "gap" event is owed */
	bool ping;		/* a keep-alive is owed */
	char sess_hash[AUTH_HEX_LEN + 1];
	char hello[64];
	size_t hello_len;
};

struct sse_hub {
	struct web *w;
	struct sse_event ring[SSE_RING];
	size_t head;		/* next slot to write */
	size_t count;
	int64_t max_id;		/* newest alert id polled */
	struct sse_client *clients;
	size_t n_clients;
	uint64_t sent, gaps, refused;
};

int
sse_open(struct web *w, struct sse_hub **out)
{
	struct sse_hub *h = calloc(1, sizeof(*h));
	*out = NULL;
	if (!h)
		return VG_ERR_NOMEM;
	h->w = w;
	if (wdb_alert_max_id(w->db, &h->max_id) != VG_OK)
		h->max_id = 0;
	*out = h;
	return VG_OK;
}

static void
resume(struct sse_client *c)
{
	if (c->suspended) {
		c->suspended = false;
		MHD_resume_connection(c->conn);
	}
}

void
sse_close(struct sse_hub *h)
{
	if (!h)
		return;
	/* MHD must get every suspended connection back before it stops; the clients
	 * themselves are freed by MHD through free_client when it closes them. */
	for (struct sse_client *c = h->clients; c; c = c->next) {
		c->closing = true;
		c->hub = NULL;
		resume(c);
	}
	for (size_t i = 0; i < SSE_RING; i++)
		free(h->ring[i].text);
	free(h);
}

json_t *
sse_stats(struct sse_hub *h)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "clients", (json_int_t)h->n_clients,
	    "events_sent", (json_int_t)h->sent, "gaps", (json_int_t)h->gaps,
	    "refused", (json_int_t)h->refused);
}

static const struct sse_event *
ring_at(const struct sse_hub *h, size_t i)	/* 0 = oldest */
{
	return &h->ring[(h->head + SSE_RING - h->count + i) % SSE_RING];
}

/* Cuts long string members so one event stays under SSE_EVENT_MAX. */
static void
trim(json_t *a, const char *key, size_t max)
{
	json_t *v = json_object_get(a, key);
	const char *s = json_string_value(v);
	if (s && json_string_length(v) > max) {
		size_t n = max;
		/* Back up to a UTF-8 boundary. */
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		json_object_set_new(a, key, json_stringn(s, n));
	}
}

/* Appends one alert (a list-shaped object) to the ring, evicting the oldest. */
static int
ring_push(struct sse_hub *h, json_t *a)
{
	struct sse_event *ev = &h->ring[h->head];
	json_t *id = json_object_get(a, "id");
	char *data;
	int n;

	if (!json_is_integer(id))
		return VG_OK;
	trim(a, "title", 300);
	trim(a, "rule", 200);
	trim(a, "site", 300);
	if (!(data = json_dumps(a, JSON_COMPACT)))
		return VG_ERR_NOMEM;
	free(ev->text);
	ev->id = json_integer_value(id);
	ev->text = malloc(SSE_EVENT_MAX + 64);
	n = ev->text ? snprintf(ev->text, SSE_EVENT_MAX + 64, "id: %lld\nevent: alert\ndata: %s\n\n",
	    (long long)ev->id, strlen(data) < SSE_EVENT_MAX ? data : "{}") : -1;
	free(data);
	if (n < 0) {
		free(ev->text);
		ev->text = NULL;
		return VG_ERR_NOMEM;
	}
	ev->len = (size_t)n;
	h->head = (h->head + 1) % SSE_RING;
	if (h->count < SSE_RING)
		h->count++;
	if (ev->id > h->max_id)
		h->max_id = ev->id;
	return VG_OK;
}

static void
poll_store(struct sse_hub *h)
{
	json_t *arr = NULL, *a;
	size_t i;

	if (wdb_alerts_after(h->w->db, h->max_id, SSE_POLL_BATCH, &arr) != VG_OK) {
		vg_warn(h->w->log, "console: live feed cannot read new alerts");
		return;
	}
	json_array_foreach(arr, i, a) {
		agg_add(h->w->agg, a, vg_now_us());
		if (ring_push(h, a) != VG_OK)
			break;
	}
	json_decref(arr);
}

void
sse_tick(struct sse_hub *h, int64_t now_us)
{
	int64_t before = h->max_id;

	poll_store(h);
	for (struct sse_client *c = h->clients; c; c = c->next) {
		if (now_us >= c->next_ping) {
			struct wdb_session s;
			c->ping = true;
			c->next_ping = now_us + SSE_PING_US;
			/* A logged-out or expired session ends its streams too. */
			if (wdb_session_get(h->w->db, c->sess_hash, &s) != VG_OK ||
			    now_us - s.last_seen > h->w->idle_us)
				c->closing = true;
		}
		if (c->ping || c->closing || h->max_id > c->last_id || before != h->max_id)
			resume(c);
	}
}

static ssize_t
reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse_client *c = cls;
	struct sse_hub *h = c->hub;
	size_t used = 0;

	(void)pos;
	if (c->closing || !h)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (c->hello_len) {
		size_t n = c->hello_len < max ? c->hello_len : max;
		memcpy(buf, c->hello, n);
		memmove(c->hello, c->hello + n, c->hello_len - n);
		c->hello_len -= n;
		return (ssize_t)n;
	}
	if (h->count && c->last_id < h->max_id) {
		const struct sse_event *oldest = ring_at(h, 0);
		if (c->last_id + 1 < oldest->id && !c->gap) {
			/* Missed alerts that left the ring: the page refetches its list. */
			c->gap = true;
			h->gaps++;
		}
		if (c->gap) {
			static const char gap[] = "event: gap\ndata: {}\n\n";
			if (max < sizeof(gap))
				return 0;
			memcpy(buf, gap, sizeof(gap) - 1);
			c->gap = false;
			c->last_id = oldest->id - 1;
			return (ssize_t)(sizeof(gap) - 1);
		}
		for (size_t i = 0; i < h->count; i++) {
			const struct sse_event *ev = ring_at(h, i);
			if (ev->id <= c->last_id || !ev->text)
				continue;
			if (used + ev->len > max)
				break;
			memcpy(buf + used, ev->text, ev->len);
			used += ev->len;
			c->last_id = ev->id;
			h->sent++;
		}
		if (used)
			return (ssize_t)used;
	}
	if (c->ping) {
		/* An event, not a comment: the page's watchdog must see it. */
		static const char ping[] = "event: ping\ndata: {}\n\n";
		if (max < sizeof(ping))
			return 0;
		c->ping = false;
		memcpy(buf, ping, sizeof(ping) - 1);
		return (ssize_t)(sizeof(ping) - 1);
	}
	c->suspended = true;
	MHD_suspend_connection(c->conn);
	return 0;
}

static void
free_client(void *cls)
{
	struct sse_client *c = cls;
	struct sse_hub *h = c->hub;
	if (h) {
		if (c->prev)
			c->prev->next = c->next;
		else
			h->clients = c->next;
		if (c->next)
			c->next->prev = c->prev;
		h->n_clients--;
	}
	free(c);
}

void
sse_stream(struct web_req *rq)
{
	struct sse_hub *h = rq->w->sse;
	const char *lei = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Last-Event-ID");
	struct sse_client *c;
	long long after = -1;

	if (!web_arg_int(rq, "after", 0, INT64_MAX, -1, &after))
		return;
	if (lei && !web_parse_int(lei, 0, INT64_MAX, &after)) {
		web_error(rq, 400, "bad_argument", "Last-Event-ID must be an alert id");
		return;
	}
	if (h->n_clients >= SSE_CLIENTS_MAX) {
		h->refused++;
		rq->retry_after = 5;
		web_error(rq, 503, "too_many_streams", "too many live-feed clients");
		return;
	}
	if (!(c = calloc(1, sizeof(*c)))) {
		web_error(rq, 500, "nomem", "out of memory");
		return;
	}
	c->hub = h;
	c->conn = rq->conn;
	c->last_id = after >= 0 && after <= h->max_id ? after : h->max_id;
	c->next_ping = vg_now_us() + SSE_PING_US;
	snprintf(c->sess_hash, sizeof(c->sess_hash), "%s", rq->sess_hash);
	/* retry: tells EventSource how soon to reconnect after a drop. */
	c->hello_len = (size_t)snprintf(c->hello, sizeof(c->hello), "retry: 3000\n: hello\n\n");
	rq->resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, reader, c,
	    free_client);
	if (!rq->resp) {
		free(c);
		web_error(rq, 500, "nomem", "out of memory");
		return;
	}
	c->next = h->clients;
	if (h->clients)
		h->clients->prev = c;
	h->clients = c;
	h->n_clients++;
	MHD_add_response_header(rq->resp, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(rq->resp, "X-Accel-Buffering", "no");
	rq->status = 200;
}
