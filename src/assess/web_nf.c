/* The not-found fingerprint (nuclei's known weakness: sites with custom 404 pages
 * or a catch-all route answer 200 to every probe). The body is normalised before
 * hashing — the requested path cut out, letters lower-cased, digit runs folded to
 * one 0 (timestamps, request ids), punctuation dropped — then hashed exactly and as
 * a simhash over word 3-shingles, so a page differing by a token or two still
 * looks the same. */
#include "assess/web_match.h"

#include <stdlib.h>
#include <string.h>

/* Only the start of a big body is fingerprinted: soft-404 pages are small, and a
 * 1 MiB real file differs from them in its first 64 KiB already. */
#define NF_MAX_BYTES (64 * 1024)

#define FNV_OFF 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* Blanks every occurrence of needle (len >= 4: shorter strings are ordinary text). */
static void
blank(char *s, size_t len, const char *needle, size_t nl)
{
	char *p = s;

	if (nl < 4)
		return;
	while ((size_t)(p - s) + nl <= len && (p = memmem(p, len - (size_t)(p - s), needle, nl))) {
		memset(p, ' ', nl);
		p += nl;
	}
}

static void
blank_path(char *s, size_t len, const char *path)
{
	const char *base;
	char enc[1024];
	size_t e = 0;

	if (!path || !*path)
		return;
	blank(s, len, path, strlen(path));
	/* "/a b" is echoed as "/a%20b" by some pages: cut the encoded form too. */
	for (const char *c = path; *c && e + 4 < sizeof(enc); c++) {
		unsigned char u = (unsigned char)*c;

		if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
		    strchr("/-_.~", u))
			enc[e++] = (char)u;
		else {
			static const char hex[] = "0123456789ABCDEF";

			enc[e++] = '%';
			enc[e++] = hex[u >> 4];
			enc[e++] = hex[u & 15];
		}
	}
	enc[e] = '\0';
	blank(s, len, enc, e);
	/* and the last segment alone ("The page 'x.php' was not found"). */
	if ((base = strrchr(path, '/')) && base[1])
		blank(s, len, base + 1, strlen(base + 1));
}

void
web_nf_make(const struct web_resp *r, const char *path, struct web_nf *out)
{
	size_t len = r->blen < NF_MAX_BYTES ? r->blen : NF_MAX_BYTES;
	char *s = malloc(len + 1);
	uint64_t win[3] = { 0 }, exact = FNV_OFF;
	int v[64] = { 0 };
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	out->status = r->status;
	out->size = r->blen;
	if (!s) {
		out->exact = (uint64_t)r->blen;
		return;
	}
	if (len)
		memcpy(s, r->body, len);
	s[len] = '\0';
	blank_path(s, len, path);
	while (i < len) {
		uint64_t h = FNV_OFF, sh;

		while (i < len && !((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') &&
		    !(s[i] >= '0' && s[i] <= '9') && !((unsigned char)s[i] & 0x80))
			i++;
		if (i >= len)
			break;
		while (i < len && (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
			(s[i] >= '0' && s[i] <= '9') || ((unsigned char)s[i] & 0x80))) {
			char c = s[i];

			if (c >= '0' && c <= '9') {
				/* one 0 for the whole digit run */
				while (i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')
					i++;
				c = '0';
			} else if (c >= 'A' && c <= 'Z') {
				c = (char)(c | 0x20);
			}
			h = fnv(h, &c, 1);
			i++;
		}
		exact = fnv(exact, &h, sizeof(h));
		out->tokens++;
		win[0] = win[1];
		win[1] = win[2];
		win[2] = h;
		/* shingles of three words; the first two words count alone */
		sh = out->tokens >= 3 ? fnv(fnv(fnv(FNV_OFF, &win[0], 8), &win[1], 8), &win[2], 8) : h;
		for (int b = 0; b < 64; b++)
			v[b] += (sh >> b) & 1 ? 1 : -1;
	}
	for (int b = 0; b < 64; b++)
		if (v[b] > 0)
			out->simhash |= 1ULL << b;
	out->exact = exact;
	free(s);
}

bool
web_nf_similar(const struct web_nf *a, const struct web_nf *b)
{
	if (a->status != b->status)
		return false;
	if (a->exact == b->exact)
		return true;
	/* Below a few words a simhash is noise: demand the exact text. */
	if (a->tokens < 8 || b->tokens < 8)
		return false;
	return __builtin_popcountll(a->simhash ^ b->simhash) <= 3;
}
