/* Field normalisation: every step works in place on the output buffer, because
 * each decoding only ever shrinks the text; that keeps it malloc-free and O(n) per round. */
#include "monitor/normalize.h"
#include "core/err.h"

#include <stdbool.h>
#include <string.h>

/* SSE2 (every x86-64) takes the common bytes 16 at a time; the byte loops stay the
 * reference and do the rest (tests/monitor/test_normalize.c checks they agree). */
#if defined(__SSE2__) && !defined(NORMALIZE_SCALAR)
#include <emmintrin.h>
#define NORMALIZE_SIMD 1
#endif

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* UTF-8 for code point cp (not a surrogate, <= 0x10FFFF); returns bytes written. */
static size_t
put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static bool
codepoint_ok(unsigned long cp)
{
	return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

/* Leading bytes of s[0..n) that url_decode copies as they are: none of '%', '\\',
 * '+' or '?'. */
static size_t
plain_run(const char *s, size_t n)
{
	size_t i = 0;
#ifdef NORMALIZE_SIMD
	for (; n - i >= 16; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('%')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
		    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('+')), _mm_cmpeq_epi8(x, _mm_set1_epi8('?')))));
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < n && s[i] != '%' && s[i] != '\\' && s[i] != '+' && s[i] != '?')
		i++;
	return i;
}

/* One round of URL-decoding in place; returns the new length. Also decodes the
 * "\xHH" escapes nginx writes into its logs for '"', '\\' and control bytes, so a
 * logged 1\x22 or \x22a\x22=\x22a reads as the quote the attacker sent. */
static size_t
url_decode(char *s, size_t n, bool *changed)
{
	size_t w = 0;
	bool query = false;

	for (size_t i = 0; i < n;) {
		size_t run = plain_run(s + i, n - i);
		if (run) {
			if (w != i)
				memmove(s + w, s + i, run);
			w += run;
			i += run;
			if (i == n)
				break;
		}
		unsigned char c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			int v = hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]);
			if (v != 0)
				s[w++] = (char)v;
			i += 3;
			*changed = true;
			continue;
		}
		if (c == '%' && i + 5 < n && (s[i + 1] == 'u' || s[i + 1] == 'U')) {
			unsigned long cp = 0;
			int k;
			for (k = 2; k < 6; k++) {
				int h = hexval((unsigned char)s[i + k]);
				if (h < 0)
					break;
				cp = cp * 16 + (unsigned long)h;
			}
			if (k == 6 && codepoint_ok(cp)) {
				if (cp != 0)
					w += put_utf8(s + w, cp);
				i += 6;
				*changed = true;
				continue;
			}
		}
		if (c == '\\' && i + 3 < n && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
		    hexval((unsigned char)s[i + 2]) >= 0 && hexval((unsigned char)s[i + 3]) >= 0) {
			int v = hexval((unsigned char)s[i + 2]) * 16 + hexval((unsigned char)s[i + 3]);
			if (v != 0)
				s[w++] = (char)v;
			i += 4;
			*changed = true;
			continue;
		}
		if (c == '?')
			query = true;
		if (c == '+' && query) {
			s[w++] = ' ';
			i++;
			*changed = true;
			continue;
		}
		s[w++] = (char)c;
		i++;
	}
	return w;
}

/* Named entities browsers accept, including the ones XSS payloads use to hide
 * "javascript:" and parentheses. */
static const struct {
	const char *name;
	char c;
} entities[] = {
	{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' }, { "apos", '\'' },
	{ "nbsp", ' ' }, { "colon", ':' }, { "lpar", '(' }, { "rpar", ')' }, { "sol", '/' },
	{ "bsol", '\\' }, { "tab", '\t' }, { "newline", '\n' }, { "semi", ';' },
	{ "equals", '=' }, { "excl", '!' }, { "num", '#' }, { "period", '.' }, { "comma", ',' },
	{ "lsqb", '[' }, { "rsqb", ']' }, { "grave", '`' }, { "plus", '+' }, { "percnt", '%' },
	{ "dollar", '$' }, { "lbrace", '{' }, { "rbrace", '}' }, { "lcub", '{' },
	{ "rcub", '}' }, { "vert", '|' }, { "ast", '*' }, { "quest", '?' },
};

/* Decodes the entity starting at s[i] == '&'; returns input bytes used (0 = none). */
static size_t
html_entity(const char *s, size_t i, size_t n, char *o, size_t *olen)
{
	size_t j = i + 1;

	if (j < n && s[j] == '#') {
		unsigned long cp = 0;
		size_t digits = 0;
		bool hex = false;
		j++;
		if (j < n && (s[j] == 'x' || s[j] == 'X')) {
			hex = true;
			j++;
		}
		/* Attackers pad with zeros (&#0000060;); cap digits so cp cannot overflow. */
		while (j < n && digits < 12) {
			int h = hex ? hexval((unsigned char)s[j]) :
			    (s[j] >= '0' && s[j] <= '9' ? s[j] - '0' : -1);
			if (h < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)h;
			if (cp > 0x10FFFF)
				return 0;
			digits++;
			j++;
		}
		if (digits == 0 || !codepoint_ok(cp))
			return 0;
		if (j < n && s[j] == ';')
			j++;
		*olen = cp ? put_utf8(o, cp) : 0;
		return j - i;
	}
	/* '&' mostly separates query parameters: only a short name closed by ';' can be
	 * an entity, so check that before walking the table. */
	{
		size_t k = j;
		while (k < n && k - j < 8 && ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z'))
			k++;
		if (k == j || k >= n || s[k] != ';')
			return 0;
	}
	for (size_t e = 0; e < sizeof(entities) / sizeof(entities[0]); e++) {
		size_t l = strlen(entities[e].name);
		if (j + l < n && strncasecmp(s + j, entities[e].name, l) == 0 && s[j + l] == ';') {
			o[0] = entities[e].c;
			*olen = 1;
			return l + 2;
		}
	}
	return 0;
}

static size_t
html_decode(char *s, size_t n, bool *changed)
{
	size_t w = 0, i = 0;
	char tmp[4];

	while (i < n) {
		/* from '&' to '&': in a query string most are parameter separators */
		const char *amp = memchr(s + i, '&', n - i);
		size_t run = amp ? (size_t)(amp - (s + i)) : n - i;
		if (w != i)
			memmove(s + w, s + i, run);
		w += run;
		i += run;
		if (i == n)
			break;
		size_t olen = 0, used = html_entity(s, i, n, tmp, &olen);
		if (used) {
			/* olen <= used always holds, so writing at w <= i is safe. */
			memcpy(s + w, tmp, olen);
			w += olen;
			i += used;
			*changed = true;
			continue;
		}
		s[w++] = s[i++];
	}
	return w;
}

/* Bytes canon() has to look at; all others are copied unchanged. Also marks the
 * bytes that mean the text may be encoded. */
enum { K_COPY = 0, K_SPACE = 1, K_UPPER = 2, K_SLASH = 3, K_STAR = 4, K_NUL = 5, K_ENC = 6 };
static const unsigned char kind[256] = {
	[' '] = K_SPACE, ['\t'] = K_SPACE, ['\n'] = K_SPACE, ['\r'] = K_SPACE, ['\v'] = K_SPACE,
	['\f'] = K_SPACE, ['A' ... 'Z'] = K_UPPER, ['/'] = K_SLASH, ['*'] = K_STAR,
	['\0'] = K_NUL, ['%'] = K_ENC, ['&'] = K_ENC, ['+'] = K_ENC, ['\\'] = K_ENC,
};


#ifdef NORMALIZE_SIMD

/* canon()'s common case 16 bytes at a time: returns how many leading bytes of in[0..16)
 * need no more than lower-casing (no control byte, no second space of a run, no
 * comment opener or closer; a '/' or '*' in the last lane is left to the byte loop,
 * which can see the next byte), and stores all 16 lower-cased at out. Sets *encoded
 * if one of those bytes is '%', '&', '+' or '\\'. The caller keeps the space state:
 * in[0] must not be a space that follows one. */
static size_t
canon16(const char *in, char *out, bool *encoded)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)in);
	__m128i sp = _mm_cmpeq_epi8(x, _mm_set1_epi8(' '));
	__m128i sl = _mm_cmpeq_epi8(x, _mm_set1_epi8('/'));
	__m128i st = _mm_cmpeq_epi8(x, _mm_set1_epi8('*'));
	__m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
	__m128i sp2 = _mm_and_si128(sp, _mm_slli_si128(sp, 1));
	__m128i cm = _mm_or_si128(_mm_and_si128(sl, _mm_srli_si128(st, 1)),
	    _mm_and_si128(st, _mm_srli_si128(sl, 1)));
	__m128i enc = _mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('%')), _mm_cmpeq_epi8(x, _mm_set1_epi8('&'))),
	    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('+')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
	unsigned special = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ctl, sp2), cm)) |
	    ((unsigned)_mm_movemask_epi8(_mm_or_si128(sl, st)) & 0x8000u);
	size_t k = special ? (size_t)__builtin_ctz(special) : 16;

	if ((unsigned)_mm_movemask_epi8(enc) & ((1u << k) - 1))
		*encoded = true;
	/* 'A'..'Z' moved to the bottom of the signed range, then + 0x20 where below it */
	__m128i t = _mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - 'A')));
	__m128i up = _mm_cmplt_epi8(t, _mm_set1_epi8((char)(-128 + 26)));
	_mm_storeu_si128((__m128i *)(void *)out, _mm_add_epi8(x, _mm_and_si128(up, _mm_set1_epi8(0x20))));
	return k;
}
#endif

/* Lower-case, SQL comments to spaces, whitespace runs to one space, NULs dropped;
 * reads in[0..n) and writes out (which may be in: it never writes ahead of what
 * it has read). Sets *encoded if a '%', '&', '+' or '\\' was seen. */
static size_t
canon(const char *in, size_t n, char *out, bool *encoded)
{
	size_t w = 0;
	bool space = false, unterminated = false;

	for (size_t i = 0; i < n;) {
		unsigned char c;
		bool one = false;	/* the byte loop takes one byte, then canon16 again */
#ifdef NORMALIZE_SIMD
		if (!(space && in[i] == ' ')) {
			size_t m = n - i < 16 ? n - i : 16, k;
			/* canon16 stores 16 bytes: in place, only where that overwrites nothing
			 * unread (w == i rewrites the same bytes, lower-cased). Otherwise, and
			 * for the last few bytes, it works on a copy padded with a plain byte. */
			if (m == 16 && (out != in || w == i || i - w >= 16)) {
				k = canon16(in + i, out + w, encoded);
			} else {
				char a[16], b[16];
				memset(a, 'x', sizeof(a));
				memcpy(a, in + i, m);
				k = canon16(a, b, encoded);
				if (k > m)
					k = m;
				memcpy(out + w, b, k);
			}
			i += k;
			w += k;
			if (k)
				space = in[i - 1] == ' ';
			if (k == m)
				continue;
			one = true;	/* in[i] exists: k < m */
		}
#endif
		/* Runs of ordinary bytes are the bulk of any field: keep them out of the switch. */
		if (kind[(unsigned char)in[i]] <= K_UPPER && kind[(unsigned char)in[i]] != K_SPACE) {
			do {
				c = (unsigned char)in[i++];
				out[w++] = (char)(c + ((unsigned)(c - 'A') < 26u ? 32 : 0));
			} while (!one && i < n && (kind[(unsigned char)in[i]] | K_UPPER) == K_UPPER);
			space = false;
			continue;
		}
		c = (unsigned char)in[i];
		switch (kind[c]) {
		case K_COPY:
			break;
		case K_ENC:
			*encoded = true;
			break;
		case K_UPPER:
			c = (unsigned char)(c + 32);
			break;
		case K_NUL:
			i++;
			continue;
		case K_SLASH:
			if (i + 1 < n && in[i + 1] == '*') {
				if (i + 2 < n && in[i + 2] == '!') {
					/* MySQL executes versioned comments: drop the marker, keep the body. */
					i += 3;
					while (i < n && in[i] >= '0' && in[i] <= '9')
						i++;
				} else {
					const char *end = NULL;
					/* Once a search failed, later ones would too: without this,
					 * many unterminated comment openers would cost O(n^2). */
					for (size_t k = i + 2; !unterminated && k + 1 < n; k++) {
						if (in[k] == '*' && in[k + 1] == '/') {
							end = in + k;
							break;
						}
					}
					if (!end)
						unterminated = true;
					i = end ? (size_t)(end - in) + 2 : i + 2;
				}
				c = ' ';
				goto space;
			}
			break;
		case K_STAR:
			if (i + 1 < n && in[i + 1] == '/') {
				i += 2;
				c = ' ';
				goto space;
			}
			break;
		case K_SPACE:
			i++;
			goto space;
		}
		space = false;
		out[w++] = (char)c;
		i++;
		continue;
space:
		if (!space)
			out[w++] = ' ';
		space = true;
	}
	return w;
}

/* Index of the first '?' or '#' in s[0..n) (n if none). Sets *work if a byte before
 * it needs collapse_path: a '\\', or a '/' followed by '/' or '.'. */
static size_t
path_end(const char *s, size_t n, bool *work)
{
	size_t p = 0;
#ifdef NORMALIZE_SIMD
	/* y holds the byte after each lane of x: s[p + 16] must exist */
	for (; n - p >= 17; p += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + p + 1));
		unsigned stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('?')), _mm_cmpeq_epi8(x, _mm_set1_epi8('#'))));
		unsigned hit = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')),
		    _mm_and_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('/')),
			_mm_or_si128(_mm_cmpeq_epi8(y, _mm_set1_epi8('/')),
			    _mm_cmpeq_epi8(y, _mm_set1_epi8('.'))))));
		if (stop) {
			unsigned k = (unsigned)__builtin_ctz(stop);
			if (hit & ((1u << k) - 1))
				*work = true;
			return p + k;
		}
		if (hit)
			*work = true;
	}
#endif
	for (; p < n && s[p] != '?' && s[p] != '#'; p++)
		if (s[p] == '\\' || (s[p] == '/' && p + 1 < n && (s[p + 1] == '/' || s[p + 1] == '.')))
			*work = true;
	return p;
}

/* Resolves the path part of an origin-form URL in place; see the header. */
static size_t
collapse_path(char *s, size_t n)
{
	size_t w = 1, floor = 1, i = 1;
	bool work = false;
	size_t p = path_end(s, n, &work);

	if (!work)
		return n;	/* the common case: nothing to resolve */
	while (i < p) {
		size_t start, len;
		bool trailing;
		if (s[i] == '/' || s[i] == '\\') {
			i++;
			continue;
		}
		start = i;
		while (i < p && s[i] != '/' && s[i] != '\\')
			i++;
		len = i - start;
		trailing = i < p;
		if (trailing)
			i++;
		if (len == 1 && s[start] == '.')
			continue;
		if (len == 2 && s[start] == '.' && s[start + 1] == '.') {
			if (w > floor) {
				w--;	/* the '/' ending the previous segment */
				while (w > floor && s[w - 1] != '/')
					w--;
			} else {
				s[w++] = '.';
				s[w++] = '.';
				if (trailing)
					s[w++] = '/';
				floor = w;
			}
			continue;
		}
		memmove(s + w, s + start, len);
		w += len;
		if (trailing)
			s[w++] = '/';
	}
	memmove(s + w, s + p, n - p);
	return w + (n - p);
}

int
normalize_field(const char *in, size_t len, char *out, size_t out_size, size_t *out_len)
{
	size_t n = 0;
	int ret = VG_OK;
	bool encoded = false;

	if (!out || out_size == 0 || !out_len || (!in && len))
		return VG_ERR_INVAL;
	*out_len = 0;
	n = len;
	if (n > out_size - 1) {
		n = out_size - 1;
		ret = VG_ERR_LIMIT;
	}
	/* One pass does it for the common field without escapes; decoding, when
	 * needed, is followed by a second canon() for what it revealed. */
	n = canon(in ? in : "", n, out, &encoded);
	for (int round = 0; encoded && round < NORMALIZE_MAX_ROUNDS; round++) {
		bool changed = false;
		n = url_decode(out, n, &changed);
		n = html_decode(out, n, &changed);
		if (!changed)
			break;
		/* decoded text may hold NULs, case, comments and whitespace again */
		bool again = false;
		n = canon(out, n, out, &again);
	}
	if (n > 0 && out[0] == '/')
		n = collapse_path(out, n);
	out[n] = '\0';
	*out_len = n;
	return ret;
}
