/* The per-file arena of the webshell analysers and the decoders that unfold static
 * encoding layers (base64, hex, rot13, reversal, URL encoding, deflate/zlib/gzip) while
 * folding constants. Every output is bounded by WS_MAX_STR and the arena cap. */
#include "monitor/ws_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct ws_chunk {
	struct ws_chunk *next;
	size_t size, used;
	max_align_t data[];
};

#define CHUNK_MIN (64u * 1024)

void *
ws_alloc(struct ws_arena *a, size_t n)
{
	struct ws_chunk *c = a->head;

	n = (n + 15) & ~(size_t)15;
	if (n > WS_MAX_ARENA || a->used + n > WS_MAX_ARENA)
		return NULL;
	if (!c || c->size - c->used < n) {
		size_t sz = n > CHUNK_MIN ? n : CHUNK_MIN;
		if (!(c = malloc(sizeof(*c) + sz)))
			return NULL;
		c->size = sz;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	a->used += n;
	return p;
}

char *
ws_dup(struct ws_arena *a, const char *s, size_t n)
{
	char *d = ws_alloc(a, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void
ws_arena_free(struct ws_arena *a)
{
	while (a->head) {
		struct ws_chunk *c = a->head;
		a->head = c->next;
		free(c);
	}
	a->used = 0;
}

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Lenient like PHP's base64_decode: whitespace skipped, stops at '='. */
char *
ws_b64(struct ws_arena *a, const char *s, size_t n, size_t *out_n)
{
	char *d = ws_alloc(a, n * 3 / 4 + 4);
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0, good = 0;

	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '=')
			break;
		int v = b64val(c);
		if (v < 0) {
			if (isspace(c))
				continue;
			return NULL;
		}
		good++;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			d[o++] = (char)(acc >> bits);
		}
	}
	if (good < 4)
		return NULL;
	d[o] = '\0';
	*out_n = o;
	return d;
}

char *
ws_hex(struct ws_arena *a, const char *s, size_t n, size_t *out_n)
{
	char *d;
	size_t o = 0;

	if (n < 2 || n % 2)
		return NULL;
	if (!(d = ws_alloc(a, n / 2 + 1)))
		return NULL;
	for (size_t i = 0; i + 1 < n; i += 2) {
		char hx[3] = { s[i], s[i + 1], 0 };
		if (!isxdigit((unsigned char)hx[0]) || !isxdigit((unsigned char)hx[1]))
			return NULL;
		d[o++] = (char)strtol(hx, NULL, 16);
	}
	d[o] = '\0';
	*out_n = o;
	return d;
}

char *
ws_rot13(struct ws_arena *a, const char *s, size_t n, size_t *out_n)
{
	char *d = ws_alloc(a, n + 1);
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'm') || (c >= 'A' && c <= 'M'))
			c = (char)(c + 13);
		else if ((c >= 'n' && c <= 'z') || (c >= 'N' && c <= 'Z'))
			c = (char)(c - 13);
		d[i] = c;
	}
	d[n] = '\0';
	*out_n = n;
	return d;
}

char *
ws_rev(struct ws_arena *a, const char *s, size_t n, size_t *out_n)
{
	char *d = ws_alloc(a, n + 1);
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++)
		d[i] = s[n - 1 - i];
	d[n] = '\0';
	*out_n = n;
	return d;
}

char *
ws_urldec(struct ws_arena *a, const char *s, size_t n, size_t *out_n)
{
	char *d = ws_alloc(a, n + 1);
	size_t o = 0;

	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hx[3] = { s[i + 1], s[i + 2], 0 };
			d[o++] = (char)strtol(hx, NULL, 16);
			i += 2;
		} else {
			d[o++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	d[o] = '\0';
	*out_n = o;
	return d;
}

char *
ws_inflate(struct ws_arena *a, const char *s, size_t n, int mode, size_t *out_n)
{
	z_stream z;
	size_t cap = n * 4 + 4096;
	char *d;

	if (cap > WS_MAX_STR)
		cap = WS_MAX_STR;
	if (!(d = ws_alloc(a, cap + 1)))
		return NULL;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, mode == 0 ? -15 : mode == 1 ? 15 : 31) != Z_OK)
		return NULL;
	z.next_in = (Bytef *)(uintptr_t)s;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)d;
	z.avail_out = (uInt)cap;
	int r = inflate(&z, Z_FINISH);
	size_t got = cap - z.avail_out;
	inflateEnd(&z);
	/* a bomb stops at the cap with what was decoded so far */
	if (r != Z_STREAM_END && !(r == Z_BUF_ERROR && got == cap))
		return NULL;
	d[got] = '\0';
	*out_n = got;
	return d;
}
