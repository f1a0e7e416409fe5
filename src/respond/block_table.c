/* Hash table of active blocks (see block_table.h): linear probing with
 * tombstones, FNV-1a over the canonical target, grown at half load. */
#include "respond/block_table.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_CAP 1024

static uint64_t
hash_target(const struct block_target *t)
{
	uint64_t h = 1469598103934665603ULL;
	size_t bytes = t->family == 4 ? 4 : 16;
	h = (h ^ t->family) * 1099511628211ULL;
	h = (h ^ t->prefix) * 1099511628211ULL;
	for (size_t i = 0; i < bytes; i++)
		h = (h ^ t->addr[i]) * 1099511628211ULL;
	return h;
}

static bool
same(const struct block_target *a, const struct block_target *b)
{
	return a->family == b->family && a->prefix == b->prefix && memcmp(a->addr, b->addr, 16) == 0;
}

int
block_table_init(struct block_table *tab)
{
	memset(tab, 0, sizeof(*tab));
	tab->slots = calloc(INITIAL_CAP, sizeof(*tab->slots));
	if (!tab->slots)
		return VG_ERR_NOMEM;
	tab->cap = INITIAL_CAP;
	return VG_OK;
}

void
block_table_free(struct block_table *tab)
{
	free(tab->slots);
	memset(tab, 0, sizeof(*tab));
}

void
block_table_clear(struct block_table *tab)
{
	memset(tab->slots, 0, tab->cap * sizeof(*tab->slots));
	tab->n_live = tab->n_tomb = 0;
	memset(tab->plen, 0, sizeof(tab->plen));
}

static struct block_slot *
find(const struct block_table *tab, const struct block_target *t)
{
	size_t mask = tab->cap - 1;
	for (size_t i = hash_target(t) & mask;; i = (i + 1) & mask) {
		struct block_slot *s = &tab->slots[i];
		if (s->state == BLOCK_SLOT_EMPTY)
			return NULL;
		if (s->state == BLOCK_SLOT_USED && same(&s->t, t))
			return s;
	}
}

static void
insert_new(struct block_table *tab, const struct block_target *t, int64_t expires_us)
{
	size_t mask = tab->cap - 1;
	size_t i = hash_target(t) & mask;
	while (tab->slots[i].state == BLOCK_SLOT_USED)
		i = (i + 1) & mask;
	if (tab->slots[i].state == BLOCK_SLOT_TOMB)
		tab->n_tomb--;
	tab->slots[i] = (struct block_slot){ .t = *t, .state = BLOCK_SLOT_USED,
		.expires_us = expires_us };
	tab->n_live++;
	tab->plen[t->family == 6][t->prefix]++;
}

static int
grow(struct block_table *tab)
{
	struct block_table old = *tab;
	size_t cap = tab->cap;
	/* Rehash in place of tombstones when live entries are few. */
	if (tab->n_live * 4 >= tab->cap)
		cap *= 2;
	struct block_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return VG_ERR_NOMEM;
	tab->slots = slots;
	tab->cap = cap;
	tab->n_live = tab->n_tomb = 0;
	memset(tab->plen, 0, sizeof(tab->plen));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].state == BLOCK_SLOT_USED)
			insert_new(tab, &old.slots[i].t, old.slots[i].expires_us);
	free(old.slots);
	return VG_OK;
}

int
block_table_put(struct block_table *tab, const struct block_target *t, int64_t expires_us)
{
	struct block_slot *s = find(tab, t);
	int r;

	if (s) {
		s->expires_us = expires_us;
		return VG_OK;
	}
	if ((tab->n_live + tab->n_tomb + 1) * 2 > tab->cap && (r = grow(tab)) != VG_OK)
		return r;
	insert_new(tab, t, expires_us);
	return VG_OK;
}

static void
remove_slot(struct block_table *tab, struct block_slot *s)
{
	tab->plen[s->t.family == 6][s->t.prefix]--;
	s->state = BLOCK_SLOT_TOMB;
	tab->n_live--;
	tab->n_tomb++;
}

void
block_table_del(struct block_table *tab, const struct block_target *t)
{
	struct block_slot *s = find(tab, t);
	if (s)
		remove_slot(tab, s);
}

const struct block_slot *
block_table_get(const struct block_table *tab, const struct block_target *t, int64_t now_us)
{
	const struct block_slot *s = find(tab, t);
	return s && s->expires_us > now_us ? s : NULL;
}

const struct block_slot *
block_table_covering(const struct block_table *tab, const struct block_target *t, bool strict,
    int64_t now_us)
{
	const struct block_slot *best = NULL;
	unsigned top = strict ? t->prefix : t->prefix + 1u;
	const uint32_t *plen = tab->plen[t->family == 6];

	for (unsigned p = 1; p < top; p++) {
		if (!plen[p])
			continue;
		struct block_target net = *t;
		net.prefix = (uint8_t)p;
		for (unsigned i = 0; i < 16; i++) {
			unsigned bit = i * 8;
			if (bit >= p)
				net.addr[i] = 0;
			else if (bit + 8 > p)
				net.addr[i] &= (uint8_t)(0xff << (8 - (p - bit)));
		}
		const struct block_slot *s = block_table_get(tab, &net, now_us);
		if (s && (!best || s->expires_us > best->expires_us))
			best = s;
	}
	return best;
}

size_t
block_table_expire(struct block_table *tab, int64_t now_us, size_t *nets)
{
	size_t n = 0;
	*nets = 0;
	for (size_t i = 0; i < tab->cap; i++) {
		struct block_slot *s = &tab->slots[i];
		if (s->state != BLOCK_SLOT_USED || s->expires_us > now_us)
			continue;
		if (!block_target_is_host(&s->t))
			(*nets)++;
		remove_slot(tab, s);
		n++;
	}
	return n;
}
