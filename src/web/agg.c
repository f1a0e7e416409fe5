/* In-memory overview aggregates (see agg.h). Minute buckets form a ring indexed by
 * minute % AGG_MINUTES; a bucket from an older minute is cleared when reused. Top
 * lists merge at most AGG_MINUTES * AGG_TOP keys through a fixed hash table. */
#include "web/agg.h"
#include "core/err.h"
#include "core/event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* µs since the epoch from the API's "2026-11-29T22:43:26.980Z"; 0 if it is not one. */
static int64_t
parse_time(const char *s)
{
	struct tm tm = { 0 };
	int ms = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		&tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) * 1000000 + ms * 1000;
}

static void
bump(struct agg *g, struct agg_entry *tab, uint16_t *n, const char *key, uint64_t events)
{
	if (!key || !*key)
		return;
	for (uint16_t i = 0; i < *n; i++) {
		if (strcmp(tab[i].key, key) == 0) {
			tab[i].alerts++;
			tab[i].events += events;
			return;
		}
	}
	if (*n >= AGG_TOP) {
		g->overflow++;
		return;
	}
	snprintf(tab[*n].key, sizeof(tab[*n].key), "%s", key);
	tab[*n].alerts = 1;
	tab[*n].events = events;
	(*n)++;
}

void
agg_add(struct agg *g, const json_t *a, int64_t now_us)
{
	int64_t at = parse_time(json_string_value(json_object_get(a, "created_at")));
	int64_t minute = at / 60000000, now_min = now_us / 60000000;
	int64_t sev = json_integer_value(json_object_get(a, "severity"));
	int64_t count = json_integer_value(json_object_get(a, "count"));
	struct agg_minute *m;

	if (at <= 0 || minute <= now_min - AGG_MINUTES || minute > now_min + 1)
		return;
	m = &g->m[minute % AGG_MINUTES];
	if (m->minute != minute) {
		memset(m, 0, sizeof(*m));
		m->minute = minute;
	}
	m->n++;
	if (sev >= 0 && sev <= 4)
		m->sev[sev]++;
	bump(g, m->src, &m->n_src, json_string_value(json_object_get(a, "source_ip")),
	    count > 0 ? (uint64_t)count : 1);
	bump(g, m->site, &m->n_site, json_string_value(json_object_get(a, "site")),
	    count > 0 ? (uint64_t)count : 1);
}

#define MERGE_SLOTS 16384	/* > AGG_MINUTES * AGG_TOP, a power of two */

struct merge {
	struct agg_entry slot[MERGE_SLOTS];
	size_t used;
};

static void
merge_in(struct merge *mg, const struct agg_entry *e)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = e->key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (size_t i = h & (MERGE_SLOTS - 1);; i = (i + 1) & (MERGE_SLOTS - 1)) {
		struct agg_entry *s = &mg->slot[i];
		if (!s->key[0]) {
			*s = *e;
			mg->used++;
			return;
		}
		if (strcmp(s->key, e->key) == 0) {
			s->alerts += e->alerts;
			s->events += e->events;
			return;
		}
	}
}

/* Busiest first: events, then alerts. */
static int
by_weight(const void *pa, const void *pb)
{
	const struct agg_entry *a = pa, *b = pb;
	if (a->events != b->events)
		return a->events < b->events ? 1 : -1;
	if (a->alerts != b->alerts)
		return a->alerts < b->alerts ? 1 : -1;
	return strcmp(a->key, b->key);
}

static json_t *
top_list(const struct agg *g, int64_t from_min, int64_t to_min, int site, const char *key)
{
	struct merge *mg = calloc(1, sizeof(*mg));
	struct agg_entry *all = NULL;
	json_t *arr = json_array();
	size_t n = 0;

	if (!mg || !arr)
		goto fail;
	for (int i = 0; i < AGG_MINUTES; i++) {
		const struct agg_minute *m = &g->m[i];
		if (m->minute < from_min || m->minute > to_min)
			continue;
		for (uint16_t j = 0; j < (site ? m->n_site : m->n_src); j++)
			merge_in(mg, site ? &m->site[j] : &m->src[j]);
	}
	if (!(all = malloc((mg->used ? mg->used : 1) * sizeof(*all))))
		goto fail;
	for (size_t i = 0; i < MERGE_SLOTS; i++)
		if (mg->slot[i].key[0])
			all[n++] = mg->slot[i];
	qsort(all, n, sizeof(*all), by_weight);
	for (size_t i = 0; i < n && i < 10; i++)
		json_array_append_new(arr, json_pack("{s:s, s:I, s:I}", key, all[i].key, "alerts",
		    (json_int_t)all[i].alerts, "events", (json_int_t)all[i].events));
	free(all);
	free(mg);
	return arr;
fail:
	free(mg);
	json_decref(arr);
	return NULL;
}

int
agg_overview(const struct agg *g, int64_t now_us, int minutes, json_t *obj)
{
	int64_t to_min = now_us / 60000000, from_min;
	uint64_t sev[5] = { 0 };
	json_t *per = json_array(), *by = json_object(), *src, *site;

	if (minutes < 1 || minutes > AGG_MINUTES)
		minutes = AGG_MINUTES;
	from_min = to_min - minutes + 1;
	if (!per || !by)
		goto fail;
	for (int64_t mi = from_min; mi <= to_min; mi++) {
		const struct agg_minute *m = &g->m[mi % AGG_MINUTES];
		if (m->minute != mi || !m->n)
			continue;
		json_array_append_new(per, json_pack("{s:I, s:I}", "t", (json_int_t)(mi * 60), "n",
		    (json_int_t)m->n));
		for (int s = 0; s < 5; s++)
			sev[s] += m->sev[s];
	}
	for (int s = 0; s < 5; s++)
		json_object_set_new(by, vg_severity_name((enum vg_severity)s),
		    json_integer((json_int_t)sev[s]));
	if (!(src = top_list(g, from_min, to_min, 0, "ip")))
		goto fail;
	if (!(site = top_list(g, from_min, to_min, 1, "site"))) {
		json_decref(src);
		goto fail;
	}
	json_object_set_new(obj, "per_minute", per);
	json_object_set_new(obj, "top_sources", src);
	json_object_set_new(obj, "top_sites", site);
	json_object_set_new(obj, "by_severity", by);
	return VG_OK;
fail:
	json_decref(per);
	json_decref(by);
	return VG_ERR_NOMEM;
}
