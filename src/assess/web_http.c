/* libcurl multi driver for the web checks. The scheduler is a plain loop: start
 * requests while fewer than `parallel` are in flight and the host's next slot
 * (1/rate s after its previous start) has come, then wait in curl_multi_poll no
 * longer than the next slot. */
#include "assess/web_http.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/loop.h"

#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HDR_MAX (64 * 1024)
#define MAX_HOSTS 64

struct slot {
	struct web_fetch *f;
	size_t max_body;
	struct curl_slist *hl;
	CURL *e;
};

struct host_next {
	char host[256];
	int64_t next_ms;
};

static size_t
on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct slot *s = arg;
	size_t n = sz * nm, room = s->max_body - vg_buf_len(s->f->resp);

	if (n > room) {
		/* Keep what fits and stop the transfer: the kept part is still judged. */
		(void)vg_buf_put(s->f->resp, p, room);
		s->f->truncated = true;
		return 0;
	}
	return vg_buf_put(s->f->resp, p, n) == 0 ? n : 0;
}

static size_t
on_header(char *p, size_t sz, size_t nm, void *arg)
{
	struct slot *s = arg;
	size_t n = sz * nm;

	/* A new status line (after "100 Continue") starts the block again. */
	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0)
		vg_buf_reset(s->f->hdr);
	(void)vg_buf_put(s->f->hdr, p, n);	/* a header block over 64 KiB is cut */
	return n;
}

/* The host part of url (lower-case not needed: it is only a rate-limit key). */
static void
url_host(const char *url, char *out, size_t size)
{
	const char *h = strstr(url, "://"), *e;
	size_t n;

	h = h ? h + 3 : url;
	e = h + strcspn(h, "/?#");
	n = (size_t)(e - h) < size - 1 ? (size_t)(e - h) : size - 1;
	memcpy(out, h, n);
	out[n] = '\0';
}

static struct host_next *
host_slot(struct host_next *hosts, size_t *nh, const char *url)
{
	char h[256];

	url_host(url, h, sizeof(h));
	for (size_t i = 0; i < *nh; i++)
		if (strcmp(hosts[i].host, h) == 0)
			return &hosts[i];
	if (*nh == MAX_HOSTS)
		return &hosts[0];	/* past 64 hosts in one batch, they share one clock */
	vg_strlcpy(hosts[*nh].host, h, sizeof(hosts[*nh].host));
	hosts[*nh].next_ms = 0;
	return &hosts[(*nh)++];
}

static int
setup(struct slot *s, const struct web_http_opts *o)
{
	struct web_fetch *f = s->f;

	if (!(f->hdr = vg_buf_new(HDR_MAX)) || !(f->resp = vg_buf_new(o->max_body + 1)) ||
	    !(s->e = curl_easy_init()))
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < f->nheaders; i++) {
		char line[1024];
		struct curl_slist *nl;

		snprintf(line, sizeof(line), "%s: %s", f->headers[i].name, f->headers[i].value);
		if (!(nl = curl_slist_append(s->hl, line)))
			return VG_ERR_NOMEM;
		s->hl = nl;
	}
	curl_easy_setopt(s->e, CURLOPT_URL, f->url);
	curl_easy_setopt(s->e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(s->e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(s->e, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(s->e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->e, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(s->e, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(s->e, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(s->e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(s->e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_ms);
	curl_easy_setopt(s->e, CURLOPT_USERAGENT, "vigil-assess");
	curl_easy_setopt(s->e, CURLOPT_HTTPHEADER, s->hl);
	curl_easy_setopt(s->e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(s->e, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(s->e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(s->e, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(s->e, CURLOPT_PRIVATE, s);
	if (strcmp(f->method, "HEAD") == 0)
		curl_easy_setopt(s->e, CURLOPT_NOBODY, 1L);
	else if (strcmp(f->method, "GET") != 0)
		curl_easy_setopt(s->e, CURLOPT_CUSTOMREQUEST, f->method);
	if (f->body) {
		curl_easy_setopt(s->e, CURLOPT_POSTFIELDS, f->body);
		curl_easy_setopt(s->e, CURLOPT_CUSTOMREQUEST, f->method);
	}
	return 0;
}

static void
finish(CURLM *m, struct slot *s, CURLcode res)
{
	struct web_fetch *f = s->f;
	long st = 0;

	curl_easy_getinfo(s->e, CURLINFO_RESPONSE_CODE, &st);
	if (res == CURLE_OK || (res == CURLE_WRITE_ERROR && f->truncated)) {
		f->status = st;
	} else {
		f->err = VG_ERR_IO;
		snprintf(f->why, sizeof(f->why), "%s", curl_easy_strerror(res));
	}
	curl_multi_remove_handle(m, s->e);
	curl_easy_cleanup(s->e);
	curl_slist_free_all(s->hl);
	s->e = NULL;
	s->hl = NULL;
}

int
web_http_run(const struct web_http_opts *opts, struct web_fetch *f, size_t n)
{
	struct web_http_opts o = *opts;
	struct host_next hosts[MAX_HOSTS];
	struct slot *slots = NULL;
	size_t nh = 0, next = 0, active = 0;
	CURLM *m = NULL;
	int rc = 0;

	if (!o.timeout_ms)
		o.timeout_ms = 10000;
	if (!o.connect_ms)
		o.connect_ms = 5000;
	if (!o.max_body)
		o.max_body = 1024 * 1024;
	if (!o.rate)
		o.rate = 10;
	if (!o.parallel)
		o.parallel = 4;
	if (n == 0)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return VG_ERR_IO;
	if (!(slots = calloc(n, sizeof(*slots))) || !(m = curl_multi_init())) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	while (next < n || active > 0) {
		int64_t now = loop_now_ms(), wait = 200;
		CURLMsg *msg;
		int left, running;

		while (next < n && active < o.parallel) {
			struct host_next *h = host_slot(hosts, &nh, f[next].url);
			struct slot *s = &slots[next];

			if (h->next_ms > now) {
				wait = h->next_ms - now < wait ? h->next_ms - now : wait;
				break;	/* in order: later requests of this batch wait too */
			}
			h->next_ms = now + 1000 / o.rate;
			s->f = &f[next++];
			s->max_body = o.max_body;
			if ((rc = setup(s, &o)) != 0 || curl_multi_add_handle(m, s->e) != CURLM_OK) {
				rc = rc ? rc : VG_ERR_IO;
				curl_easy_cleanup(s->e);
				curl_slist_free_all(s->hl);
				s->e = NULL;
				s->hl = NULL;
				goto out;
			}
			active++;
		}
		if (curl_multi_perform(m, &running) != CURLM_OK) {
			rc = VG_ERR_IO;
			goto out;
		}
		while ((msg = curl_multi_info_read(m, &left))) {
			struct slot *s;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			finish(m, s, msg->data.result);
			active--;
		}
		if (active > 0 || next < n)
			curl_multi_poll(m, NULL, 0, (int)(wait > 0 ? wait : 1), NULL);
	}
out:
	for (size_t i = 0; slots && i < n; i++)
		if (slots[i].e) {
			curl_multi_remove_handle(m, slots[i].e);
			curl_easy_cleanup(slots[i].e);
			curl_slist_free_all(slots[i].hl);
		}
	free(slots);
	if (m)
		curl_multi_cleanup(m);
	curl_global_cleanup();
	return rc;
}

void
web_fetch_release(struct web_fetch *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		vg_buf_free(f[i].hdr);
		vg_buf_free(f[i].resp);
		f[i].hdr = NULL;
		f[i].resp = NULL;
	}
}
