/* Object pool (pool.h). Chunks are never returned before vg_pool_destroy: the pools
 * serve structures whose count has a hard cap elsewhere, so the peak is bounded. */
#include "core/pool.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

/* Under ASan an object on the free list is poisoned (all but its link), so a use
 * after vg_pool_put is still caught as it would be after free(). */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct vg_pool_chunk {
	struct vg_pool_chunk *next;
	alignas(max_align_t) unsigned char objs[];
};

void
vg_pool_init(struct vg_pool *p, size_t size, size_t per_chunk)
{
	const size_t align = alignof(max_align_t);

	memset(p, 0, sizeof(*p));
	if (size < sizeof(void *))
		size = sizeof(void *);
	p->size = (size + align - 1) / align * align;
	p->per_chunk = per_chunk ? per_chunk : (16384 / p->size ? 16384 / p->size : 1);
}

void *
vg_pool_get(struct vg_pool *p)
{
	void *obj;

	if (!p->free) {
		struct vg_pool_chunk *c;
		if (p->per_chunk > (SIZE_MAX - sizeof(*c)) / p->size)
			return NULL;
		c = malloc(sizeof(*c) + p->per_chunk * p->size);
		if (!c)
			return NULL;
		c->next = p->chunks;
		p->chunks = c;
		p->chunks_allocated++;
		/* thread the new objects onto the free list, first one on top */
		for (size_t i = p->per_chunk; i-- > 0;) {
			unsigned char *o = c->objs + i * p->size;
			memcpy(o, &p->free, sizeof(void *));
			POISON(o + sizeof(void *), p->size - sizeof(void *));
			p->free = o;
		}
	}
	obj = p->free;
	UNPOISON(obj, p->size);
	memcpy(&p->free, obj, sizeof(void *));
	memset(obj, 0, p->size);
	return obj;
}

void
vg_pool_put(struct vg_pool *p, void *obj)
{
	if (!obj)
		return;
	memcpy(obj, &p->free, sizeof(void *));
	POISON((unsigned char *)obj + sizeof(void *), p->size - sizeof(void *));
	p->free = obj;
}

void
vg_pool_destroy(struct vg_pool *p)
{
	while (p->chunks) {
		struct vg_pool_chunk *c = p->chunks;
		p->chunks = c->next;
		UNPOISON(c->objs, p->per_chunk * p->size);
		free(c);
	}
	p->free = NULL;
}
