/* Reading HTTP answers. Bodies come from servers we do not trust: every search is
 * bounded by the answer's length, and every kept text is escaped (core/esc). */
#include "inventory/httpid.h"
#include "core/buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const unsigned char *
memcasemem(const unsigned char *h, size_t hl, const char *n)
{
	size_t nl = strlen(n);
	for (size_t i = 0; nl && i + nl <= hl; i++)
		if (strncasecmp((const char *)h + i, n, nl) == 0)
			return h + i;
	return NULL;
}

/* src[0..n) as a C string in out (cut to fit, or at a NUL): kept raw, as the
 * server sent it; whoever prints it escapes it, once (discover_print, assets_print). */
static void
raw_copy(char *out, size_t size, const unsigned char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < size && src[i]; i++)
		out[i] = (char)src[i];
	out[i] = '\0';
}

/* The value of header name in the head [0..hl), raw into out. */
static void
header(const unsigned char *h, size_t hl, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);
	out[0] = '\0';
	for (size_t i = 0; i + nl + 1 < hl; i++) {
		if ((i == 0 || h[i - 1] == '\n') && strncasecmp((const char *)h + i, name, nl) == 0 &&
		    h[i + nl] == ':') {
			size_t s = i + nl + 1, e;
			while (s < hl && (h[s] == ' ' || h[s] == '\t'))
				s++;
			for (e = s; e < hl && h[e] != '\r' && h[e] != '\n'; e++)
				;
			raw_copy(out, size, h + s, e - s);
			return;
		}
	}
}

int
httpid_parse(const unsigned char *resp, size_t len, struct svc_result *r)
{
	if (len < 12 || memcmp(resp, "HTTP/", 5) != 0)
		return 0;
	const unsigned char *sp = memchr(resp, ' ', len < 16 ? len : 16);
	if (!sp || sp + 4 > resp + len || !isdigit(sp[1]) || !isdigit(sp[2]) || !isdigit(sp[3]))
		return 0;
	r->http_status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
	const unsigned char *end = NULL;
	for (size_t i = 0; i + 3 < len && !end; i++)
		if (memcmp(resp + i, "\r\n\r\n", 4) == 0)
			end = resp + i;
	size_t hl = end ? (size_t)(end - resp) : len;
	header(resp, hl, "Server", r->http_server, sizeof(r->http_server));
	header(resp, hl, "Location", r->http_location, sizeof(r->http_location));
	r->http_title[0] = '\0';
	const unsigned char *t = memcasemem(resp + hl, len - hl, "<title");
	if (t) {
		const unsigned char *gt = memchr(t, '>', (size_t)(resp + len - t));
		const unsigned char *close = gt ? memcasemem(gt, (size_t)(resp + len - gt),
		    "</title") : NULL;
		if (gt && close) {
			const unsigned char *s = gt + 1, *e = close;
			while (s < e && isspace(*s))
				s++;
			while (e > s && isspace(e[-1]))
				e--;
			/* whitespace runs (line breaks in a title) become one space */
			char tmp[sizeof(r->http_title)];
			size_t o = 0;
			for (const unsigned char *p = s; p < e && o + 1 < sizeof(tmp); p++) {
				if (isspace(*p)) {
					if (o && tmp[o - 1] != ' ')
						tmp[o++] = ' ';
				} else {
					tmp[o++] = (char)*p;
				}
			}
			raw_copy(r->http_title, sizeof(r->http_title), (const unsigned char *)tmp, o);
		}
	}
	return 1;
}

/* A Location that stays on this service: "/path" or "http(s)://host[:port]/path"
 * on the same authority is not checked here; only relative paths are followed,
 * so a redirect can never send the scanner to a host the user did not name. */
static bool
local_path(const char *loc, char *path, size_t size)
{
	if (loc[0] != '/' || loc[1] == '/')
		return false;
	for (const char *c = loc; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '\\')
			return false;
	return vg_strlcpy(path, loc, size) == 0;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static uint32_t
mmh3(const unsigned char *d, size_t len)
{
	const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
	uint32_t h = 0, k;
	size_t i = 0;
	for (; i + 4 <= len; i += 4) {
		k = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 | (uint32_t)d[i + 2] << 16 |
		    (uint32_t)d[i + 3] << 24;
		k *= c1;
		k = k << 15 | k >> 17;
		k *= c2;
		h ^= k;
		h = h << 13 | h >> 19;
		h = h * 5 + 0xe6546b64;
	}
	k = 0;
	switch (len & 3) {
	case 3: k ^= (uint32_t)d[i + 2] << 16; /* fall through */
	case 2: k ^= (uint32_t)d[i + 1] << 8; /* fall through */
	case 1: k ^= d[i];
		k *= c1;
		k = k << 15 | k >> 17;
		k *= c2;
		h ^= k;
	}
	h ^= (uint32_t)len;
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

int32_t
httpid_favicon_hash(const unsigned char *data, size_t len)
{
	size_t enc = (len + 2) / 3 * 4;
	size_t cap = enc + enc / 76 + 2;
	unsigned char *out = malloc(cap);
	size_t o = 0, col = 0;
	if (!out)
		return 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		char q[4] = { b64[v >> 18 & 63], b64[v >> 12 & 63],
			i + 1 < len ? b64[v >> 6 & 63] : '=', i + 2 < len ? b64[v & 63] : '=' };
		for (int j = 0; j < 4; j++) {
			out[o++] = (unsigned char)q[j];
			if (++col == 76) {
				out[o++] = '\n';
				col = 0;
			}
		}
	}
	if (col)
		out[o++] = '\n';
	uint32_t h = mmh3(out, o);
	free(out);
	return (int32_t)h;
}

/* The body of an answer (after the blank line), or NULL. */
static const unsigned char *
body(const unsigned char *r, size_t len, size_t *bl)
{
	for (size_t i = 0; i + 3 < len; i++)
		if (memcmp(r + i, "\r\n\r\n", 4) == 0) {
			*bl = len - i - 4;
			return r + i + 4;
		}
	return NULL;
}

void
httpid_extras(const struct probe_db *db, httpid_fetch_fn fetch, void *arg,
    const unsigned char *first, size_t flen, bool extras, struct svc_result *r)
{
	unsigned char *buf = malloc(SVC_READ_MAX);
	char path[512];
	ssize_t n;

	if (!buf)
		return;
	probe_db_tech(db, "/", first, flen, r->http_tech, sizeof(r->http_tech));
	if (!extras)
		goto out;
	/* follow relative redirects: the landing page's title is the one people see */
	for (int i = 0; i < HTTPID_REDIRECTS && r->http_status >= 300 && r->http_status < 400 &&
	    local_path(r->http_location, path, sizeof(path)); i++) {
		struct svc_result tmp = { 0 };
		if ((n = fetch(arg, path, buf, SVC_READ_MAX)) <= 0 ||
		    !httpid_parse(buf, (size_t)n, &tmp))
			break;
		probe_db_tech(db, "/", buf, (size_t)n, r->http_tech, sizeof(r->http_tech));
		if (tmp.http_title[0])
			memcpy(r->http_title, tmp.http_title, sizeof(r->http_title));
		if (tmp.http_status < 300 || tmp.http_status >= 400)
			break;
		memcpy(r->http_location, tmp.http_location, sizeof(r->http_location));
	}
	const char *paths[32];
	size_t np = probe_db_tech_paths(db, paths, 32);
	for (size_t i = 0; i < np; i++)
		if ((n = fetch(arg, paths[i], buf, SVC_READ_MAX)) > 0)
			probe_db_tech(db, paths[i], buf, (size_t)n, r->http_tech,
			    sizeof(r->http_tech));
	if ((n = fetch(arg, "/favicon.ico", buf, SVC_READ_MAX)) > 12) {
		struct svc_result tmp = { 0 };
		size_t bl = 0;
		const unsigned char *b = body(buf, (size_t)n, &bl);
		if (httpid_parse(buf, (size_t)n, &tmp) && tmp.http_status == 200 && b && bl > 0) {
			r->favicon_hash = httpid_favicon_hash(b, bl);
			r->favicon = true;
		}
	}
out:
	free(buf);
}
