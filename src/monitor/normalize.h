/* Canonical form of attacker-controlled text (URLs, user agents, bodies) before rule
 * matching, so one pattern sees through encodings, case, comments and path tricks. */
#ifndef VG_NORMALIZE_H
#define VG_NORMALIZE_H

#include <stddef.h>

/* URL/HTML decoding is repeated until nothing changes, at most this many rounds:
 * double and triple encoding are common evasions, deeper nesting is not. */
#define NORMALIZE_MAX_ROUNDS 3

/* Writes the canonical form of in[0..len) into out and its length into *out_len;
 * out is always NUL-terminated (out_size > 0). Steps, in order:
 *  - NUL bytes dropped (also those produced by %00 / &#0;);
 *  - rounds of: URL-decoding (%xx, %uXXXX, nginx's \xHH log escapes, '+' -> space
 *    after the first '?') and
 *    HTML entities (&lt; &#60; &#x3c; and the names used for XSS evasion);
 *  - ASCII lower-cased; SQL comments: "/" "*" ... "*" "/" -> space, MySQL
 *    versioned comment markers dropped but their content kept; whitespace runs -> one space;
 *  - if the text starts with '/', its path part (before '?') has '\' -> '/', "//",
 *    "./" collapsed and "x/../" resolved; a ".." that climbs above the root is kept
 *    as "../" so traversal stays visible to rules.
 * Never writes past out_size: an input that does not fit is cut, the prefix is
 * normalised and VG_ERR_LIMIT is returned (out is still usable). 0 on success,
 * VG_ERR_INVAL for bad arguments. No allocation. */
int normalize_field(const char *in, size_t len, char *out, size_t out_size, size_t *out_len);

#endif
