/* Fixed-size object pool: objects come from chunks allocated a few at a time and go
 * back on a free list, so a hot path that opens and closes state per event (the
 * correlator's sources and aggregates) reaches a steady state with no malloc at all. */
#ifndef VG_POOL_H
#define VG_POOL_H

#include <stddef.h>
#include <stdint.h>

struct vg_pool_chunk;

struct vg_pool {
	size_t size;		/* object size, rounded up for alignment */
	size_t per_chunk;	/* objects per chunk */
	void *free;		/* free list, threaded through the objects themselves */
	struct vg_pool_chunk *chunks;
	uint64_t chunks_allocated;	/* mallocs made, for tests and stats */
};

/* Prepares an empty pool of size-byte objects, per_chunk of them per malloc (0 = a
 * chunk of about 16 KiB). Allocates nothing yet. */
void vg_pool_init(struct vg_pool *p, size_t size, size_t per_chunk);
/* A zeroed object, or NULL when out of memory. Owned by the pool: give it back with
 * vg_pool_put. */
void *vg_pool_get(struct vg_pool *p);
/* Returns obj (from vg_pool_get of this pool; NULL is ignored) to the free list. */
void vg_pool_put(struct vg_pool *p, void *obj);
/* Frees every chunk (objects still out become invalid); p may then be init'ed again. */
void vg_pool_destroy(struct vg_pool *p);

#endif
