/* Line diff (Myers O(ND), on the part between the common prefix and suffix) with
 * unified output, for showing what changed in a tampered or published text file.
 * Bounded: inputs above DIFF_MAX_LINES or edit distances above DIFF_MAX_D fall back
 * to "everything in the middle was replaced", which is still a correct diff. */
#ifndef VG_DIFF_H
#define VG_DIFF_H

#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>

#define DIFF_MAX_LINES 200000
#define DIFF_MAX_D 1000

struct diff;

/* Diffs a (old) against b (new). *out is freed with diff_free; it borrows a and b,
 * which must outlive it. 0, VG_ERR_NOMEM, or VG_ERR_LIMIT (too many lines). */
int diff_lines(const char *a, size_t alen, const char *b, size_t blen, struct diff **out);
void diff_free(struct diff *d);

/* Lines added and deleted. */
size_t diff_added(const struct diff *d);
size_t diff_deleted(const struct diff *d);

/* Appends a unified diff (context lines of context) with ---/+++ headers named
 * a_name / b_name. VG_ERR_LIMIT if out filled up (what fit is kept). */
int diff_unified(const struct diff *d, const char *a_name, const char *b_name, int context,
    struct vg_buf *out);

/* Appends the added lines (one per line) to out: the text a tamper check reads. */
int diff_added_text(const struct diff *d, struct vg_buf *out);

/* True if data looks like text: no NUL byte in the first 8 KiB. */
bool diff_is_text(const char *data, size_t len);

#endif
