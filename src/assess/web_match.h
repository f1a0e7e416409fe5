/* Judging one HTTP response with a template request's matchers and extractors, and
 * the not-found fingerprint that keeps sites answering 200 to every path from
 * producing findings. Pure functions over bytes: no network here, so the unit
 * tests and the fuzzer drive them directly. */
#ifndef VG_WEB_MATCH_H
#define VG_WEB_MATCH_H

#include "assess/web_tmpl.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vg_buf;

/* One response as received (all borrowed). headers is the raw header block of the
 * final response ("Name: value\r\n" lines, status line first). */
struct web_resp {
	long status;
	const char *headers;
	size_t hlen;
	const char *body;
	size_t blen;
	bool truncated;		/* body was cut at the size cap */
};

/* True when r satisfies q's matchers (matchers-condition and/or). When ev is not
 * NULL, a short note of what matched ("status 200; word 'ref: '") is appended. */
bool web_match(const struct web_request *q, const struct web_resp *r, struct vg_buf *ev);

/* Appends "name=value" for every extractor that finds something (escaped, each
 * value cut at 120 bytes) to ev. */
void web_extract(const struct web_request *q, const struct web_resp *r, struct vg_buf *ev);

/* The values of header name in the raw block hdr (case-insensitive name): calls fn
 * for each occurrence with the value trimmed; stops early when fn returns true.
 * Returns true if fn did. */
bool web_header_each(const char *hdr, size_t hlen, const char *name,
    bool (*fn)(void *arg, const char *v, size_t vlen), void *arg);

/* The not-found fingerprint of a response: status, size and a simhash of the
 * normalised body text, with the requested path (and its URL-encoded form) taken
 * out first, since soft-404 pages often repeat it. */
struct web_nf {
	long status;
	size_t size;
	uint64_t simhash;	/* over word 3-shingles of the normalised text */
	uint64_t exact;		/* FNV-1a of the normalised text */
	size_t tokens;		/* words in the normalised text */
};

/* Fingerprints r, the answer to a request for path (may be NULL). */
void web_nf_make(const struct web_resp *r, const char *path, struct web_nf *out);
/* True when a and b look like the same page: same status and same normalised text,
 * or (both long enough for a simhash to mean something) simhashes within 3 bits. */
bool web_nf_similar(const struct web_nf *a, const struct web_nf *b);

#endif
