/* Service identification driver: per open port, an ordered list of attempts (the
 * probes that name this port, then listening for a greeting, then the same over
 * TLS, then every other probe), each one connection, stopping at the first rule
 * that matches. Ports run in parallel on a pool of threads; each attempt is
 * bounded by its probe's wait and the port's whole budget. */
#include "inventory/svcid.h"
#include "inventory/httpid.h"
#include "inventory/portscan.h"
#include "inventory/probe.h"
#include "inventory/svcid_io.h"
#include "inventory/tlsid.h"
#include "core/buf.h"
#include "core/err.h"

#include <openssl/ssl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define ATTEMPTS_MAX (2 * PROBE_MAX + 4)

struct svjob {
	const struct inv_host *hosts;
	const struct svc_target *t;
	size_t n, next;
	struct svcid_opts o;
	struct svcid_stats *st;
	SSL_CTX *ctx;
	pthread_mutex_t mu;
	bool stop, interrupted;
};

struct attempt {
	const struct probe *p;
	bool tls;
};

/* One port's work: what identify() and the HTTP fetcher share. */
struct port_work {
	struct svjob *j;
	const struct inv_host *h;
	uint16_t port;
	char host_hdr[TARGET_NAME_MAX + 8];	/* name, or the address ([v6]) */
	bool tls;
	int64_t deadline;
	unsigned conns;
};

void
svcid_defaults(struct svcid_opts *o)
{
	if (o->threads <= 0)
		o->threads = 64;
	if (o->connect_timeout_us <= 0)
		o->connect_timeout_us = 3000000;
	if (o->greet_us <= 0)
		o->greet_us = 1000000;
	if (o->probe_us <= 0)
		o->probe_us = 3000000;
	if (o->port_budget_us <= 0)
		o->port_budget_us = 15000000;
}

static bool
has_port(const struct port_list *pl, uint16_t port)
{
	size_t lo = 0, hi = pl->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pl->ports[mid] == port)
			return true;
		if (pl->ports[mid] < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void
add_attempt(struct attempt *a, size_t *n, const struct probe *p, bool tls)
{
	if (!p)
		return;
	for (size_t i = 0; i < *n; i++)
		if (a[i].p == p && a[i].tls == tls)
			return;
	if (*n < ATTEMPTS_MAX)
		a[(*n)++] = (struct attempt){ p, tls };
}

static size_t
plan(const struct probe_db *db, uint16_t port, struct attempt *a)
{
	const struct probe *null = NULL, *http = NULL;
	size_t n = 0, np = probe_db_count(db);

	for (size_t i = 0; i < np; i++) {
		const struct probe *p = probe_db_get(db, i);
		if (!p->send && !null)
			null = p;
		if (strcmp(p->name, "http") == 0)
			http = p;
		if (has_port(&p->tls_ports, port))
			add_attempt(a, &n, p, true);
	}
	for (size_t i = 0; i < np; i++) {
		const struct probe *p = probe_db_get(db, i);
		if (has_port(&p->ports, port))
			add_attempt(a, &n, p, false);
	}
	add_attempt(a, &n, null, false);
	/* an unknown port: the two commonest stacks before the rare probes */
	add_attempt(a, &n, http, false);
	add_attempt(a, &n, null, true);
	add_attempt(a, &n, http, true);
	for (size_t i = 0; i < np; i++)
		add_attempt(a, &n, probe_db_get(db, i), false);
	return n;
}

static int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* The probe's bytes with "{host}" replaced by the Host header value. */
static int
probe_bytes(const struct port_work *w, const struct probe *p, struct vg_buf *out)
{
	const unsigned char *s = p->send, *e = p->send + p->send_len;
	while (s < e) {
		const unsigned char *m = memmem(s, (size_t)(e - s), "{host}", 6);
		size_t n = m ? (size_t)(m - s) : (size_t)(e - s);
		if (vg_buf_put(out, s, n) != VG_OK)
			return VG_ERR_LIMIT;
		s += n;
		if (m) {
			if (vg_buf_puts(out, w->host_hdr) != VG_OK)
				return VG_ERR_LIMIT;
			s += 6;
		}
	}
	return VG_OK;
}

/* Connects (and handshakes when tls); on success io is open. */
static int
open_io(struct port_work *w, bool tls, struct svc_io *io, struct svc_result *r)
{
	int64_t dl = min64(portscan_now_us() + w->j->o.connect_timeout_us, w->deadline);
	w->conns++;
	if (svcio_connect(io, &w->h->addr, w->port, dl) != VG_OK)
		return VG_ERR_IO;
	if (tls) {
		if (svcio_tls(io, w->j->ctx, w->h->name, 0, dl) != VG_OK) {
			svcio_close(io);
			return VG_ERR_IO;
		}
		if (r && !r->tls)
			tlsid_read(io, r);
	}
	return VG_OK;
}

/* Reads until EOF, the limit or the deadline; with db, stops early once a rule
 * matches an answer that is not HTTP (an HTTP body is read on for its title). */
static size_t
read_answer(struct svc_io *io, unsigned char *buf, size_t size, int64_t dl,
    const struct probe_db *db, const char *probe, struct probe_match_out *m, int *matched)
{
	size_t len = 0;
	while (len < size) {
		ssize_t k = svcio_read(io, buf + len, size - len, dl);
		if (k <= 0)
			break;
		len += (size_t)k;
		if (db && !*matched && (*matched = probe_db_match(db, probe, buf, len, m)) &&
		    strcmp(m->service, "http") != 0)
			break;
	}
	return len;
}

static ssize_t
fetch(void *arg, const char *path, unsigned char *buf, size_t size)
{
	struct port_work *w = arg;
	struct svc_io io = { .fd = -1 };
	char req[1024];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: Mozilla/5.0 "
	    "(vigil discover)\r\nAccept: */*\r\nConnection: close\r\n\r\n", path, w->host_hdr);
	int dummy = 0;
	ssize_t got = -1;

	if (n < 0 || (size_t)n >= sizeof(req) || portscan_now_us() >= w->deadline)
		return -1;
	if (open_io(w, w->tls, &io, NULL) != VG_OK)
		return -1;
	int64_t dl = min64(portscan_now_us() + w->j->o.probe_us, w->deadline);
	if (svcio_write(&io, req, (size_t)n, dl) == VG_OK)
		got = (ssize_t)read_answer(&io, buf, size, dl, NULL, NULL, NULL, &dummy);
	svcio_close(&io);
	return got;
}

static void
identify(struct svjob *j, const struct svc_target *t, struct svc_result *r, unsigned char *buf)
{
	struct attempt plan_a[ATTEMPTS_MAX];
	struct port_work w = { .j = j, .h = &j->hosts[t->host], .port = t->port };
	struct probe_match_out m;
	struct vg_buf *send = vg_buf_new(PROBE_SEND_MAX + 1024);
	bool tls_dead = false;
	char addr[64];

	memset(r, 0, sizeof(*r));
	r->host = t->host;
	r->port = t->port;
	if (!send)
		return;
	target_addr_str(&w.h->addr, addr, sizeof(addr));
	if (w.h->name)
		vg_strlcpy(w.host_hdr, w.h->name, sizeof(w.host_hdr));
	else
		snprintf(w.host_hdr, sizeof(w.host_hdr), w.h->addr.family == AF_INET6 ? "[%s]" :
		    "%s", addr);
	w.deadline = portscan_now_us() + j->o.port_budget_us;
	size_t na = plan(j->o.db, t->port, plan_a);
	for (size_t i = 0; i < na && portscan_now_us() < w.deadline; i++) {
		const struct attempt *a = &plan_a[i];
		struct svc_io io = { .fd = -1 };
		int matched = 0;
		if (a->tls && tls_dead)
			continue;
		if (open_io(&w, a->tls, &io, r) != VG_OK) {
			/* a refused plain connect means the port closed under us: stop */
			if (!a->tls)
				break;
			tls_dead = true;
			continue;
		}
		vg_buf_reset(send);
		int64_t wait = a->p->wait_us ? a->p->wait_us : a->p->send ? j->o.probe_us :
		    j->o.greet_us;
		int64_t dl = min64(portscan_now_us() + wait, w.deadline);
		if (a->p->send && (probe_bytes(&w, a->p, send) != VG_OK ||
		    svcio_write(&io, vg_buf_ptr(send), vg_buf_len(send), dl) != VG_OK)) {
			svcio_close(&io);
			continue;
		}
		size_t len = read_answer(&io, buf, SVC_READ_MAX, dl, j->o.db, a->p->name, &m,
		    &matched);
		svcio_close(&io);
		if (len && !r->banner_len) {
			r->banner_len = len < SVC_BANNER_MAX ? len : SVC_BANNER_MAX;
			memcpy(r->banner, buf, r->banner_len);
		}
		if (!matched)
			continue;
		r->identified = true;
		memcpy(r->service, m.service, sizeof(r->service));
		memcpy(r->product, m.product, sizeof(r->product));
		memcpy(r->version, m.version, sizeof(r->version));
		memcpy(r->info, m.info, sizeof(r->info));
		vg_strlcpy(r->probe, a->p->name, sizeof(r->probe));
		/* the banner of record is the answer that identified the service */
		r->banner_len = len < SVC_BANNER_MAX ? len : SVC_BANNER_MAX;
		memcpy(r->banner, buf, r->banner_len);
		w.tls = a->tls;
		if (httpid_parse(buf, len, r))
			httpid_extras(j->o.db, fetch, &w, buf, len, j->o.http_extras, r);
		break;
	}
	if (r->tls && strcmp(r->service, "http") == 0)
		vg_strlcpy(r->service, "https", sizeof(r->service));
	else if (r->tls && !r->identified)
		vg_strlcpy(r->service, "tls", sizeof(r->service));
	if (r->tls && j->o.tls_versions)
		tlsid_versions(j->ctx, &w.h->addr, t->port, w.h->name,
		    min64(j->o.connect_timeout_us, 3000000), r);
	vg_buf_free(send);
	pthread_mutex_lock(&j->mu);
	j->st->connections += w.conns;
	pthread_mutex_unlock(&j->mu);
}

static void *
worker(void *arg)
{
	struct svjob *j = arg;
	struct svc_result *r = malloc(sizeof(*r));
	unsigned char *buf = malloc(SVC_READ_MAX);

	for (;;) {
		pthread_mutex_lock(&j->mu);
		size_t i = j->next++;
		if (!j->stop && i < j->n && j->o.cancelled && j->o.cancelled(j->o.arg)) {
			j->stop = true;
			j->interrupted = true;
		}
		bool stop = j->stop || i >= j->n || !r || !buf;
		pthread_mutex_unlock(&j->mu);
		if (stop)
			break;
		identify(j, &j->t[i], r, buf);
		pthread_mutex_lock(&j->mu);
		j->st->ports++;
		j->st->identified += r->identified;
		j->st->tls += r->tls;
		j->st->http += r->http_status > 0;
		if (!j->stop && j->o.report && j->o.report(j->o.arg, r) != 0)
			j->stop = true;
		pthread_mutex_unlock(&j->mu);
	}
	free(r);
	free(buf);
	return NULL;
}

int
svcid_run(const struct inv_host *hosts, const struct svc_target *t, size_t n,
    const struct svcid_opts *opts, struct svcid_stats *st)
{
	struct svjob j = { .hosts = hosts, .t = t, .n = n, .o = *opts, .st = st };
	pthread_t *th = NULL;
	int started = 0, rc = VG_OK;
	int64_t t0 = portscan_now_us();

	memset(st, 0, sizeof(*st));
	svcid_defaults(&j.o);
	if (!j.o.db || n == 0)
		return j.o.db ? VG_OK : VG_ERR_INVAL;
	if (!(j.ctx = tlsid_ctx_new()))
		return VG_ERR_NOMEM;
	pthread_mutex_init(&j.mu, NULL);
	int nt = j.o.threads < (int)n ? j.o.threads : (int)n;
	if (!(th = calloc((size_t)nt, sizeof(*th)))) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	for (; started < nt; started++)
		if (pthread_create(&th[started], NULL, worker, &j) != 0)
			break;
	if (started == 0) {
		rc = VG_ERR_NOMEM;
		goto out;
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	st->interrupted = j.interrupted;
out:
	st->elapsed_us = portscan_now_us() - t0;
	free(th);
	pthread_mutex_destroy(&j.mu);
	SSL_CTX_free(j.ctx);
	return rc;
}
