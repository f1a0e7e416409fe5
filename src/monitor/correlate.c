/* Correlator. Sources live in a hash table (SipHash with a random key, so an attacker
 * choosing addresses cannot degrade it) threaded on an LRU list; open aggregates sit
 * on one FIFO in opening order, which is also their closing order because every
 * window has the same length. Threshold state is allocated only when first needed. */
#include "monitor/correlate.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/pool.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define EVIDENCE_MAX 2048
#define MATCHED_MAX 256
/* Aggregates come from pools by the room their evidence needs: 256 << class bytes. */
#define AGG_CLASSES 4
#define KEY_SLOTS_LOG2 6	/* the memo of rule keys: 64 ids */

/* Alerts raised by correlation itself; stable storage for their strings. */
static const struct correlate_hit hit_dirbust = {
	.rule_id = "http.scan.dirbust", .title = "Directory/file brute forcing (many distinct 404s)",
	.category = "scanner", .mitre = "T1595.003", .severity = VG_SEV_MEDIUM,
	.field = "url.original" };
static const struct correlate_hit hit_bruteforce = {
	.rule_id = "auth.bruteforce", .title = "Password brute force (many failed logins)",
	.category = "bruteforce", .mitre = "T1110.001", .severity = VG_SEV_HIGH,
	.field = "message" };
static const struct correlate_hit hit_web_bruteforce = {
	.rule_id = "http.bruteforce.login", .title = "Web login brute force (many POSTs to a login path)",
	.category = "bruteforce", .mitre = "T1110.001", .severity = VG_SEV_HIGH,
	.field = "url.original" };
static const struct correlate_hit hit_success_after_failures = {
	.rule_id = "auth.success_after_failures", .title = "Login succeeded after repeated failures",
	.category = "bruteforce", .mitre = "T1110", .severity = VG_SEV_CRITICAL,
	.field = "message" };
static const struct correlate_hit hit_attacker = {
	.rule_id = "attacker.active", .title = "Active attacker: several distinct attack rules from one source",
	.category = "attacker", .mitre = "T1190", .severity = VG_SEV_HIGH, .field = "rule.id" };

struct agg {
	struct correlate_hit rule;		/* copied; its strings borrowed from the rule table */
	uint64_t rule_key;			/* rule_key(rule.rule_id) */
	struct source *src;
	struct agg *next_in_source;
	struct agg *fifo_prev, *fifo_next;
	uint64_t count;
	int64_t first_us, last_us;
	int64_t arrival_us;			/* wall clock when opened */
	int64_t id;				/* set by the OPENED callback */
	/* as of the last committed store transaction (correlator_committed) */
	bool saved;
	uint64_t saved_count;
	int64_t saved_last_us;
	char field[48];
	char matched[MATCHED_MAX];
	char sensor[128];
	unsigned char cls;			/* its pool: evidence room 256 << cls */
	size_t matched_len, evidence_len;	/* both may hold NUL bytes */
	char evidence[];			/* raw line of the first event */
};

struct stamp {
	uint64_t key;	/* path hash or rule_key() */
	int64_t ts;
};

struct source {
	char ip[VG_IP_MAX];
	uint64_t hash;
	struct source *chain;			/* hash bucket chain */
	struct source *lru_prev, *lru_next;	/* most recent at head */
	struct agg *aggs;
	size_t n_aggs;
	struct stamp *paths404;			/* dirbust_paths entries, lazily allocated */
	int64_t *failures;			/* bruteforce_failures ring, lazily */
	size_t fail_next;
	struct stamp *rules;			/* attacker_rules entries, lazily */
	uint64_t login_path;			/* hash of the login path last POSTed to */
	int64_t *login_posts;			/* bruteforce_failures ring for it, lazily */
	size_t login_next;
};

struct correlator {
	struct correlate_config cfg;
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct source **buckets;
	size_t n_buckets;
	struct source *lru_head, *lru_tail;
	struct source *last;			/* the source source_get returned last */
	/* rule_key() by the id's address: a rule id is one immutable string for the
	 * correlator's life (same_agg already takes one address for one rule) */
	struct {
		const char *id;
		uint64_t key;
	} keys[1 << KEY_SLOTS_LOG2];
	/* The aggregate a (rule, source) pair last joined, by (rule_key ^ source hash):
	 * the walk of the source's list, mostly skipped. One table for all sources, so
	 * a source with many open aggregates (a scanner) does not thrash a few slots. */
	struct agg *recent[1024];
	struct agg *fifo_head, *fifo_tail;
	struct correlate_stats stats;
	bool quiet_updates;			/* CORRELATE_UPDATED not reported */
	/* Every source and aggregate and their threshold arrays come from these, so a
	 * long run reaches a steady state without malloc per line. */
	struct vg_pool source_pool, paths_pool, ring_pool, rules_pool;
	struct vg_pool agg_pool[AGG_CLASSES];
};

void
correlate_config_default(struct correlate_config *cfg)
{
	*cfg = (struct correlate_config){
		.max_sources = 100000,
		.max_alerts_per_source = 32,
		.window_us = 300 * 1000000LL,
		.dirbust_paths = 20,
		.dirbust_window_us = 60 * 1000000LL,
		.bruteforce_failures = 10,
		.bruteforce_window_us = 120 * 1000000LL,
		.attacker_rules = 3,
		.attacker_window_us = 600 * 1000000LL,
	};
}

int
correlator_new(const struct correlate_config *cfg, struct correlator **out)
{
	struct correlator *c;

	*out = NULL;
	if (sodium_init() < 0)
		return VG_ERR_NOMEM;
	c = calloc(1, sizeof(*c));
	if (!c)
		return VG_ERR_NOMEM;
	if (cfg)
		c->cfg = *cfg;
	else
		correlate_config_default(&c->cfg);
	if (c->cfg.max_sources == 0 || c->cfg.dirbust_paths == 0 ||
	    c->cfg.bruteforce_failures == 0 || c->cfg.attacker_rules == 0) {
		free(c);
		return VG_ERR_INVAL;
	}
	/* Load factor <= 1 at the cap. */
	c->n_buckets = 1024;
	while (c->n_buckets < c->cfg.max_sources)
		c->n_buckets *= 2;
	c->buckets = calloc(c->n_buckets, sizeof(*c->buckets));
	if (!c->buckets) {
		free(c);
		return VG_ERR_NOMEM;
	}
	crypto_shorthash_keygen(c->key);
	vg_pool_init(&c->source_pool, sizeof(struct source), 0);
	vg_pool_init(&c->paths_pool, c->cfg.dirbust_paths * sizeof(struct stamp), 0);
	vg_pool_init(&c->ring_pool, c->cfg.bruteforce_failures * sizeof(int64_t), 0);
	vg_pool_init(&c->rules_pool, c->cfg.attacker_rules * sizeof(struct stamp), 0);
	for (int i = 0; i < AGG_CLASSES; i++)
		vg_pool_init(&c->agg_pool[i], sizeof(struct agg) + (256u << i), 0);
	*out = c;
	return VG_OK;
}

static uint64_t
hash_bytes(const struct correlator *c, const void *data, size_t len)
{
	uint64_t h;
	crypto_shorthash((unsigned char *)&h, data, len, c->key);
	return h;
}

/* Rule ids come from our rule tables, never from a log line, so a plain FNV-1a
 * serves as their key: it spares a SipHash per hit and a strcmp per open aggregate. */
static uint64_t
rule_key(const char *id)
{
	uint64_t h = 14695981039346656037ull;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

static uint64_t
rule_key_of(struct correlator *c, const char *id)
{
	/* Fibonacci hashing: malloc'd ids are 16-byte aligned, their low bits tell nothing */
	size_t slot = (size_t)(((uint64_t)(uintptr_t)id * 0x9E3779B97F4A7C15ull) >>
	    (64 - KEY_SLOTS_LOG2));

	if (c->keys[slot].id != id) {
		c->keys[slot].id = id;
		c->keys[slot].key = rule_key(id);
	}
	return c->keys[slot].key;
}

static void
fifo_remove(struct correlator *c, struct agg *a)
{
	if (a->fifo_prev)
		a->fifo_prev->fifo_next = a->fifo_next;
	else
		c->fifo_head = a->fifo_next;
	if (a->fifo_next)
		a->fifo_next->fifo_prev = a->fifo_prev;
	else
		c->fifo_tail = a->fifo_prev;
}

/* Runs for every hit (UPDATED included): fields are set one by one, no memset, and
 * the address is a fixed-size copy (a source's ip is NUL-padded to VG_IP_MAX). */
static void
fill_alert(const struct agg *a, struct vg_alert *out)
{
	*out = (struct vg_alert){
		.id = a->id,
		.rule_id = a->rule.rule_id,
		.title = a->rule.title,
		.category = a->rule.category,
		.mitre = a->rule.mitre,
		.severity = a->rule.severity,
		.sensor = a->sensor[0] ? a->sensor : NULL,
		.count = a->count,
		.first_seen_us = a->first_us,
		.last_seen_us = a->last_us,
		.field = a->field[0] ? a->field : NULL,
		.matched = a->matched_len ? a->matched : NULL,
		.matched_len = a->matched_len,
		.evidence = a->evidence_len ? a->evidence : NULL,
		.evidence_len = a->evidence_len,
	};
	memcpy(out->source_ip, a->src->ip, sizeof(out->source_ip));
}

static struct agg **
recent_slot(struct correlator *c, const struct source *s, uint64_t key)
{
	return &c->recent[(key ^ s->hash) % (sizeof(c->recent) / sizeof(c->recent[0]))];
}

/* Unlinks an aggregate from its source's list and the FIFO, and frees it. */
static void
agg_drop(struct correlator *c, struct agg *a)
{
	for (struct agg **pp = &a->src->aggs; *pp; pp = &(*pp)->next_in_source) {
		if (*pp == a) {
			*pp = a->next_in_source;
			break;
		}
	}
	a->src->n_aggs--;
	if (*recent_slot(c, a->src, a->rule_key) == a)
		*recent_slot(c, a->src, a->rule_key) = NULL;
	fifo_remove(c, a);
	vg_pool_put(&c->agg_pool[a->cls], a);
}

/* Emits CLOSED and frees the aggregate. */
static int
close_agg(struct correlator *c, struct agg *a, correlate_alert_fn fn, void *arg)
{
	struct vg_alert al;
	int r;

	fill_alert(a, &al);
	r = fn(CORRELATE_CLOSED, &al, NULL, arg);
	c->stats.alerts_closed++;
	agg_drop(c, a);
	return r;
}

/* Closes aggregates from the FIFO head whose window ended, by event time or (by_arrival)
 * by the wall clock at which they were opened. */
static int
close_expired(struct correlator *c, int64_t now_us, bool by_arrival, correlate_alert_fn fn,
    void *arg)
{
	int ret = 0;
	while (c->fifo_head &&
	    (by_arrival ? c->fifo_head->arrival_us : c->fifo_head->first_us) + c->cfg.window_us <=
		now_us) {
		int r = close_agg(c, c->fifo_head, fn, arg);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

static void
lru_unlink(struct correlator *c, struct source *s)
{
	if (s->lru_prev)
		s->lru_prev->lru_next = s->lru_next;
	else
		c->lru_head = s->lru_next;
	if (s->lru_next)
		s->lru_next->lru_prev = s->lru_prev;
	else
		c->lru_tail = s->lru_prev;
	s->lru_prev = s->lru_next = NULL;
}

static void
lru_push_front(struct correlator *c, struct source *s)
{
	s->lru_next = c->lru_head;
	if (c->lru_head)
		c->lru_head->lru_prev = s;
	c->lru_head = s;
	if (!c->lru_tail)
		c->lru_tail = s;
}

/* Frees a source's own memory (not its aggregates, not its links). */
static void
source_free(struct correlator *c, struct source *s)
{
	vg_pool_put(&c->paths_pool, s->paths404);
	vg_pool_put(&c->ring_pool, s->failures);
	vg_pool_put(&c->rules_pool, s->rules);
	vg_pool_put(&c->ring_pool, s->login_posts);
	vg_pool_put(&c->source_pool, s);
}

/* Removes a source: its open alerts are closed (reported), never lost. */
static int
evict(struct correlator *c, struct source *s, correlate_alert_fn fn, void *arg)
{
	struct source **pp = &c->buckets[s->hash & (c->n_buckets - 1)];
	int ret = 0;

	while (s->aggs) {
		int r = close_agg(c, s->aggs, fn, arg);
		if (r && !ret)
			ret = r;
	}
	while (*pp && *pp != s)
		pp = &(*pp)->chain;
	if (*pp)
		*pp = s->chain;
	lru_unlink(c, s);
	if (c->last == s)
		c->last = NULL;
	source_free(c, s);
	c->stats.sources--;
	return ret;
}

/* Finds or creates the state for ip, moving it to the LRU front. NULL on ENOMEM. */
static struct source *
source_get(struct correlator *c, const char *ip, correlate_alert_fn fn, void *arg, int *cb_ret)
{
	size_t len = strnlen(ip, VG_IP_MAX - 1);
	uint64_t h;
	struct source *s = c->last;

	/* Consecutive lines mostly come from one client: skip the hash and the LRU move. */
	if (s && strncmp(s->ip, ip, VG_IP_MAX) == 0)
		return s;
	h = hash_bytes(c, ip, len);
	for (s = c->buckets[h & (c->n_buckets - 1)]; s; s = s->chain) {
		if (s->hash == h && strncmp(s->ip, ip, VG_IP_MAX) == 0) {
			lru_unlink(c, s);
			lru_push_front(c, s);
			c->last = s;
			return s;
		}
	}
	if (c->stats.sources >= c->cfg.max_sources) {
		int r = evict(c, c->lru_tail, fn, arg);
		if (r && !*cb_ret)
			*cb_ret = r;
		c->stats.evicted_sources++;
	}
	s = vg_pool_get(&c->source_pool);
	if (!s)
		return NULL;
	memcpy(s->ip, ip, len);
	s->hash = h;
	s->chain = c->buckets[h & (c->n_buckets - 1)];
	c->buckets[h & (c->n_buckets - 1)] = s;
	lru_push_front(c, s);
	c->stats.sources++;
	c->last = s;
	return s;
}

static bool
same_agg(const struct agg *a, const struct correlate_hit *b, uint64_t key)
{
	if (a->rule.rule_id != b->rule_id &&
	    (a->rule_key != key || strcmp(a->rule.rule_id, b->rule_id) != 0))
		return false;
	return !b->key_len || (b->text && a->matched_len >= b->key_len &&
	    b->text_len >= b->key_len && memcmp(a->matched, b->text, b->key_len) == 0);
}

/* Adds one hit to its (rule, source) aggregate, opening one if needed. */
static int
aggregate(struct correlator *c, struct source *s, const struct vg_event *ev, int64_t arrival_us,
    const struct correlate_hit *hit, correlate_alert_fn fn, void *arg)
{
	struct agg *a;
	struct vg_alert al;
	size_t ev_len;
	unsigned cls = 0;
	uint64_t key = rule_key_of(c, hit->rule_id);
	struct agg **recent = recent_slot(c, s, key);

	a = *recent && (*recent)->src == s && same_agg(*recent, hit, key) ? *recent : NULL;
	for (struct agg *b = s->aggs; !a && b; b = b->next_in_source)
		if (same_agg(b, hit, key))
			a = b;
	if (a) {
		*recent = a;
		a->count++;
		if (ev->ts_us > a->last_us)
			a->last_us = ev->ts_us;
		if (c->quiet_updates)
			return 0;
		fill_alert(a, &al);
		return fn(CORRELATE_UPDATED, &al, ev, arg);
	}
	if (s->n_aggs >= c->cfg.max_alerts_per_source) {
		c->stats.dropped_hits++;
		return 0;
	}
	ev_len = ev->raw ? ev->raw_len : 0;
	if (ev_len >= EVIDENCE_MAX)
		ev_len = EVIDENCE_MAX - 1;
	while ((256u << cls) < ev_len + 1)
		cls++;
	a = vg_pool_get(&c->agg_pool[cls]);
	if (!a)
		return VG_ERR_NOMEM;
	a->cls = (unsigned char)cls;
	a->rule = *hit;
	a->rule.text = NULL;
	a->rule.text_fn = NULL;
	a->rule.text_ctx = NULL;
	a->rule_key = key;
	a->src = s;
	a->count = 1;
	a->first_us = a->last_us = ev->ts_us;
	a->arrival_us = arrival_us;
	if (hit->field)
		vg_strlcpy(a->field, hit->field, sizeof(a->field));
	const char *text = hit->text;
	size_t text_len = hit->text_len;
	if (!text && hit->text_fn)
		text_len = hit->text_fn(hit->text_ctx, &text);
	if (text) {
		size_t n = text_len < MATCHED_MAX - 1 ? text_len : MATCHED_MAX - 1;
		memcpy(a->matched, text, n);
		a->matched[n] = '\0';
		a->matched_len = n;
	}
	if (ev->source)
		vg_strlcpy(a->sensor, ev->host ? ev->host : ev->source, sizeof(a->sensor));
	else if (ev->host)
		vg_strlcpy(a->sensor, ev->host, sizeof(a->sensor));
	if (ev_len)
		memcpy(a->evidence, ev->raw, ev_len);
	a->evidence_len = ev_len;
	a->next_in_source = s->aggs;
	s->aggs = a;
	s->n_aggs++;
	*recent = a;
	a->fifo_prev = c->fifo_tail;
	if (c->fifo_tail)
		c->fifo_tail->fifo_next = a;
	else
		c->fifo_head = a;
	c->fifo_tail = a;
	c->stats.alerts_opened++;
	fill_alert(a, &al);
	int r = fn(CORRELATE_OPENED, &al, ev, arg);
	a->id = al.id;
	return r;
}

/* A stamp time inside the window ending at ts (0: an empty stamp). */
static bool
in_window(int64_t stamp_ts, int64_t ts, int64_t window)
{
	return stamp_ts && stamp_ts > ts - window;
}

/* Records key at ts in a fixed set of n stamps (replacing the oldest) and returns how
 * many distinct keys fall inside the window ending at ts. One pass: the replaced
 * stamp's share of the count is taken back afterwards. */
static unsigned
distinct_in_window(struct stamp *set, unsigned n, uint64_t key, int64_t ts, int64_t window)
{
	unsigned oldest = 0, count = 0;
	int64_t oldest_ts = INT64_MAX;	/* set[oldest].ts, kept out of memory: no load per step */
	bool found = false;
	for (unsigned i = 0; i < n; i++) {
		if (set[i].ts && set[i].key == key) {
			set[i].ts = ts;
			found = true;
		}
		if (set[i].ts < oldest_ts) {
			oldest = i;
			oldest_ts = set[i].ts;
		}
		count += in_window(set[i].ts, ts, window);
	}
	if (!found) {
		count -= in_window(oldest_ts, ts, window);
		set[oldest] = (struct stamp){ .key = key, .ts = ts };
		count += in_window(ts, ts, window);
	}
	return count;
}

static size_t
path_len(const char *url)
{
	size_t n = strcspn(url, "?#");
	return n;
}

enum auth_outcome { AUTH_NONE, AUTH_FAILURE, AUTH_SUCCESS };

/* The sshd decoder states the outcome as event.action; for the web, an
 * HTTP 401 is a refused login (basic/digest auth brute force, as hydra does it). */
static enum auth_outcome
auth_outcome(const struct vg_event *ev)
{
	const char *m = ev->action;
	if (ev->kind == VG_EV_HTTP && ev->http.status == 401)
		return AUTH_FAILURE;
	if (ev->kind != VG_EV_AUTH || !m)
		return AUTH_NONE;
	if (strncmp(m, "Failed ", 7) == 0 || strncmp(m, "Invalid user", 12) == 0 ||
	    strstr(m, "authentication failure"))
		return AUTH_FAILURE;
	if (strncmp(m, "Accepted ", 9) == 0)
		return AUTH_SUCCESS;
	return AUTH_NONE;
}

/* Stamps in a ring of bruteforce_failures entries inside the brute-force window,
 * after recording ts if record. */
static unsigned
ring_in_window(struct correlator *c, int64_t *ring, size_t *next, int64_t ts, bool record)
{
	unsigned n = c->cfg.bruteforce_failures, count = 0;
	if (record) {
		ring[*next] = ts;
		*next = (*next + 1) % n;
	}
	for (unsigned i = 0; i < n; i++)
		if (ring[i] && ring[i] > ts - c->cfg.bruteforce_window_us)
			count++;
	return count;
}

/* A web login form answers a guess with 200 (form again), 302/303 (redirect) or
 * 401/403, whatever user agent the guesser sends; what gives it away is one source
 * POSTing to one login-like path over and over. */
static bool
login_post(const struct vg_event *ev)
{
	static const char *const words[] = { "login", "logon", "signin", "sign-in", "sign_in",
		"auth", "session", "account", "password", "xmlrpc", "admin", "user" };
	const char *url = ev->http.url, *m = ev->http.method;
	int st = ev->http.status;
	size_t n;

	if (ev->kind != VG_EV_HTTP || !url || !m || strcmp(m, "POST") != 0 ||
	    !(st == 200 || st == 302 || st == 303 || st == 401 || st == 403))
		return false;
	n = path_len(url);
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t l = strlen(words[w]);
		for (size_t i = 0; i + l <= n; i++)
			if (strncasecmp(url + i, words[w], l) == 0)
				return true;
	}
	return false;
}

bool
correlate_wants(const struct vg_event *ev)
{
	return (ev->kind == VG_EV_HTTP && (ev->http.status == 404 || ev->http.status == 401)) ||
	    ev->kind == VG_EV_AUTH || login_post(ev);
}

static int
thresholds(struct correlator *c, struct source *s, const struct vg_event *ev, int64_t arrival_us,
    const struct correlate_hit *hits, size_t n_hits, correlate_alert_fn fn, void *arg)
{
	int ret = 0, r;
	enum auth_outcome outcome;

	if (ev->kind == VG_EV_HTTP && ev->http.status == 404 && ev->http.url) {
		if (!s->paths404 && !(s->paths404 = vg_pool_get(&c->paths_pool)))
			return VG_ERR_NOMEM;
		uint64_t key = hash_bytes(c, ev->http.url, path_len(ev->http.url));
		if (distinct_in_window(s->paths404, c->cfg.dirbust_paths, key, ev->ts_us,
			c->cfg.dirbust_window_us) >= c->cfg.dirbust_paths &&
		    (r = aggregate(c, s, ev, arrival_us, &hit_dirbust, fn, arg)) && !ret)
			ret = r;
	}
	outcome = auth_outcome(ev);
	if (outcome != AUTH_NONE) {
		if (!s->failures && !(s->failures = vg_pool_get(&c->ring_pool)))
			return VG_ERR_NOMEM;
		unsigned fails = ring_in_window(c, s->failures, &s->fail_next, ev->ts_us,
		    outcome == AUTH_FAILURE);
		const struct correlate_hit *h = NULL;
		if (outcome == AUTH_FAILURE && fails >= c->cfg.bruteforce_failures)
			h = &hit_bruteforce;
		else if (outcome == AUTH_SUCCESS && fails >= 3)
			h = &hit_success_after_failures;
		if (h && (r = aggregate(c, s, ev, arrival_us, h, fn, arg)) && !ret)
			ret = r;
	}
	if (login_post(ev)) {
		uint64_t key = hash_bytes(c, ev->http.url, path_len(ev->http.url));
		if (!s->login_posts &&
		    !(s->login_posts = vg_pool_get(&c->ring_pool)))
			return VG_ERR_NOMEM;
		if (key != s->login_path) {	/* a new form: count afresh */
			memset(s->login_posts, 0, c->cfg.bruteforce_failures * sizeof(int64_t));
			s->login_path = key;
		}
		if (ring_in_window(c, s->login_posts, &s->login_next, ev->ts_us, true) >=
			c->cfg.bruteforce_failures &&
		    (r = aggregate(c, s, ev, arrival_us, &hit_web_bruteforce, fn, arg)) && !ret)
			ret = r;
	}
	if (n_hits == 0)
		return ret;
	if (!s->rules && !(s->rules = vg_pool_get(&c->rules_pool)))
		return VG_ERR_NOMEM;
	unsigned distinct = 0;
	for (size_t i = 0; i < n_hits; i++) {
		/* Low-severity markers (a curl user agent) are not attacks by themselves. */
		if (hits[i].severity < VG_SEV_MEDIUM)
			continue;
		uint64_t key = rule_key_of(c, hits[i].rule_id);
		distinct = distinct_in_window(s->rules, c->cfg.attacker_rules, key, ev->ts_us,
		    c->cfg.attacker_window_us);
	}
	if (distinct >= c->cfg.attacker_rules &&
	    (r = aggregate(c, s, ev, arrival_us, &hit_attacker, fn, arg)) &&
	    !ret)
		ret = r;
	return ret;
}

int
correlator_feed(struct correlator *c, const struct vg_event *ev, int64_t arrival_us,
    const struct correlate_hit *hits, size_t n_hits, correlate_alert_fn fn, void *arg)
{
	struct source *s;
	int ret, r;
	const char *ip = ev->src_ip[0] ? ev->src_ip : "-";

	ret = close_expired(c, ev->ts_us, false, fn, arg);
	s = source_get(c, ip, fn, arg, &ret);
	if (!s)
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < n_hits; i++)
		if ((r = aggregate(c, s, ev, arrival_us, &hits[i], fn, arg)) && !ret)
			ret = r;
	if ((r = thresholds(c, s, ev, arrival_us, hits, n_hits, fn, arg)) && !ret)
		ret = r;
	return ret;
}

void
correlator_report_updates(struct correlator *c, bool on)
{
	c->quiet_updates = !on;
}

int
correlator_tick(struct correlator *c, int64_t now_us, correlate_alert_fn fn, void *arg)
{
	return close_expired(c, now_us, true, fn, arg);
}

int
correlator_flush(struct correlator *c, correlate_alert_fn fn, void *arg)
{
	int ret = 0;
	while (c->fifo_head) {
		int r = close_agg(c, c->fifo_head, fn, arg);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

void
correlator_stats(const struct correlator *c, struct correlate_stats *out)
{
	*out = c->stats;
}

void
correlator_committed(struct correlator *c)
{
	for (struct agg *a = c->fifo_head; a; a = a->fifo_next) {
		a->saved = true;
		a->saved_count = a->count;
		a->saved_last_us = a->last_us;
	}
}

void
correlator_rolled_back(struct correlator *c)
{
	struct agg *a = c->fifo_head, *next;

	for (; a; a = next) {
		next = a->fifo_next;
		if (a->saved) {
			a->count = a->saved_count;
			a->last_us = a->saved_last_us;
			continue;
		}
		/* opened in the rolled-back transaction: its row and id are gone */
		agg_drop(c, a);
		c->stats.alerts_opened--;
	}
}

static void
forget_all(struct correlator *c)
{
	while (c->lru_head) {
		struct source *s = c->lru_head;
		struct agg *a = s->aggs;
		while (a) {
			struct agg *next = a->next_in_source;
			vg_pool_put(&c->agg_pool[a->cls], a);
			a = next;
		}
		c->lru_head = s->lru_next;
		source_free(c, s);
	}
	c->lru_tail = NULL;
	c->last = NULL;
	c->fifo_head = c->fifo_tail = NULL;
	memset(c->buckets, 0, c->n_buckets * sizeof(*c->buckets));
	memset(c->recent, 0, sizeof(c->recent));
	c->stats.sources = 0;
}

void
correlator_free(struct correlator *c)
{
	if (!c)
		return;
	forget_all(c);
	free(c->buckets);
	vg_pool_destroy(&c->source_pool);
	vg_pool_destroy(&c->paths_pool);
	vg_pool_destroy(&c->ring_pool);
	vg_pool_destroy(&c->rules_pool);
	for (int i = 0; i < AGG_CLASSES; i++)
		vg_pool_destroy(&c->agg_pool[i]);
	free(c);
}
