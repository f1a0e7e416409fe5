/* webshell.accessed (see wsaccess.h). The remembered scripts sit in a fixed ring of
 * slots (the cap; the oldest is overwritten) indexed by a SipHash table on the URL
 * path they are served at, keyed at random since attackers choose both file names
 * and request paths. A request is matched on its path as the web server maps it
 * (decoded, dot segments folded, PATH_INFO after the script cut off). */
#include "monitor/wsaccess.h"
#include "backup/manifest.h"
#include "backup/webroot.h"
#include "core/buf.h"
#include "core/err.h"
#include "monitor/fimwatch.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A request may be logged with a time a little before vigil saw the file: log times
 * have one-second steps and the file is judged after the debounce. */
#define TIME_SLACK_US (300 * 1000000LL)
#define URL_MAX 2048

static const char *const rule_id = "webshell.accessed";
static const char *const rule_title =
    "Request to a script created in a web root since the baseline (webshell access)";

struct wroot {
	const struct protect_root *pr;
	char prefix[512];		/* url_prefix without its trailing '/' ("" for "/") */
	const struct vg_cfg_strlist *logs;	/* access_logs; empty = every log */
};

struct slot {
	char *url;			/* key: URL path; NULL = free slot */
	char *path;			/* absolute file path */
	uint64_t hash;
	int32_t chain;			/* next slot in the bucket, -1 = end */
	size_t root;
	int64_t ts_us;			/* when watch reported the file */
	int64_t alert_id;		/* the file alert (0 = not stored) */
	bool malicious;
	char verdict[112];
};

struct wsaccess {
	struct wroot *roots;
	size_t n_roots;
	struct slot *slots;
	size_t cap, next;		/* ring: next is the slot to overwrite */
	int32_t *buckets;
	size_t n_buckets;
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct wsaccess_stats stats;
	bool warned_cap;
	const struct vg_logger *lg;
};

static uint64_t
hash_str(const struct wsaccess *w, const char *s)
{
	uint64_t h;
	crypto_shorthash((unsigned char *)&h, (const unsigned char *)s, strlen(s), w->key);
	return h;
}

int
wsaccess_new(const struct protect *p, size_t max_files, const struct vg_logger *lg,
    struct wsaccess **out)
{
	struct wsaccess *w;

	*out = NULL;
	if (sodium_init() < 0 || !(w = calloc(1, sizeof(*w))))
		return VG_ERR_NOMEM;
	w->lg = lg;
	w->cap = max_files ? max_files : WSACCESS_MAX_FILES;
	for (w->n_buckets = 64; w->n_buckets < 2 * w->cap; w->n_buckets *= 2)
		;
	w->slots = calloc(w->cap, sizeof(*w->slots));
	w->buckets = malloc(w->n_buckets * sizeof(*w->buckets));
	w->roots = calloc(p->n_roots ? p->n_roots : 1, sizeof(*w->roots));
	if (!w->slots || !w->buckets || !w->roots) {
		wsaccess_free(w);
		return VG_ERR_NOMEM;
	}
	memset(w->buckets, 0xff, w->n_buckets * sizeof(*w->buckets));	/* all -1 */
	crypto_shorthash_keygen(w->key);
	for (size_t i = 0; i < p->n_roots; i++) {
		struct wroot *r = &w->roots[i];
		const char *pre = p->roots[i].cfg && p->roots[i].cfg->url_prefix ?
		    p->roots[i].cfg->url_prefix : "/";
		r->pr = &p->roots[i];
		r->logs = p->roots[i].cfg ? &p->roots[i].cfg->access_logs : NULL;
		if (wsaccess_url_path(pre, r->prefix, sizeof(r->prefix)) != VG_OK) {
			wsaccess_free(w);
			return VG_ERR_CONFIG;
		}
		size_t n = strlen(r->prefix);
		if (n && r->prefix[n - 1] == '/')
			r->prefix[n - 1] = '\0';
	}
	w->n_roots = p->n_roots;
	*out = w;
	return VG_OK;
}

void
wsaccess_free(struct wsaccess *w)
{
	if (!w)
		return;
	for (size_t i = 0; w->slots && i < w->cap; i++) {
		free(w->slots[i].url);
		free(w->slots[i].path);
	}
	free(w->slots);
	free(w->buckets);
	free(w->roots);
	free(w);
}

void
wsaccess_get_stats(const struct wsaccess *w, struct wsaccess_stats *out)
{
	*out = w->stats;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
wsaccess_url_path(const char *url, char *out, size_t size)
{
	size_t o = 0;
	const char *s = url;

	if (size < 2)
		return VG_ERR_LIMIT;
	out[0] = '\0';
	/* absolute form (a proxy request line): the path starts after the authority */
	if (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0) {
		s = strstr(s, "://") + 3;
		s += strcspn(s, "/?#");
	}
	if (*s != '/')
		return VG_ERR_INVAL;
	for (; *s && *s != '?' && *s != '#'; s++) {
		char c = *s;
		int hi, lo;
		if (c == '%' && (hi = hexval(s[1])) >= 0 && (lo = hexval(s[2])) >= 0) {
			c = (char)(hi << 4 | lo);
			s += 2;
		}
		if (c == '\0')
			return VG_ERR_INVAL;	/* %00: no file has that name */
		if (c == '\\')
			c = '/';
		if (o + 1 >= size)
			return VG_ERR_LIMIT;
		out[o++] = c;
		out[o] = '\0';
		if (c != '/')
			continue;
		/* fold the segment that just ended: "//", "/./", "/../" */
		if (o >= 2 && out[o - 2] == '/') {
			out[--o] = '\0';
		} else if (o >= 3 && strcmp(out + o - 3, "/./") == 0) {
			o -= 2;
			out[o] = '\0';
		} else if (o >= 4 && strcmp(out + o - 4, "/../") == 0) {
			o -= 3;
			while (o > 1 && out[o - 2] != '/')
				o--;
			if (o > 1)
				o--;
			out[o] = '\0';
		}
	}
	/* a last "." or ".." segment without its slash */
	if (o >= 2 && strcmp(out + o - 2, "/.") == 0)
		out[--o] = '\0';
	else if (o >= 3 && strcmp(out + o - 3, "/..") == 0) {
		o -= 2;
		while (o > 1 && out[o - 2] != '/')
			o--;
		if (o > 1)
			o--;
		out[o] = '\0';
	}
	return VG_OK;
}

static int32_t
find(const struct wsaccess *w, const char *url, uint64_t h)
{
	for (int32_t i = w->buckets[h & (w->n_buckets - 1)]; i >= 0; i = w->slots[i].chain)
		if (w->slots[i].hash == h && strcmp(w->slots[i].url, url) == 0)
			return i;
	return -1;
}

static void
unlink_slot(struct wsaccess *w, int32_t i)
{
	int32_t *pp = &w->buckets[w->slots[i].hash & (w->n_buckets - 1)];
	while (*pp >= 0 && *pp != i)
		pp = &w->slots[*pp].chain;
	if (*pp == i)
		*pp = w->slots[i].chain;
	free(w->slots[i].url);
	free(w->slots[i].path);
	w->slots[i].url = w->slots[i].path = NULL;
	w->stats.files--;
}

/* Remembers (or updates) the script rel of root; a later verdict replaces an earlier
 * one unless it is milder (a fim.added after the webshell scan that rated it). */
static int
remember(struct wsaccess *w, size_t root, const char *rel, int64_t ts_us, int64_t alert_id,
    bool malicious, const char *verdict)
{
	const struct wroot *r = &w->roots[root];
	char url[URL_MAX], abs[URL_MAX];
	int32_t i;

	if (snprintf(url, sizeof(url), "%s/%s", r->prefix, rel) >= (int)sizeof(url) ||
	    snprintf(abs, sizeof(abs), "%s/%s", r->pr->path, rel) >= (int)sizeof(abs))
		return VG_ERR_LIMIT;
	uint64_t h = hash_str(w, url);
	if ((i = find(w, url, h)) >= 0) {
		struct slot *s = &w->slots[i];
		if (!s->malicious || malicious) {
			s->malicious = malicious;
			vg_strlcpy(s->verdict, verdict, sizeof(s->verdict));
			if (alert_id)
				s->alert_id = alert_id;
		}
		return VG_OK;
	}
	i = (int32_t)w->next;
	w->next = (w->next + 1) % w->cap;
	if (w->slots[i].url) {
		unlink_slot(w, i);
		w->stats.forgotten++;
		if (!w->warned_cap) {
			vg_warn(w->lg, "watch: more than %zu new scripts in the web roots: the oldest "
			    "are forgotten for webshell.accessed (counted)", w->cap);
			w->warned_cap = true;
		}
	}
	struct slot *s = &w->slots[i];
	if (!(s->url = strdup(url)) || !(s->path = strdup(abs))) {
		free(s->url);
		s->url = NULL;
		return VG_ERR_NOMEM;
	}
	s->hash = h;
	s->root = root;
	s->ts_us = ts_us;
	s->alert_id = alert_id;
	s->malicious = malicious;
	vg_strlcpy(s->verdict, verdict, sizeof(s->verdict));
	s->chain = w->buckets[h & (w->n_buckets - 1)];
	w->buckets[h & (w->n_buckets - 1)] = i;
	w->stats.files++;
	return VG_OK;
}

static bool
in_baseline(const struct wroot *r, const char *rel)
{
	return r->pr->base && manifest_find(r->pr->base, rel);
}

static bool
root_by_name(const struct wsaccess *w, const char *name, size_t *out)
{
	for (size_t i = 0; name && i < w->n_roots; i++)
		if (strcmp(w->roots[i].pr->name, name) == 0) {
			*out = i;
			return true;
		}
	return false;
}

/* The path of abs relative to root i, or NULL when it is not below it. */
static const char *
rel_of(const struct wsaccess *w, size_t i, const char *abs)
{
	const char *rp = w->roots[i].pr->path;
	size_t n = strlen(rp);
	while (n > 1 && rp[n - 1] == '/')
		n--;
	return strncmp(abs, rp, n) == 0 && abs[n] == '/' && abs[n + 1] ? abs + n + 1 : NULL;
}

/* A webshell finding's script: remembered when it is not the baseline's (a changed
 * page every visitor asks for would flood) unless it was quarantined. */
static void
note_finding(struct wsaccess *w, const char *root_name, const char *abs, bool malicious,
    const char *families, bool quarantined, int64_t ts_us, int64_t alert_id)
{
	char verdict[112];
	const char *rel;
	size_t i;

	if (!root_by_name(w, root_name, &i) || !(rel = rel_of(w, i, abs)))
		return;
	if (!quarantined && in_baseline(&w->roots[i], rel))
		return;
	snprintf(verdict, sizeof(verdict), "%s %s%s", malicious ? "malicious" : "suspicious",
	    families, quarantined ? ", quarantined" : "");
	remember(w, i, rel, ts_us, alert_id, malicious, verdict);
}

static void
note_added(struct wsaccess *w, size_t i, const char *rel, const char *action, int64_t ts_us,
    int64_t alert_id)
{
	char verdict[112];
	if (!fimwatch_server_script(rel) || in_baseline(&w->roots[i], rel))
		return;
	snprintf(verdict, sizeof(verdict), "new script%s%s%s", action ? " (" : "",
	    action ? action : "", action ? ")" : "");
	remember(w, i, rel, ts_us, alert_id, false, verdict);
}

static int
wsaccess_emit(void *state, const struct alert_msg *m)
{
	struct wsaccess *w = state;
	const struct alert_in *in = m->in;
	size_t i;

	if (in->kind == ALERT_WEBSHELL) {
		note_finding(w, in->root_name, in->finding->path,
		    strcmp(in->finding->level, "malicious") == 0, in->finding->families,
		    in->qid && *in->qid, m->a->first_seen_us, m->a->id);
	} else if (in->kind == ALERT_FIM && (in->change->kinds & FIM_ADDED) &&
	    in->change->action != ACT_RECORDED && root_by_name(w, in->change->root->name, &i)) {
		note_added(w, i, in->change->path, in->change->action == ACT_NONE ? NULL :
		    protect_action_name(in->change->action), m->a->first_seen_us, m->a->id);
	}
	return VG_OK;	/* forgetting a file is counted, never a reason to roll back */
}

const struct sink_ops sink_wsaccess = { .name = "webshell-access", .emit = wsaccess_emit };

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* "web root NAME: REL added[; injected: ...]" (alert.c) back to REL. */
static bool
added_rel(const char *title, const char *root, char *rel, size_t size)
{
	size_t n = strlen(root);
	if (strncmp(title, "web root ", 9) != 0 || strncmp(title + 9, root, n) != 0 ||
	    strncmp(title + 9 + n, ": ", 2) != 0)
		return false;
	const char *s = title + 11 + n, *end = strstr(s, " added; injected: ");
	if (!end) {
		size_t len = strlen(s);
		if (len < 7 || strcmp(s + len - 6, " added") != 0)
			return false;
		end = s + len - 6;
	}
	if ((size_t)(end - s) >= size || end == s)
		return false;
	memcpy(rel, s, (size_t)(end - s));
	rel[end - s] = '\0';
	return true;
}

static void
restore_row(struct wsaccess *w, json_t *row)
{
	const char *rule = jstr(row, "rule_id"), *root = jstr(row, "sensor");
	int64_t id = json_integer_value(json_object_get(row, "id"));
	int64_t ts = json_integer_value(json_object_get(row, "first_seen"));
	char buf[URL_MAX];
	size_t i;

	if (strcmp(rule, "fim.added") == 0) {
		if (root_by_name(w, root, &i) && added_rel(jstr(row, "title"), root, buf, sizeof(buf)))
			note_added(w, i, buf, NULL, ts, id);
		return;
	}
	/* webshell.detected: evidence is "ABS score N rules R[ quarantined as Q]" */
	const char *ev = jstr(row, "evidence"), *sc = strstr(ev, " score ");
	if (!sc || (size_t)(sc - ev) >= sizeof(buf))
		return;
	memcpy(buf, ev, (size_t)(sc - ev));
	buf[sc - ev] = '\0';
	note_finding(w, root, buf, strcmp(jstr(row, "title"), "Webshell dropped in a web root") == 0,
	    jstr(row, "matched"), strstr(sc, " quarantined as ") != NULL, ts, id);
}

int
wsaccess_restore(struct wsaccess *w, struct vg_store *st, size_t *n)
{
	static const char *const globs[] = { "fim.added", "webshell.detected" };
	uint64_t before = w->stats.files;

	*n = 0;
	for (size_t g = 0; g < 2; g++) {
		struct store_alert_filter f = { .rule_glob = globs[g], .limit = w->cap };
		json_t *rows = NULL;
		int r = store_alerts_find(st, &f, &rows);
		if (r != VG_OK)
			return r;
		/* newest first: remember oldest first so the cap keeps the newest */
		for (size_t k = json_array_size(rows); k-- > 0;)
			restore_row(w, json_array_get(rows, k));
		json_decref(rows);
	}
	*n = (size_t)(w->stats.files - before);
	return VG_OK;
}

/* Shannon entropy of s in bits per byte. */
static double
entropy(const char *s, size_t n)
{
	unsigned cnt[256] = { 0 };
	double e = 0;
	for (size_t i = 0; i < n; i++)
		cnt[(unsigned char)s[i]]++;
	for (size_t i = 0; i < 256; i++)
		if (cnt[i]) {
			double p = (double)cnt[i] / (double)n;
			e -= p * log2(p);
		}
	return e;
}

static bool
logged_by(const struct wroot *r, const char *source)
{
	if (!r->logs || r->logs->n == 0)
		return true;
	for (size_t i = 0; source && i < r->logs->n; i++)
		if (strcmp(r->logs->items[i], source) == 0)
			return true;
	return false;
}

/* The remembered script a path names, exactly or with PATH_INFO after it
 * ("/up/x.php/anything" runs x.php on most PHP set-ups). */
static int32_t
lookup(struct wsaccess *w, char *path)
{
	int32_t i = find(w, path, hash_str(w, path));
	for (char *p = path + 1; i < 0 && (p = strchr(p, '/')); p++) {
		*p = '\0';
		const char *seg = strrchr(path, '/');
		if (strchr(seg, '.'))
			i = find(w, path, hash_str(w, path));
		*p = '/';
	}
	return i;
}

bool
wsaccess_match(struct wsaccess *w, const struct vg_event *ev, struct correlate_hit *hit,
    char *text, size_t text_size)
{
	char path[URL_MAX], when[40], id[32] = "";
	int32_t i;

	if (ev->kind != VG_EV_HTTP || !ev->http.url || w->stats.files == 0 ||
	    wsaccess_url_path(ev->http.url, path, sizeof(path)) != VG_OK ||
	    (i = lookup(w, path)) < 0)
		return false;
	const struct slot *s = &w->slots[i];
	if (!logged_by(&w->roots[s->root], ev->source) ||
	    (ev->ts_us && ev->ts_us < s->ts_us - TIME_SLACK_US))
		return false;	/* another site's log, or asked for before the file was there */
	const char *m = ev->http.method ? ev->http.method : "";
	bool post = *m && strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
	bool no_ref = !ev->http.referer || !*ev->http.referer || strcmp(ev->http.referer, "-") == 0;
	const char *q = strchr(ev->http.url, '?');
	size_t qn = q ? strlen(q + 1) : 0;
	bool dense = qn >= 16 && entropy(q + 1, qn) >= 4.2;

	vg_time_format(s->ts_us, when, sizeof(when));
	if (s->alert_id)
		snprintf(id, sizeof(id), "; file alert #%lld", (long long)s->alert_id);
	snprintf(text, text_size, "%s (%s; %s %s%s) %s%s%s", s->path,
	    w->roots[s->root].pr->name, when, s->verdict, id, *m ? m : "request",
	    no_ref ? ", no referer" : "", dense ? ", high-entropy query" : "");
	*hit = (struct correlate_hit){
		.rule_id = rule_id, .title = rule_title, .category = "webshell",
		.mitre = "T1505.003",
		.severity = s->malicious || post ? VG_SEV_CRITICAL : VG_SEV_HIGH,
		.field = "file.path", .text = text, .text_len = strlen(text),
	};
	/* one alert per (source, file): the text starts with the path */
	hit->key_len = strlen(s->path) < hit->text_len ? strlen(s->path) : hit->text_len;
	w->stats.matches++;
	return true;
}
