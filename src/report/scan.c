/* The period's alerts read once, in rowid order, with one plain SELECT of the narrow
 * columns, and aggregated here: the hour x category x site rollup, the sources (top
 * few by partial selection), the signs of intrusion. SQLite's GROUP BY sorts every
 * row, which was nearly all of a million-alert briefing (bench/report_daily.sh);
 * hash tables keyed by the values' bytes do the same work in one pass. */
#include "report/facts.h"
#include "report/sql_report.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

/* Byte strings to dense ids (0, 1, ...): open addressing, FNV-1a. */
struct ids {
	uint32_t *slot;		/* id + 1; 0 = empty */
	size_t nslot;		/* a power of two */
	char **key;
	size_t *len, n, cap;
};

static uint64_t
fnv(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 14695981039346656037ULL;

	while (n--)
		h = (h ^ *b++) * 1099511628211ULL;
	return h;
}

static int
ids_grow(struct ids *t)
{
	size_t ns = t->nslot ? t->nslot * 2 : 256;
	uint32_t *s = calloc(ns, sizeof(*s));

	if (!s)
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < t->n; i++) {
		size_t j = fnv(t->key[i], t->len[i]) & (ns - 1);
		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = s;
	t->nslot = ns;
	return VG_OK;
}

/* *id of the bytes k[0..n), added when new (*added set); 0 or VG_ERR_NOMEM. */
static int
ids_get(struct ids *t, const void *k, size_t n, uint32_t *id, bool *added)
{
	size_t j;

	*added = false;
	if ((t->n + 1) * 2 > t->nslot && ids_grow(t) != VG_OK)
		return VG_ERR_NOMEM;
	for (j = fnv(k, n) & (t->nslot - 1); t->slot[j]; j = (j + 1) & (t->nslot - 1)) {
		uint32_t i = t->slot[j] - 1;
		if (t->len[i] == n && memcmp(t->key[i], k, n) == 0) {
			*id = i;
			return VG_OK;
		}
	}
	if (t->n == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 64;
		char **nk = realloc(t->key, c * sizeof(*nk));
		if (!nk)
			return VG_ERR_NOMEM;
		t->key = nk;
		size_t *nl = realloc(t->len, c * sizeof(*nl));
		if (!nl)
			return VG_ERR_NOMEM;
		t->len = nl;
		t->cap = c;
	}
	/* One byte more: text keys stay NUL-terminated for the JSON rows. */
	if (!(t->key[t->n] = malloc(n + 1)))
		return VG_ERR_NOMEM;
	memcpy(t->key[t->n], k, n);
	t->key[t->n][n] = '\0';
	t->len[t->n] = n;
	t->slot[j] = (uint32_t)t->n + 1;
	*id = (uint32_t)t->n++;
	*added = true;
	return VG_OK;
}

static void
ids_free(struct ids *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->key[i]);
	free(t->key);
	free(t->len);
	free(t->slot);
}

struct sum {
	long long alerts, events;
};

struct source {
	struct sum s;
	long long severity;
	bool ioc;
	uint32_t *cats;		/* distinct category ids, first seen first */
	size_t ncats;
};

struct scan {
	struct ids words;	/* categories and sites */
	struct ids cells;	/* rollup cells: struct cell's bytes */
	struct ids ips;
	struct sum *cell;
	struct source *src;
	size_t cell_cap, src_cap;
	uint32_t dash, empty;	/* ids of "-" and "": NULL category / site */
	int64_t from;
	long long *tamper_ids;	/* tamper alerts not already signs by rule, sorted later */
	unsigned char *put_right;	/* per tamper_ids: a done restore/quarantine names it */
	size_t ntamper, tamper_cap;
	struct report_facts *f;
};

struct cell {
	int64_t h;
	uint32_t cat, site;
};

static bool
is_text(const struct store_val *v, const char *s)
{
	return v->type == STORE_TEXT && strcmp(v->s, s) == 0;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return VG_OK;
	while (c < need)
		c *= 2;
	if (!(np = realloc(*p, c * size)))
		return VG_ERR_NOMEM;
	memset((char *)np + *cap * size, 0, (c - *cap) * size);
	*p = np;
	*cap = c;
	return VG_OK;
}

static int
add_cat(struct source *s, uint32_t cat)
{
	uint32_t *n;

	for (size_t i = 0; i < s->ncats; i++)
		if (s->cats[i] == cat)
			return VG_OK;
	if (!(n = realloc(s->cats, (s->ncats + 1) * sizeof(*n))))
		return VG_ERR_NOMEM;
	s->cats = n;
	s->cats[s->ncats++] = cat;
	return VG_OK;
}

/* Columns as in SQL_A_SCAN: id, first_seen, category, source_ip, sensor, rule_id,
 * severity, count. */
static int
scan_row(void *ctx, const struct store_val *c, const size_t *len, size_t n)
{
	struct scan *sc = ctx;
	struct report_facts *f = sc->f;
	struct cell k = { 0 };
	uint32_t cat = 0, id;
	bool added, has_cat = c[2].type == STORE_TEXT, tamper;
	long long count;
	int64_t first;
	int r;

	if (n != 8)
		return VG_ERR_INVAL;
	count = c[7].type == STORE_INT ? c[7].i : 0;
	first = c[1].i;
	if (f->alerts == 0 || first < f->first)
		f->first = first;
	if (f->alerts == 0 || first > f->last)
		f->last = first;
	f->alerts++;
	f->events += count;

	if (has_cat && (r = ids_get(&sc->words, c[2].s, len[2], &cat, &added)) != VG_OK)
		return r;
	k.h = (first - sc->from) / 3600000000LL;
	k.cat = has_cat ? cat : sc->dash;
	if (c[4].type == STORE_TEXT) {
		if ((r = ids_get(&sc->words, c[4].s, len[4], &k.site, &added)) != VG_OK)
			return r;
	} else {
		k.site = sc->empty;
	}
	if ((r = ids_get(&sc->cells, &k, sizeof(k), &id, &added)) != VG_OK ||
	    (r = grow((void **)&sc->cell, &sc->cell_cap, id + 1, sizeof(*sc->cell))) != VG_OK)
		return r;
	sc->cell[id].alerts++;
	sc->cell[id].events += count;

	tamper = is_text(&c[2], "defacement") || is_text(&c[2], "tamper") ||
	    is_text(&c[2], "webshell");
	if (tamper)
		f->tamper_alerts++;
	if (is_text(&c[5], "auth.success_after_failures") || is_text(&c[5], "webshell.accessed")) {
		f->intrusion++;
	} else if (tamper) {
		if ((r = grow((void **)&sc->tamper_ids, &sc->tamper_cap, sc->ntamper + 1,
		    sizeof(*sc->tamper_ids))) != VG_OK)
			return r;
		sc->tamper_ids[sc->ntamper++] = c[0].i;
	}

	if (c[3].type != STORE_TEXT || len[3] == 0)
		return VG_OK;
	if ((r = ids_get(&sc->ips, c[3].s, len[3], &id, &added)) != VG_OK ||
	    (r = grow((void **)&sc->src, &sc->src_cap, id + 1, sizeof(*sc->src))) != VG_OK)
		return r;
	struct source *s = &sc->src[id];
	if (added || (c[6].type == STORE_INT && c[6].i > s->severity))
		s->severity = c[6].type == STORE_INT ? c[6].i : 0;
	s->s.alerts++;
	s->s.events += count;
	if (has_cat && len[2] == 3 && memcmp(c[2].s, "ioc", 3) == 0)
		s->ioc = true;
	return has_cat ? add_cat(s, cat) : VG_OK;
}

/* A store text as a JSON string the way store_query gives it (up to a NUL; a
 * placeholder for bytes that are not UTF-8). */
static json_t *
jtext(const char *s)
{
	json_t *v = json_string(s);
	return v ? v : json_string("(invalid UTF-8)");
}

static int
cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* Tamper alerts that no done restore or quarantine put right are signs too. */
static int
add_id(void *ctx, const struct store_val *c, const size_t *len, size_t n)
{
	struct scan *sc = ctx;
	long long *hit;

	(void)len;
	if (n != 1 || c[0].type != STORE_INT)
		return VG_OK;
	hit = bsearch(&c[0].i, sc->tamper_ids, sc->ntamper, sizeof(*hit), cmp_id);
	while (hit && hit > sc->tamper_ids && hit[-1] == c[0].i)
		hit--;
	for (; hit && hit < sc->tamper_ids + sc->ntamper && *hit == c[0].i; hit++)
		sc->put_right[hit - sc->tamper_ids] = 1;
	return VG_OK;
}

static int
unrestored(struct rw *w, struct scan *sc)
{
	size_t i;
	int r;

	if (sc->ntamper == 0)
		return VG_OK;
	qsort(sc->tamper_ids, sc->ntamper, sizeof(*sc->tamper_ids), cmp_id);
	if (!(sc->put_right = calloc(sc->ntamper, 1)))
		return VG_ERR_NOMEM;
	if ((r = store_query_each(w->st, SQL_A_RESPONDED, NULL, 0, add_id, sc)) != VG_OK)
		return r;
	for (i = 0; i < sc->ntamper; i++)
		sc->f->intrusion += !sc->put_right[i];
	return VG_OK;
}

/* Most events first, then the address's bytes (SQLite's BINARY order). */
static bool
before(const struct scan *sc, uint32_t a, uint32_t b)
{
	const struct ids *t = &sc->ips;
	size_t n;
	int c;

	if (sc->src[a].s.events != sc->src[b].s.events)
		return sc->src[a].s.events > sc->src[b].s.events;
	n = t->len[a] < t->len[b] ? t->len[a] : t->len[b];
	c = memcmp(t->key[a], t->key[b], n);
	return c < 0 || (c == 0 && t->len[a] < t->len[b]);
}

static json_t *
categories(const struct scan *sc, const struct source *s)
{
	size_t n = 0, at = 0;
	char *buf;
	json_t *v;

	for (size_t i = 0; i < s->ncats; i++)
		for (size_t j = 0; j < sc->words.len[s->cats[i]]; j++)
			n += sc->words.key[s->cats[i]][j] == ',' ? 3 : 1;
	if (!(buf = malloc(n + 2 * s->ncats + 1)))
		return NULL;
	/* group_concat's "," then replace(..., ',', ', '), commas in a name too. */
	for (size_t i = 0; i < s->ncats; i++) {
		const char *k = sc->words.key[s->cats[i]];
		if (i) {
			buf[at++] = ',';
			buf[at++] = ' ';
		}
		for (size_t j = 0; j < sc->words.len[s->cats[i]]; j++) {
			buf[at++] = k[j];
			if (k[j] == ',')
				buf[at++] = ' ';
		}
	}
	buf[at] = '\0';
	v = jtext(buf);
	free(buf);
	return v;
}

static int
top_sources(struct scan *sc, json_t *out)
{
	uint32_t top[FACTS_TOP_SOURCES];
	size_t ntop = 0, i, j;

	for (i = 0; i < sc->ips.n; i++) {
		uint32_t id = (uint32_t)i;
		if (ntop == FACTS_TOP_SOURCES && !before(sc, id, top[ntop - 1]))
			continue;
		if (ntop < FACTS_TOP_SOURCES)
			ntop++;
		for (j = ntop - 1; j > 0 && before(sc, id, top[j - 1]); j--)
			top[j] = top[j - 1];
		top[j] = id;
	}
	for (i = 0; i < ntop; i++) {
		const struct source *s = &sc->src[top[i]];
		json_t *row = json_pack("{s:o, s:I, s:I, s:I, s:I, s:I}",
		    "source_ip", jtext(sc->ips.key[top[i]]), "alerts", (json_int_t)s->s.alerts,
		    "events", (json_int_t)s->s.events, "ioc", (json_int_t)s->ioc,
		    "severity", (json_int_t)s->severity, "n_sources", (json_int_t)sc->ips.n);
		if (!row || json_array_append_new(out, row) != 0)
			return VG_ERR_NOMEM;
		if (s->ncats && json_object_set_new(row, "categories", categories(sc, s)) != 0)
			return VG_ERR_NOMEM;
	}
	return VG_OK;
}

static int
rollup(struct scan *sc, json_t *out)
{
	for (size_t i = 0; i < sc->cells.n; i++) {
		struct cell k;
		memcpy(&k, sc->cells.key[i], sizeof(k));
		json_t *row = json_pack("{s:I, s:o, s:o, s:I, s:I}", "h", (json_int_t)k.h,
		    "category", jtext(sc->words.key[k.cat]), "sensor", jtext(sc->words.key[k.site]),
		    "alerts", (json_int_t)sc->cell[i].alerts, "events", (json_int_t)sc->cell[i].events);
		if (!row || json_array_append_new(out, row) != 0)
			return VG_ERR_NOMEM;
	}
	return VG_OK;
}

int
report_scan_alerts(struct rw *w, struct report_facts *f, bool from_tmp)
{
	const struct store_val v[] = { SV_INT(w->o->from_us), SV_INT(w->o->to_us) };
	struct scan sc = { .f = f, .from = w->o->from_us };
	bool added;
	int r;

	if (w->err)
		return w->err;
	f->rollup = json_array();
	f->top_sources = json_array();
	if (!f->rollup || !f->top_sources) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	if ((r = ids_get(&sc.words, "-", 1, &sc.dash, &added)) != VG_OK ||
	    (r = ids_get(&sc.words, "", 0, &sc.empty, &added)) != VG_OK)
		goto out;
	if ((r = store_query_each(w->st, from_tmp ? SQL_A_SCAN_TMP : SQL_A_SCAN, v, 2, scan_row,
	    &sc)) != VG_OK || (r = unrestored(w, &sc)) != VG_OK ||
	    (r = rollup(&sc, f->rollup)) != VG_OK || (r = top_sources(&sc, f->top_sources)) != VG_OK)
		goto out;
	f->sources = (long long)sc.ips.n;
out:
	for (size_t i = 0; i < sc.ips.n; i++)
		free(sc.src[i].cats);
	free(sc.src);
	free(sc.cell);
	free(sc.tamper_ids);
	free(sc.put_right);
	ids_free(&sc.words);
	ids_free(&sc.cells);
	ids_free(&sc.ips);
	if (r != VG_OK)
		w->err = r;
	return r;
}
