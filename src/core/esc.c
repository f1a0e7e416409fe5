/* Terminal-safe text. The scanner walks UTF-8 one character at a time and decides
 * per character whether it is printed as is or as \xNN for each of its bytes, so the
 * escaped form can be cut at a character boundary by every writer below. */
#include "core/esc.h"
#include "core/buf.h"
#include "core/err.h"

#include <string.h>

/* Length of the character at s (1..4), and whether it must be escaped. */
static size_t
next_char(const unsigned char *s, size_t len, int *escape)
{
	unsigned c = s[0];
	size_t n;
	unsigned cp;

	*escape = 1;
	if (c < 0x80) {
		*escape = c < 0x20 || c == 0x7f || c == '\\';
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 1;	/* continuation byte, overlong lead or > U+10FFFF */
	}
	if (n > len)
		return 1;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 1;	/* overlong or surrogate: invalid, escape byte by byte */
	/* C1 controls (a terminal may act on U+009B as CSI), line and paragraph
	 * separators, and bidi overrides that reorder what a reader sees. */
	*escape = (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
	return n;
}

/* Escaped form of one character into out (room for 16); returns its length. */
static size_t
render(const unsigned char *s, size_t n, int escape, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!escape) {
		memcpy(out, s, n);
		return n;
	}
	if (n == 1 && s[0] == '\\') {
		out[0] = '\\';
		out[1] = '\\';
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[s[i] >> 4];
		out[o++] = hex[s[i] & 0xf];
	}
	return o;
}

size_t
vg_esc(char *dst, size_t dst_size, const void *src, size_t len)
{
	const unsigned char *s = src;
	size_t o = 0, i = 0, safe = 0;
	char tmp[16];

	if (dst_size == 0)
		return 0;
	while (i < len) {
		/* Printable ASCII, nearly all of a log line, is copied a run at a time; the
		 * scan stops one past what fits so a long line is not rescanned. */
		size_t room = dst_size - 1 - o, r = 0;
		while (r <= room && i + r < len && s[i + r] >= 0x20 && s[i + r] < 0x7f &&
		    s[i + r] != '\\')
			r++;
		if (r > room)
			r = room;
		if (r) {
			memcpy(dst + o, s + i, r);
			size_t start = o;
			o += r;
			i += r;
			if (dst_size >= 4) {
				size_t last = o < dst_size - 4 ? o : dst_size - 4;
				if (last >= start && last > safe)
					safe = last;
			}
			continue;
		}
		int escape;
		size_t n = next_char(s + i, len - i, &escape);
		size_t m = render(s + i, n, escape, tmp);
		if (o + m + 1 > dst_size) {
			/* Back to the last character that leaves room for the marker. */
			o = safe;
			if (o + 4 <= dst_size) {
				memcpy(dst + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(dst + o, tmp, m);
		o += m;
		i += n;
		if (o + 4 <= dst_size)
			safe = o;
	}
	dst[o] = '\0';
	return o;
}

const char *
vg_esc_s(char *dst, size_t dst_size, const char *s)
{
	if (dst_size > 0)
		vg_esc(dst, dst_size, s ? s : "", s ? strlen(s) : 0);
	return dst;
}

/* Renders src[0..len) character by character into put (a buffer or a stream). */
static int
esc_each(const void *src, size_t len, int (*put)(void *dst, const char *p, size_t n),
    void *dst)
{
	const unsigned char *s = src;
	char tmp[16];

	for (size_t i = 0; i < len;) {
		int escape;
		size_t n = next_char(s + i, len - i, &escape);
		int rc = put(dst, tmp, render(s + i, n, escape, tmp));
		if (rc < 0)
			return rc;
		i += n;
	}
	return VG_OK;
}

static int
put_buf(void *dst, const char *p, size_t n)
{
	return vg_buf_put(dst, p, n);
}

static int
put_file(void *dst, const char *p, size_t n)
{
	return fwrite(p, 1, n, dst) == n ? VG_OK : VG_ERR_IO;
}

int
vg_esc_buf(struct vg_buf *b, const void *src, size_t len)
{
	return esc_each(src, len, put_buf, b);
}

int
vg_esc_fwrite(FILE *f, const void *src, size_t len)
{
	int rc = esc_each(src, len, put_file, f);
	return rc == VG_OK && ferror(f) ? VG_ERR_IO : rc;
}

int
vg_esc_fwrite_lines(FILE *f, const void *src, size_t len)
{
	const char *s = src;

	while (len > 0) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) : len;
		if (vg_esc_fwrite(f, s, n) != VG_OK || (nl && fputc('\n', f) == EOF))
			return VG_ERR_IO;
		n += nl ? 1 : 0;
		s += n;
		len -= n;
	}
	return ferror(f) ? VG_ERR_IO : VG_OK;
}

int
vg_esc_clean(const void *src, size_t len)
{
	const unsigned char *s = src;

	for (size_t i = 0; i < len;) {
		int escape;
		i += next_char(s + i, len - i, &escape);
		if (escape)
			return 0;
	}
	return 1;
}
