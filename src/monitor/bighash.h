/* Hashing of big files off the event loop: one worker thread takes paths from a
 * bounded queue, hashes them and posts the results back through an eventfd that the
 * loop polls (the web-root source's second descriptor), so a 2 GB file dropped in a
 * web root never delays the restore of a page. */
#ifndef VG_BIGHASH_H
#define VG_BIGHASH_H

#include "backup/objstore.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

struct bighash_result {
	int root;
	const char *rel;	/* path in the root, or NULL (a copy moved aside was hashed) */
	const char *path;	/* what was hashed (absolute) */
	bool recheck;		/* the submitter wants rel checked again with this hash */
	struct stat st;		/* the file as it was opened */
	char sha256[OBJ_HEX_SIZE];
	int err;		/* VG_ERR_* or 0 */
	int64_t ms;		/* time spent hashing */
};

struct bighash_stats {
	uint64_t submitted, hashed, dropped;
};

struct bighash;

/* Starts the worker; max_queue bounds the paths waiting (0 = 256). 0 or VG_ERR_*. */
int bighash_new(size_t max_queue, struct bighash **out);
/* Stops the worker (the file being hashed is finished first) and frees. Accepts NULL. */
void bighash_free(struct bighash *h);
/* Readable when results are waiting. */
int bighash_fd(const struct bighash *h);
/* Queues path (absolute) for hashing; rel (may be NULL) and recheck come back with
 * the result. A path already waiting is not queued twice. VG_ERR_LIMIT (counted in
 * dropped) when the queue is full, VG_ERR_NOMEM. */
int bighash_submit(struct bighash *h, int root, const char *rel, const char *path, bool recheck);
/* Calls fn for every result posted so far (borrowed for the call). */
void bighash_drain(struct bighash *h, void (*fn)(void *arg, const struct bighash_result *r),
    void *arg);
void bighash_get_stats(const struct bighash *h, struct bighash_stats *out);

#endif
