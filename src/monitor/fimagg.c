/* Web-root change aggregation (see fimagg.h). Windows live in a chained hash table
 * keyed by (root, path, kind word, action); the table is bounded (max_open) and a
 * flood of distinct paths in one root folds into a roll-up window per kind. */
#include "monitor/fimagg.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

#define N_BUCKETS 4096

struct window {
	struct window *next;
	uint64_t h;
	const struct protect_root *root;
	char *path;
	const char *word;		/* fim_kind_word of the first change (static) */
	unsigned kinds;
	enum protect_action action;
	struct vg_alert a;		/* id once stored, count, first/last seen */
};

struct fimagg {
	struct fimagg_opts o;
	struct window *b[N_BUCKETS];
	size_t n_open;
	struct fimagg_stats st;
};

int
fimagg_new(const struct fimagg_opts *o, struct fimagg **out)
{
	struct fimagg *a = calloc(1, sizeof(*a));

	*out = NULL;
	if (!a)
		return VG_ERR_NOMEM;
	a->o = *o;
	if (a->o.quiet_us <= 0)
		a->o.quiet_us = 60 * 1000000LL;
	if (!a->o.max_open)
		a->o.max_open = 4096;
	if (!a->o.root_max)
		a->o.root_max = 256;
	*out = a;
	return VG_OK;
}

static uint64_t
key_hash(const struct protect_root *root, const char *path, const char *word,
    enum protect_action act)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)root ^ ((uint64_t)act << 32);
	for (const char *s = path; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	for (const char *s = word; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Emits the window's summary and unlinks it from *link. */
static void
close_window(struct fimagg *a, struct window **link)
{
	struct window *w = *link;
	struct fim_change ch = { .root = w->root, .path = w->path, .kinds = w->kinds,
		.action = w->action, .repeats = w->a.count, .first_us = w->a.first_seen_us };
	struct alert_in in = { .kind = ALERT_FIM, .state = ALERT_CLOSED, .change = &ch,
		.agg = &w->a };

	if (w->a.count > 1)
		alert_emit(a->o.alerts, &in);
	*link = w->next;
	free(w->path);
	free(w);
	a->n_open--;
	a->st.closed++;
}

static void
evict_oldest(struct fimagg *a)
{
	struct window **oldest = NULL;
	for (size_t i = 0; i < N_BUCKETS; i++)
		for (struct window **l = &a->b[i]; *l; l = &(*l)->next)
			if (!oldest || (*l)->a.last_seen_us < (*oldest)->a.last_seen_us)
				oldest = l;
	if (oldest) {
		close_window(a, oldest);
		a->st.evicted++;
	}
}

static struct window *
find(struct fimagg *a, uint64_t h, const struct protect_root *root, const char *path,
    const char *word, enum protect_action act)
{
	for (struct window *w = a->b[h % N_BUCKETS]; w; w = w->next)
		if (w->h == h && w->root == root && w->action == act && w->word == word &&
		    strcmp(w->path, path) == 0)
			return w;
	return NULL;
}

static size_t
open_in_root(const struct fimagg *a, const struct protect_root *root)
{
	size_t n = 0;
	for (size_t i = 0; i < N_BUCKETS; i++)
		for (const struct window *w = a->b[i]; w; w = w->next)
			n += w->root == root;
	return n;
}

int
fimagg_change(struct fimagg *a, const struct fim_change *ch, int64_t now_us)
{
	const char *word = fim_kind_word(ch->kinds), *path = ch->path;
	uint64_t h = key_hash(ch->root, path, word, ch->action);
	struct window *w = find(a, h, ch->root, path, word, ch->action);
	struct fim_change roll;

	if (!w && a->n_open >= a->o.root_max && open_in_root(a, ch->root) >= a->o.root_max) {
		/* a flood of distinct paths: one window per kind and action for the rest */
		roll = (struct fim_change){ .root = ch->root, .path = "*", .kinds = ch->kinds,
			.action = ch->action, .detail = ch->detail, .err = ch->err };
		ch = &roll;
		path = "*";
		h = key_hash(ch->root, path, word, ch->action);
		w = find(a, h, ch->root, path, word, ch->action);
		a->st.rolled_up++;
	}
	if (w) {
		struct alert_in in = { .kind = ALERT_FIM, .state = ALERT_UPDATED, .change = ch,
			.agg = &w->a };
		w->a.count++;
		w->a.last_seen_us = now_us;
		a->st.updated++;
		return alert_emit(a->o.alerts, &in);
	}
	if (a->n_open >= a->o.max_open)
		evict_oldest(a);
	if (!(w = calloc(1, sizeof(*w))) || !(w->path = strdup(path))) {
		free(w);
		/* no memory for a window: the change is still an alert of its own */
		struct alert_in once = { .kind = ALERT_FIM, .state = ALERT_ONCE, .change = ch };
		return alert_emit(a->o.alerts, &once);
	}
	w->h = h;
	w->root = ch->root;
	w->word = word;
	w->kinds = ch->kinds;
	w->action = ch->action;
	w->a.count = 1;
	w->a.first_seen_us = w->a.last_seen_us = now_us;
	w->next = a->b[h % N_BUCKETS];
	a->b[h % N_BUCKETS] = w;
	a->n_open++;
	a->st.opened++;
	struct alert_in in = { .kind = ALERT_FIM, .state = ALERT_OPENED, .change = ch,
		.agg = &w->a };
	return alert_emit(a->o.alerts, &in);
}

void
fimagg_expire(struct fimagg *a, int64_t now_us)
{
	for (size_t i = 0; a->n_open && i < N_BUCKETS; i++)
		for (struct window **l = &a->b[i]; *l;) {
			if (now_us - (*l)->a.last_seen_us >= a->o.quiet_us)
				close_window(a, l);
			else
				l = &(*l)->next;
		}
}

void
fimagg_free(struct fimagg *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < N_BUCKETS; i++)
		while (a->b[i])
			close_window(a, &a->b[i]);
	free(a);
}

void
fimagg_get_stats(const struct fimagg *a, struct fimagg_stats *out)
{
	*out = a->st;
}
