/* Bounded byte buffer (after OpenSSH's sshbuf): every byte from outside is held in
 * one of these, and growing past its hard maximum fails with VG_ERR_LIMIT instead
 * of eating memory. Contents are always NUL-terminated for convenience. */
#ifndef VG_BUF_H
#define VG_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct vg_buf;

/* New empty buffer that refuses to hold more than max bytes. Caller frees. */
struct vg_buf *vg_buf_new(size_t max);
/* Accepts NULL. */
void vg_buf_free(struct vg_buf *b);

/* Appends; VG_ERR_LIMIT (buffer unchanged) if it would exceed max. */
int vg_buf_put(struct vg_buf *b, const void *data, size_t len);
int vg_buf_puts(struct vg_buf *b, const char *s);
int vg_buf_putf(struct vg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vg_buf_vputf(struct vg_buf *b, const char *fmt, va_list ap);

/* Drops n bytes from the front (consumed input). */
void vg_buf_consume(struct vg_buf *b, size_t n);
void vg_buf_reset(struct vg_buf *b);

/* Borrowed pointer, valid until the next modifying call. */
const char *vg_buf_ptr(const struct vg_buf *b);
size_t vg_buf_len(const struct vg_buf *b);
size_t vg_buf_max(const struct vg_buf *b);

/* Detaches the contents as a malloc'd NUL-terminated string the caller frees;
 * the buffer is left empty. NULL on allocation failure. */
char *vg_buf_steal(struct vg_buf *b);

/* Bounded copy that always terminates (dst_size > 0); returns VG_ERR_LIMIT if
 * src was cut. The replacement for strcpy/strncpy. */
int vg_strlcpy(char *dst, const char *src, size_t dst_size);

/* Strict decimal parse of a whole string into [min, max]; the replacement for atoi. */
int vg_parse_ll(const char *s, long long min, long long max, long long *out);

/* An age with its unit, "90s", "15m", "2h" or "7d", into µs (*us); a unit is required.
 * 0 or VG_ERR_INVAL. */
int vg_parse_age(const char *s, int64_t *us);

#endif
