/* Bounded buffer. Consumed bytes are dropped lazily: the read offset moves and the
 * data is compacted only when space is needed, so line-by-line consumption is O(n). */
#include "core/buf.h"
#include "core/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vg_buf {
	char *data;
	size_t off;	/* start of live data */
	size_t len;	/* live bytes after off */
	size_t cap;	/* allocated bytes, including room for the NUL */
	size_t max;
};

static const char empty_string[1];

struct vg_buf *
vg_buf_new(size_t max)
{
	struct vg_buf *b = calloc(1, sizeof(*b));
	if (b)
		b->max = max;
	return b;
}

void
vg_buf_free(struct vg_buf *b)
{
	if (!b)
		return;
	free(b->data);
	free(b);
}

/* Makes room for extra bytes plus the terminator. */
static int
reserve(struct vg_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return VG_ERR_LIMIT;
	size_t need = b->len + extra + 1;
	if (b->off > 0 && b->off + need > b->cap) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
		b->data[b->len] = '\0';
	}
	if (need <= b->cap)
		return VG_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	char *p = realloc(b->data, cap);
	if (!p)
		return VG_ERR_NOMEM;
	b->data = p;
	b->cap = cap;
	return VG_OK;
}

int
vg_buf_put(struct vg_buf *b, const void *data, size_t len)
{
	int r = reserve(b, len);
	if (r != VG_OK)
		return r;
	if (len)
		memcpy(b->data + b->off + b->len, data, len);
	b->len += len;
	b->data[b->off + b->len] = '\0';
	return VG_OK;
}

int
vg_buf_puts(struct vg_buf *b, const char *s)
{
	return vg_buf_put(b, s, strlen(s));
}

int
vg_buf_vputf(struct vg_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return VG_ERR_INVAL;
	int r = reserve(b, (size_t)n);
	if (r != VG_OK)
		return r;
	vsnprintf(b->data + b->off + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return VG_OK;
}

int
vg_buf_putf(struct vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vg_buf_vputf(b, fmt, ap);
	va_end(ap);
	return r;
}

void
vg_buf_consume(struct vg_buf *b, size_t n)
{
	if (n >= b->len) {
		vg_buf_reset(b);
		return;
	}
	b->off += n;
	b->len -= n;
}

void
vg_buf_reset(struct vg_buf *b)
{
	b->off = 0;
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

const char *
vg_buf_ptr(const struct vg_buf *b)
{
	return b->data ? b->data + b->off : empty_string;
}

size_t
vg_buf_len(const struct vg_buf *b)
{
	return b->len;
}

size_t
vg_buf_max(const struct vg_buf *b)
{
	return b->max;
}

char *
vg_buf_steal(struct vg_buf *b)
{
	char *s;
	if (!b->data)
		return strdup("");
	if (b->off) {
		memmove(b->data, b->data + b->off, b->len);
		b->data[b->len] = '\0';
	}
	s = b->data;
	b->data = NULL;
	b->off = b->len = b->cap = 0;
	return s;
}

int
vg_strlcpy(char *dst, const char *src, size_t dst_size)
{
	size_t n = strlen(src);
	if (n < dst_size) {
		memcpy(dst, src, n + 1);
		return VG_OK;
	}
	memcpy(dst, src, dst_size - 1);
	dst[dst_size - 1] = '\0';
	return VG_ERR_LIMIT;
}

int
vg_parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return VG_ERR_PARSE;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end != '\0')
		return VG_ERR_PARSE;
	if (v < min || v > max)
		return VG_ERR_LIMIT;
	*out = v;
	return VG_OK;
}

int
vg_parse_age(const char *s, int64_t *us)
{
	char *end;
	long long n;
	int64_t unit;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || end == s || n < 0)
		return VG_ERR_INVAL;
	switch (*end) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	default: return VG_ERR_INVAL;
	}
	if (end[1] || n > INT64_MAX / 1000000 / unit)
		return VG_ERR_INVAL;
	*us = (int64_t)n * unit * 1000000;
	return VG_OK;
}
