/* The adapter table, and the adapters for when the host firewall is not ours to
 * touch: a local command (a WAF's or firewall's CLI; fork/exec with an argv, never a
 * shell), a webhook (JSON POSTs from a worker thread, so a slow API never stalls
 * detection) and an nginx deny file (rewritten atomically, then a reload command).
 * Adding an adapter is adding its ops and a row in block_adapters[]. */
#include "respond/block.h"
#include "core/atomic.h"
#include "core/err.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern const struct block_adapter_ops block_adapter_nft;
static const struct block_adapter_ops block_adapter_command;
static const struct block_adapter_ops block_adapter_webhook;
static const struct block_adapter_ops block_adapter_nginx;

const struct block_adapter_ops *const block_adapters[] = {
	&block_adapter_nft,
	&block_adapter_command,
	&block_adapter_webhook,
	&block_adapter_nginx,
	NULL,
};

const struct block_adapter_ops *
block_adapter_find(const char *name)
{
	for (size_t i = 0; block_adapters[i]; i++)
		if (strcmp(block_adapters[i]->name, name) == 0)
			return block_adapters[i];
	return NULL;
}

/* ---- running a command without a shell ---- */

#define MAX_CHILDREN 8	/* commands in flight; more wait for one to finish */
#define ARGV_MAX 32

struct spawner {
	const struct vg_logger *log;
	pid_t kids[MAX_CHILDREN];
	size_t n_kids;
	uint64_t failed;
};

static void
reap(struct spawner *sp, bool block)
{
	for (size_t i = 0; i < sp->n_kids;) {
		int status;
		pid_t p = waitpid(sp->kids[i], &status, block ? 0 : WNOHANG);
		if (p == 0) {
			i++;
			continue;
		}
		if (p < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			sp->failed++;
		sp->kids[i] = sp->kids[--sp->n_kids];
	}
}

/* Runs argv with "{}" replaced by target and "{timeout}" by seconds. Does not wait
 * for it (a slow firewall CLI must not hold up detection) unless MAX_CHILDREN are
 * already running. */
static int
spawn(struct spawner *sp, const struct vg_cfg_strlist *tmpl, const char *target, long long secs)
{
	char *argv[ARGV_MAX + 1], tbuf[32];
	pid_t pid;

	if (tmpl->n == 0)
		return VG_OK;
	if (tmpl->n > ARGV_MAX)
		return VG_ERR_LIMIT;
	snprintf(tbuf, sizeof(tbuf), "%lld", secs);
	for (size_t i = 0; i < tmpl->n; i++) {
		const char *a = tmpl->items[i];
		argv[i] = strcmp(a, "{}") == 0 ? (char *)target
			: strcmp(a, "{timeout}") == 0 ? tbuf : (char *)a;
	}
	argv[tmpl->n] = NULL;
	reap(sp, false);
	while (sp->n_kids >= MAX_CHILDREN) {
		int status;
		pid_t p = waitpid(sp->kids[0], &status, 0);
		if (p < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			sp->failed++;
		sp->kids[0] = sp->kids[--sp->n_kids];
	}
	pid = fork();
	if (pid < 0)
		return VG_ERR_IO;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	sp->kids[sp->n_kids++] = pid;
	return VG_OK;
}

/* ---- command adapter ---- */

struct cmd_adapter {
	const struct vg_config *cfg;
	struct spawner sp;
};

static int
cmd_open(const struct vg_config *cfg, const struct vg_logger *log, void **impl, char *err,
    size_t err_size)
{
	struct cmd_adapter *c;
	*impl = NULL;
	if (cfg->block.command_add.n == 0) {
		snprintf(err, err_size, "block.command_add: the command adapter needs an argv");
		return VG_ERR_CONFIG;
	}
	if (!(c = calloc(1, sizeof(*c))))
		return VG_ERR_NOMEM;
	c->cfg = cfg;
	c->sp.log = log;
	*impl = c;
	return VG_OK;
}

static int
cmd_add(void *impl, const struct block_entry *e, size_t n)
{
	struct cmd_adapter *c = impl;
	char t[BLOCK_TARGET_MAX];
	int r = VG_OK;
	for (size_t i = 0; i < n && r == VG_OK; i++) {
		block_target_format(&e[i].t, t, sizeof(t));
		r = spawn(&c->sp, &c->cfg->block.command_add, t, (e[i].timeout_ms + 999) / 1000);
	}
	return r;
}

static int
cmd_del(void *impl, const struct block_target *tg, size_t n)
{
	struct cmd_adapter *c = impl;
	char t[BLOCK_TARGET_MAX];
	int r = VG_OK;
	for (size_t i = 0; i < n && r == VG_OK; i++) {
		block_target_format(&tg[i], t, sizeof(t));
		r = spawn(&c->sp, &c->cfg->block.command_del, t, 0);
	}
	return r;
}

/* A command has no "replace all": re-adding is what a restart can do. */
static int cmd_sync(void *impl, const struct block_entry *e, size_t n) { return cmd_add(impl, e, n); }
static int cmd_flush(void *impl) { (void)impl; return VG_OK; }

static void
cmd_close(void *impl)
{
	struct cmd_adapter *c = impl;
	if (!c)
		return;
	reap(&c->sp, true);
	if (c->sp.failed)
		vg_warn(c->sp.log, "block: %llu block commands failed",
		    (unsigned long long)c->sp.failed);
	free(c);
}

static const struct block_adapter_ops block_adapter_command = {
	.name = "command", .open = cmd_open, .add = cmd_add, .del = cmd_del,
	.sync = cmd_sync, .flush = cmd_flush, .close = cmd_close,
};

/* ---- webhook adapter ---- */

#define WEBHOOK_QUEUE 1024

struct webhook {
	const struct vg_logger *log;
	char *url;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *queue[WEBHOOK_QUEUE];	/* JSON bodies, oldest at head */
	size_t head, len;
	bool stop, started;
	uint64_t dropped, failed;
};

static size_t
discard_body(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static void *
webhook_worker(void *arg)
{
	struct webhook *w = arg;
	CURL *c = curl_easy_init();
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && w->len == 0)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->len == 0)
			break;
		char *body = w->queue[w->head];
		w->head = (w->head + 1) % WEBHOOK_QUEUE;
		w->len--;
		pthread_mutex_unlock(&w->mu);
		long code = 0;
		if (c) {
			curl_easy_reset(c);
			curl_easy_setopt(c, CURLOPT_URL, w->url);
			curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
			curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
			curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
			if (curl_easy_perform(c) == CURLE_OK)
				curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		}
		free(body);
		pthread_mutex_lock(&w->mu);
		if (code < 200 || code > 299)
			w->failed++;
	}
	pthread_mutex_unlock(&w->mu);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return NULL;
}

static void webhook_close(void *impl);

static int
webhook_open(const struct vg_config *cfg, const struct vg_logger *log, void **impl, char *err,
    size_t err_size)
{
	struct webhook *w;
	*impl = NULL;
	if (!cfg->block.webhook_url || strncmp(cfg->block.webhook_url, "http", 4) != 0) {
		snprintf(err, err_size, "block.webhook_url: the webhook adapter needs an http(s) URL");
		return VG_ERR_CONFIG;
	}
	if (!(w = calloc(1, sizeof(*w))) || !(w->url = strdup(cfg->block.webhook_url))) {
		free(w);
		return VG_ERR_NOMEM;
	}
	w->log = log;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, webhook_worker, w) != 0) {
		webhook_close(w);
		return VG_ERR_IO;
	}
	w->started = true;
	*impl = w;
	return VG_OK;
}

/* Queues one POST; a full queue drops it (counted) rather than blocking. */
static int
webhook_post(struct webhook *w, json_t *body)
{
	char *s = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!s)
		return VG_ERR_NOMEM;
	pthread_mutex_lock(&w->mu);
	if (w->len == WEBHOOK_QUEUE) {
		if (w->dropped++ == 0)
			vg_warn(w->log, "block: webhook queue full; dropping requests");
		pthread_mutex_unlock(&w->mu);
		free(s);
		return VG_ERR_LIMIT;
	}
	w->queue[(w->head + w->len++) % WEBHOOK_QUEUE] = s;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return VG_OK;
}

static json_t *
entries_json(const struct block_entry *e, const struct block_target *t, size_t n)
{
	json_t *arr = json_array();
	char buf[BLOCK_TARGET_MAX];
	for (size_t i = 0; arr && i < n; i++) {
		block_target_format(e ? &e[i].t : &t[i], buf, sizeof(buf));
		json_array_append_new(arr, e ? json_pack("{s:s, s:I}", "target", buf, "timeout",
		    (json_int_t)((e[i].timeout_ms + 999) / 1000)) : json_pack("{s:s}", "target", buf));
	}
	return arr;
}

static int
webhook_send(void *impl, const char *action, const struct block_entry *e,
    const struct block_target *t, size_t n)
{
	return webhook_post(impl, json_pack("{s:s, s:o}", "action", action, "entries",
	    entries_json(e, t, n)));
}

static int webhook_add(void *impl, const struct block_entry *e, size_t n) { return webhook_send(impl, "add", e, NULL, n); }
static int webhook_del(void *impl, const struct block_target *t, size_t n) { return webhook_send(impl, "del", NULL, t, n); }
static int webhook_sync(void *impl, const struct block_entry *e, size_t n) { return webhook_send(impl, "sync", e, NULL, n); }
static int webhook_flush(void *impl) { return webhook_send(impl, "flush", NULL, NULL, 0); }

static void
webhook_close(void *impl)
{
	struct webhook *w = impl;
	if (!w)
		return;
	if (w->started) {
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);	/* sends what is queued, 5 s per request at most */
	}
	if (w->failed || w->dropped)
		vg_warn(w->log, "block: webhook: %llu requests failed, %llu dropped",
		    (unsigned long long)w->failed, (unsigned long long)w->dropped);
	for (size_t i = 0; i < w->len; i++)
		free(w->queue[(w->head + i) % WEBHOOK_QUEUE]);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w->url);
	free(w);
}

static const struct block_adapter_ops block_adapter_webhook = {
	.name = "webhook", .open = webhook_open, .add = webhook_add, .del = webhook_del,
	.sync = webhook_sync, .flush = webhook_flush, .close = webhook_close,
};

/* ---- nginx deny file adapter ---- */

struct nginx_entry {
	struct block_target t;
	int64_t expires_us;
};

struct nginx_adapter {
	const struct vg_config *cfg;
	struct spawner sp;
	struct nginx_entry *v;
	size_t n, cap;
};

static int nginx_put(struct nginx_adapter *a, const struct block_entry *e, size_t n);

/* Reads back the entries an earlier vigil process wrote ("deny T; # expires US"). */
static void
nginx_load(struct nginx_adapter *a)
{
	FILE *f = fopen(a->cfg->block.nginx_deny_file, "r");
	char line[256], target[BLOCK_TARGET_MAX];
	long long exp;
	int64_t now = vg_now_us();

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct block_entry e;
		if (sscanf(line, "deny %49[^;]; # expires %lld", target, &exp) != 2 ||
		    block_target_parse(target, &e.t) != VG_OK || exp <= now)
			continue;
		e.timeout_ms = (exp - now) / 1000;
		if (nginx_put(a, &e, 1) != VG_OK)
			break;
	}
	fclose(f);
}

static int
nginx_open(const struct vg_config *cfg, const struct vg_logger *log, void **impl, char *err,
    size_t err_size)
{
	struct nginx_adapter *a;
	*impl = NULL;
	if (!cfg->block.nginx_deny_file) {
		snprintf(err, err_size, "block.nginx_deny_file: the nginx adapter needs a file");
		return VG_ERR_CONFIG;
	}
	if (!(a = calloc(1, sizeof(*a))))
		return VG_ERR_NOMEM;
	a->cfg = cfg;
	a->sp.log = log;
	nginx_load(a);
	*impl = a;
	return VG_OK;
}

/* Writes "deny T;" for every unexpired entry and replaces the deny file in one
 * atomic write: nginx never reads half a file. nginx reads includes in its (root)
 * master process, so the default 0600 is enough. The expiry comment lets the next
 * vigil process pick the list up; expiry is applied here, since nginx has no clock
 * of its own for these lines. */
static int
nginx_write(struct nginx_adapter *a)
{
	char *data = NULL, t[BLOCK_TARGET_MAX];
	size_t len = 0, kept = 0;
	int64_t now = vg_now_us();
	FILE *f = open_memstream(&data, &len);
	int r;

	if (!f)
		return VG_ERR_NOMEM;
	fputs("# written by vigil block; do not edit\n", f);
	for (size_t i = 0; i < a->n; i++) {
		if (a->v[i].expires_us <= now)
			continue;
		a->v[kept++] = a->v[i];
		block_target_format(&a->v[i].t, t, sizeof(t));
		fprintf(f, "deny %s; # expires %lld\n", t, (long long)a->v[i].expires_us);
	}
	a->n = kept;
	if (fclose(f) != 0) {
		free(data);
		return VG_ERR_NOMEM;
	}
	r = vg_atomic_write(a->cfg->block.nginx_deny_file, data, len, 0600, 0);
	free(data);
	return r == VG_OK ? spawn(&a->sp, &a->cfg->block.nginx_reload,
	    a->cfg->block.nginx_deny_file, 0) : r;
}

static int
nginx_put(struct nginx_adapter *a, const struct block_entry *e, size_t n)
{
	int64_t now = vg_now_us();
	for (size_t i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < a->n; j++)
			if (block_target_cmp(&a->v[j].t, &e[i].t) == 0)
				break;
		if (j == a->n) {
			if (a->n == a->cap) {
				size_t nc = a->cap ? a->cap * 2 : 64;
				struct nginx_entry *nv = realloc(a->v, nc * sizeof(*nv));
				if (!nv)
					return VG_ERR_NOMEM;
				a->v = nv;
				a->cap = nc;
			}
			a->n++;
		}
		a->v[j] = (struct nginx_entry){ e[i].t, now + e[i].timeout_ms * 1000 };
	}
	return VG_OK;
}

static int
nginx_add(void *impl, const struct block_entry *e, size_t n)
{
	int r = nginx_put(impl, e, n);
	return r == VG_OK ? nginx_write(impl) : r;
}

static int
nginx_del(void *impl, const struct block_target *t, size_t n)
{
	struct nginx_adapter *a = impl;
	for (size_t i = 0; i < n; i++)
		for (size_t j = a->n; j-- > 0;)
			if (block_target_cmp(&a->v[j].t, &t[i]) == 0)
				a->v[j] = a->v[--a->n];
	return nginx_write(a);
}

static int
nginx_sync(void *impl, const struct block_entry *e, size_t n)
{
	struct nginx_adapter *a = impl;
	a->n = 0;
	return nginx_add(a, e, n);
}

static int
nginx_flush(void *impl)
{
	struct nginx_adapter *a = impl;
	a->n = 0;
	return nginx_write(a);
}

static int
nginx_tick(void *impl, int64_t now_us)
{
	struct nginx_adapter *a = impl;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].expires_us <= now_us)
			return nginx_write(a);
	reap(&a->sp, false);
	return VG_OK;
}

static void
nginx_close(void *impl)
{
	struct nginx_adapter *a = impl;
	if (!a)
		return;
	reap(&a->sp, true);
	free(a->v);
	free(a);
}

static const struct block_adapter_ops block_adapter_nginx = {
	.name = "nginx", .open = nginx_open, .add = nginx_add, .del = nginx_del,
	.sync = nginx_sync, .flush = nginx_flush, .tick = nginx_tick, .close = nginx_close,
};
