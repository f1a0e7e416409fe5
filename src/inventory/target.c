/* Target specs into an address list. Ranges and CIDRs are expanded at once (bounded
 * by TARGET_MAX_HOSTS, checked before expanding) while exclusions stay ranges, so
 * excluding a /8 costs nothing; target_finish applies them and drops duplicates. */
#include "inventory/target.h"
#include "core/buf.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define TOKEN_MAX 512

struct addr_range {
	struct inv_addr lo, hi;
};

struct target_set {
	bool resolve;
	struct inv_host *hosts;
	size_t n, cap;
	size_t expanded;
	struct addr_range *ex;
	size_t nex, capex;
	char **names;
	size_t nnames, capnames;
};

int
target_set_new(bool resolve, struct target_set **out)
{
	*out = NULL;
	struct target_set *t = calloc(1, sizeof(*t));
	if (!t)
		return VG_ERR_NOMEM;
	t->resolve = resolve;
	*out = t;
	return VG_OK;
}

void
target_set_free(struct target_set *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	free(t->hosts);
	free(t->ex);
	free(t);
}

static void
seterr(char *err, size_t errsz, const char *where, const char *spec, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err && errsz)
		snprintf(err, errsz, "%s: '%.200s': %s", where, spec, msg);
}

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return VG_OK;
	size_t nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	void *np = realloc(*p, nc * elem);
	if (!np)
		return VG_ERR_NOMEM;
	*p = np;
	*cap = nc;
	return VG_OK;
}

static int
addr_cmp(const struct inv_addr *a, const struct inv_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->a, b->a, a->family == AF_INET ? 4 : 16);
}

/* a += k on the address as a big-endian number (k < 2^32 here). */
static void
addr_add(struct inv_addr *a, uint64_t k)
{
	int len = a->family == AF_INET ? 4 : 16;
	for (int i = len - 1; i >= 0 && k; i--) {
		uint64_t v = a->a[i] + (k & 0xff);
		a->a[i] = (uint8_t)v;
		k = (k >> 8) + (v >> 8);
	}
}

/* hi - lo + 1 if it fits 2^32 (else UINT64_MAX); lo <= hi required. */
static uint64_t
range_count(const struct inv_addr *lo, const struct inv_addr *hi)
{
	int len = lo->family == AF_INET ? 4 : 16;
	for (int i = 0; i < len - 5; i++)
		if (lo->a[i] != hi->a[i])
			return UINT64_MAX;
	uint64_t l = 0, h = 0;
	for (int i = len < 5 ? 0 : len - 5; i < len; i++) {
		l = l << 8 | lo->a[i];
		h = h << 8 | hi->a[i];
	}
	return h - l + 1;
}

static bool
parse_addr(const char *s, struct inv_addr *a)
{
	char tmp[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(s);

	memset(a, 0, sizeof(*a));
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']' && n - 2 < sizeof(tmp)) {
		memcpy(tmp, s + 1, n - 2);
		tmp[n - 2] = '\0';
		s = tmp;
	}
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, a->a) == 1) {
		a->family = AF_INET6;
		return true;
	}
	return false;
}

/* A DNS name as RFC 1123 allows, with a last label that is not all digits (so
 * "10.0.0" is a malformed address, not a name). */
static bool
valid_name(const char *s)
{
	size_t n = strlen(s), lab = 0;
	bool digits = true;

	if (n == 0 || n > TARGET_NAME_MAX - 1)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (lab == 0 && i + 1 < n)
				return false;
			lab = 0;
			digits = true;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_')
			return false;
		if ((c == '-') && lab == 0)
			return false;
		if (!isdigit(c))
			digits = false;
		if (++lab > 63)
			return false;
	}
	return !digits || lab == 0;
}

static int
name_keep(struct target_set *t, const char *name, const char **out)
{
	if (grow((void **)&t->names, &t->capnames, t->nnames + 1, sizeof(char *)) != VG_OK)
		return VG_ERR_NOMEM;
	char *d = strdup(name);
	if (!d)
		return VG_ERR_NOMEM;
	t->names[t->nnames++] = d;
	*out = d;
	return VG_OK;
}

static int
push_range(struct target_set *t, bool exclude, const struct inv_addr *lo, uint64_t count,
    const char *name, const char *where, const char *spec, char *err, size_t errsz)
{
	if (exclude) {
		if (grow((void **)&t->ex, &t->capex, t->nex + 1, sizeof(*t->ex)) != VG_OK)
			return VG_ERR_NOMEM;
		struct addr_range *r = &t->ex[t->nex++];
		r->lo = r->hi = *lo;
		addr_add(&r->hi, count - 1);
		return VG_OK;
	}
	if (count > TARGET_MAX_HOSTS || t->expanded + count > TARGET_MAX_HOSTS) {
		seterr(err, errsz, where, spec, "would make %llu addresses in all; at most %u "
		    "can be scanned at once", (unsigned long long)(t->expanded + count),
		    TARGET_MAX_HOSTS);
		return VG_ERR_LIMIT;
	}
	if (grow((void **)&t->hosts, &t->cap, t->n + count, sizeof(*t->hosts)) != VG_OK)
		return VG_ERR_NOMEM;
	struct inv_addr a = *lo;
	for (uint64_t i = 0; i < count; i++) {
		t->hosts[t->n].addr = a;
		t->hosts[t->n++].name = name;
		addr_add(&a, 1);
	}
	t->expanded += count;
	return VG_OK;
}

static int
add_cidr(struct target_set *t, bool exclude, char *tok, char *slash, const char *where,
    char *err, size_t errsz)
{
	struct inv_addr a;
	long long pfx;

	*slash = '\0';
	bool ok = parse_addr(tok, &a);
	*slash = '/';
	if (!ok) {
		seterr(err, errsz, where, tok, "not an IPv4 or IPv6 network before '/'");
		return VG_ERR_PARSE;
	}
	int bits = a.family == AF_INET ? 32 : 128;
	if (vg_parse_ll(slash + 1, 0, bits, &pfx) != VG_OK) {
		seterr(err, errsz, where, tok, "prefix length must be 0..%d", bits);
		return VG_ERR_PARSE;
	}
	/* zero the host bits: 10.0.0.7/24 means 10.0.0.0/24, as nmap reads it */
	for (int i = 0; i < bits / 8; i++) {
		int keep = (int)pfx - i * 8;
		a.a[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
	}
	int host_bits = bits - (int)pfx;
	if (host_bits > 32 && !exclude) {
		seterr(err, errsz, where, tok, "a /%lld holds more than 2^32 addresses; at most "
		    "%u can be scanned at once", pfx, TARGET_MAX_HOSTS);
		return VG_ERR_LIMIT;
	}
	if (exclude && host_bits > 32) {
		/* exclusions stay ranges: no expansion, so any size is fine */
		if (grow((void **)&t->ex, &t->capex, t->nex + 1, sizeof(*t->ex)) != VG_OK)
			return VG_ERR_NOMEM;
		struct addr_range *r = &t->ex[t->nex++];
		r->lo = r->hi = a;
		for (int i = 0; i < bits / 8; i++) {
			int hb = (i + 1) * 8 - (int)pfx;
			r->hi.a[i] |= hb >= 8 ? 0xff : hb <= 0 ? 0 : (uint8_t)((1u << hb) - 1);
		}
		return VG_OK;
	}
	return push_range(t, exclude, &a, 1ull << host_bits, NULL, where, tok, err, errsz);
}

/* "lo-hi" with hi a full address or (IPv4) the last octet. -1 = not a range. */
static int
add_range(struct target_set *t, bool exclude, char *tok, char *dash, const char *where,
    char *err, size_t errsz)
{
	struct inv_addr lo, hi;
	long long oct;

	*dash = '\0';
	bool ok = parse_addr(tok, &lo);
	*dash = '-';
	if (!ok)
		return -1;
	if (parse_addr(dash + 1, &hi)) {
		if (hi.family != lo.family) {
			seterr(err, errsz, where, tok, "range mixes IPv4 and IPv6");
			return VG_ERR_PARSE;
		}
	} else if (lo.family == AF_INET && vg_parse_ll(dash + 1, 0, 255, &oct) == VG_OK) {
		hi = lo;
		hi.a[3] = (uint8_t)oct;
	} else {
		seterr(err, errsz, where, tok, "range end is not an address%s",
		    lo.family == AF_INET ? " or a last octet 0..255" : "");
		return VG_ERR_PARSE;
	}
	if (addr_cmp(&lo, &hi) > 0) {
		seterr(err, errsz, where, tok, "range ends before it starts");
		return VG_ERR_PARSE;
	}
	uint64_t count = range_count(&lo, &hi);
	if (count == UINT64_MAX || (!exclude && count > TARGET_MAX_HOSTS)) {
		seterr(err, errsz, where, tok, "range holds more than %u addresses",
		    TARGET_MAX_HOSTS);
		return VG_ERR_LIMIT;
	}
	return push_range(t, exclude, &lo, count, NULL, where, tok, err, errsz);
}

static int
add_name(struct target_set *t, bool exclude, const char *tok, const char *where, char *err,
    size_t errsz)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	const char *name = NULL;
	int rc, n = 0;

	if (!valid_name(tok)) {
		seterr(err, errsz, where, tok, "not an address, range, CIDR or host name");
		return VG_ERR_PARSE;
	}
	if (!t->resolve) {
		seterr(err, errsz, where, tok, "host names are not resolved here");
		return VG_ERR_NOTFOUND;
	}
	rc = getaddrinfo(tok, NULL, &hints, &res);
	if (rc != 0) {
		seterr(err, errsz, where, tok, "does not resolve (%s)", gai_strerror(rc));
		return VG_ERR_NOTFOUND;
	}
	if (!exclude && (rc = name_keep(t, tok, &name)) != VG_OK)
		goto out;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		struct inv_addr a = { .family = ai->ai_family };
		if (ai->ai_family == AF_INET)
			memcpy(a.a, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6)
			memcpy(a.a, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
		else
			continue;
		if ((rc = push_range(t, exclude, &a, 1, name, where, tok, err, errsz)) != VG_OK)
			goto out;
		n++;
	}
	rc = VG_OK;
	if (n == 0) {
		seterr(err, errsz, where, tok, "resolves to no IPv4 or IPv6 address");
		rc = VG_ERR_NOTFOUND;
	}
out:
	freeaddrinfo(res);
	return rc;
}

static int
add_token(struct target_set *t, bool exclude, char *tok, const char *where, char *err,
    size_t errsz)
{
	struct inv_addr a;
	char *p;
	int rc;

	if ((p = strchr(tok, '/')))
		return add_cidr(t, exclude, tok, p, where, err, errsz);
	if (parse_addr(tok, &a))
		return push_range(t, exclude, &a, 1, NULL, where, tok, err, errsz);
	if ((p = strchr(tok, '-')) && (rc = add_range(t, exclude, tok, p, where, err, errsz)) != -1)
		return rc;
	return add_name(t, exclude, tok, where, err, errsz);
}

static int
add_spec(struct target_set *t, bool exclude, const char *spec, const char *where, char *err,
    size_t errsz)
{
	char tok[TOKEN_MAX];
	int n = 0, rc;
	const char *s = spec;

	if (err && errsz)
		err[0] = '\0';
	while (*s) {
		size_t len = strcspn(s, ", \t\r\n");
		if (len >= sizeof(tok)) {
			seterr(err, errsz, where, s, "longer than %d bytes", TOKEN_MAX - 1);
			return VG_ERR_PARSE;
		}
		if (len) {
			memcpy(tok, s, len);
			tok[len] = '\0';
			if ((rc = add_token(t, exclude, tok, where, err, errsz)) != VG_OK)
				return rc;
			n++;
		}
		s += len;
		if (*s)
			s++;
	}
	if (n == 0) {
		seterr(err, errsz, where, spec, "empty target");
		return VG_ERR_PARSE;
	}
	return VG_OK;
}

int
target_add(struct target_set *t, const char *spec, const char *where, char *err, size_t errsz)
{
	return add_spec(t, false, spec, where, err, errsz);
}

int
target_exclude(struct target_set *t, const char *spec, const char *where, char *err,
    size_t errsz)
{
	return add_spec(t, true, spec, where, err, errsz);
}

int
target_add_file(struct target_set *t, const char *path, bool exclude, char *err, size_t errsz)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	char *line = NULL, where[300];
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	int rc = VG_OK;

	if (!f) {
		if (err && errsz)
			snprintf(err, errsz, "%.200s: %s", path, strerror(errno));
		return VG_ERR_IO;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		char *hash = memchr(line, '#', (size_t)len);
		if (hash)
			*hash = '\0';
		if (strspn(line, " \t\r\n") == strlen(line))
			continue;
		snprintf(where, sizeof(where), "%.200s:%u", path, lineno);
		if ((rc = add_spec(t, exclude, line, where, err, errsz)) != VG_OK)
			break;
	}
	if (rc == VG_OK && ferror(f)) {
		if (err && errsz)
			snprintf(err, errsz, "%.200s: read error", path);
		rc = VG_ERR_IO;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

static bool
excluded(const struct target_set *t, const struct inv_addr *a)
{
	for (size_t i = 0; i < t->nex; i++)
		if (t->ex[i].lo.family == a->family && addr_cmp(&t->ex[i].lo, a) <= 0 &&
		    addr_cmp(a, &t->ex[i].hi) <= 0)
			return true;
	return false;
}

static int
host_cmp(const void *x, const void *y)
{
	const struct inv_host *a = *(const struct inv_host *const *)x;
	const struct inv_host *b = *(const struct inv_host *const *)y;
	int c = addr_cmp(&a->addr, &b->addr);
	return c ? c : a < b ? -1 : a > b;
}

int
target_finish(struct target_set *t)
{
	struct inv_host **idx = NULL;
	bool *drop = NULL;
	size_t n = 0, w = 0;
	int rc = VG_ERR_NOMEM;

	if (t->n == 0)
		return VG_OK;
	idx = malloc(t->n * sizeof(*idx));
	drop = calloc(t->n, sizeof(*drop));
	if (!idx || !drop)
		goto out;
	for (size_t i = 0; i < t->n; i++) {
		if (excluded(t, &t->hosts[i].addr))
			drop[i] = true;
		else
			idx[n++] = &t->hosts[i];
	}
	/* sorted by address, then by position: every later copy of an address goes */
	qsort(idx, n, sizeof(*idx), host_cmp);
	for (size_t i = 1; i < n; i++)
		if (addr_cmp(&idx[i - 1]->addr, &idx[i]->addr) == 0)
			drop[idx[i] - t->hosts] = true;
	for (size_t i = 0; i < t->n; i++)
		if (!drop[i])
			t->hosts[w++] = t->hosts[i];
	t->n = w;
	rc = VG_OK;
out:
	free(idx);
	free(drop);
	return rc;
}

const struct inv_host *
target_hosts(const struct target_set *t, size_t *n)
{
	*n = t->n;
	return t->hosts;
}

size_t
target_expanded(const struct target_set *t)
{
	return t->expanded;
}

const char *
target_addr_str(const struct inv_addr *a, char *buf, size_t size)
{
	if (!inet_ntop(a->family, a->a, buf, (socklen_t)size))
		vg_strlcpy(buf, "?", size);
	return buf;
}

unsigned
target_sockaddr(const struct inv_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, a->a, 4);
		return sizeof(*s4);
	}
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	memcpy(&s6->sin6_addr, a->a, 16);
	return sizeof(*s6);
}
