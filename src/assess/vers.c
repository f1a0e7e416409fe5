/* Version ordering (see vers.h). The dpkg comparison follows dpkg's verrevcmp() as
 * documented in deb-version(5); the unit test checks it against
 * `dpkg --compare-versions` itself. */
#include "assess/vers.h"
#include "core/err.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const char *
vers_scheme_name(enum vers_scheme s)
{
	return s == VERS_DPKG ? "dpkg" : s == VERS_SEMVER ? "semver" : "dotted";
}

int
vers_scheme_parse(const char *name, enum vers_scheme *out)
{
	if (!name)
		return VG_ERR_INVAL;
	if (strcmp(name, "dpkg") == 0)
		*out = VERS_DPKG;
	else if (strcmp(name, "semver") == 0)
		*out = VERS_SEMVER;
	else if (strcmp(name, "dotted") == 0)
		*out = VERS_DOTTED;
	else
		return VG_ERR_INVAL;
	return VG_OK;
}

enum vers_scheme
vers_scheme_for_ecosystem(const char *eco)
{
	static const char *const dpkg[] = { "Debian", "Ubuntu" };
	static const char *const semver[] = { "npm", "Go", "crates.io", "Hex", "Pub", "SwiftURL",
		"NuGet" };

	for (size_t i = 0; eco && i < sizeof(dpkg) / sizeof(dpkg[0]); i++) {
		size_t n = strlen(dpkg[i]);
		if (strncmp(eco, dpkg[i], n) == 0 && (eco[n] == '\0' || eco[n] == ':'))
			return VERS_DPKG;
	}
	for (size_t i = 0; eco && i < sizeof(semver) / sizeof(semver[0]); i++)
		if (strcmp(eco, semver[i]) == 0)
			return VERS_SEMVER;
	return VERS_DOTTED;
}

/* dpkg's character order: '~' first, then the end of the part, then letters,
 * then everything else (by ASCII). */
static int
order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

/* dpkg's verrevcmp over [a, ae) and [b, be). */
static int
verrevcmp(const char *a, const char *ae, const char *b, const char *be)
{
	while (a < ae || b < be) {
		int first_diff = 0;
		while ((a < ae && !isdigit((unsigned char)*a)) || (b < be && !isdigit((unsigned char)*b))) {
			int ac = a < ae ? order((unsigned char)*a) : 0;
			int bc = b < be ? order((unsigned char)*b) : 0;
			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (a < ae && b < be && isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a < ae && isdigit((unsigned char)*a))
			return 1;
		if (b < be && isdigit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

struct dpkg_ver {
	long epoch;
	const char *up, *up_end, *rev, *rev_end;
};

static bool
dpkg_split(const char *s, struct dpkg_ver *v)
{
	const char *colon = strchr(s, ':'), *end, *dash;

	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		end--;
	if (end == s)
		return false;
	v->epoch = 0;
	if (colon && colon < end) {
		char *e;
		if (colon == s || !isdigit((unsigned char)*s))
			return false;
		v->epoch = strtol(s, &e, 10);
		if (e != colon || v->epoch < 0 || v->epoch > 0x7fffffff)
			return false;
		s = colon + 1;
	}
	if (s == end || !isdigit((unsigned char)*s))
		return false;	/* dpkg: a version number must start with a digit */
	/* the revision is what follows the last hyphen */
	for (dash = end; dash > s && dash[-1] != '-'; dash--)
		;
	v->up = s;
	if (dash > s) {
		v->up_end = dash - 1;
		v->rev = dash;
		v->rev_end = end;
	} else {
		v->up_end = end;
		v->rev = v->rev_end = end;
	}
	for (const char *p = s; p < end; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".+-~:", *p))
			return false;
	return true;
}

static int
semver_ident_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	bool an = al > 0, bn = bl > 0;
	for (size_t i = 0; i < al; i++)
		an &= isdigit((unsigned char)a[i]) != 0;
	for (size_t i = 0; i < bl; i++)
		bn &= isdigit((unsigned char)b[i]) != 0;
	if (an && bn) {
		while (al > 1 && *a == '0')
			a++, al--;
		while (bl > 1 && *b == '0')
			b++, bl--;
		if (al != bl)
			return al < bl ? -1 : 1;
		return memcmp(a, b, al);
	}
	if (an != bn)
		return an ? -1 : 1;	/* numeric identifiers sort before alphanumeric */
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : (al < bl ? -1 : al > bl);
}

/* Splits "v1.2.3-rc.1+build" into three numbers and the pre-release. */
static bool
semver_split(const char *s, unsigned long long n[3], const char **pre, size_t *pre_len)
{
	char *e;

	if (*s == 'v' || *s == 'V')
		s++;
	for (int i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*s))
			return false;
		n[i] = strtoull(s, &e, 10);
		s = e;
		if (i < 2) {
			if (*s != '.')
				return false;
			s++;
		}
	}
	*pre = NULL;
	*pre_len = 0;
	if (*s == '-') {
		*pre = ++s;
		*pre_len = strcspn(s, "+");
		if (!*pre_len)
			return false;
		s += *pre_len;
	}
	return *s == '\0' || *s == '+';
}

static int
semver_cmp(const char *a, const char *b, int *out)
{
	unsigned long long na[3], nb[3];
	const char *pa, *pb;
	size_t la, lb;

	if (!semver_split(a, na, &pa, &la) || !semver_split(b, nb, &pb, &lb))
		return VG_ERR_PARSE;
	for (int i = 0; i < 3; i++)
		if (na[i] != nb[i]) {
			*out = na[i] < nb[i] ? -1 : 1;
			return VG_OK;
		}
	if (!pa || !pb) {
		*out = !pa && !pb ? 0 : !pa ? 1 : -1;	/* a release sorts after its pre-releases */
		return VG_OK;
	}
	while (la || lb) {
		if (!la || !lb) {
			*out = !la ? -1 : 1;
			return VG_OK;
		}
		size_t ia = strcspn(pa, "."), ib = strcspn(pb, ".");
		ia = ia > la ? la : ia;
		ib = ib > lb ? lb : ib;
		int c = semver_ident_cmp(pa, ia, pb, ib);
		if (c) {
			*out = c < 0 ? -1 : 1;
			return VG_OK;
		}
		pa += ia, la -= ia;
		pb += ib, lb -= ib;
		if (la)
			pa++, la--;
		if (lb)
			pb++, lb--;
	}
	*out = 0;
	return VG_OK;
}

int
vers_cmp(enum vers_scheme s, const char *a, const char *b, int *out)
{
	struct dpkg_ver va, vb;
	int c;

	*out = 0;
	if (!a || !b || !*a || !*b)
		return VG_ERR_PARSE;
	switch (s) {
	case VERS_DPKG:
		if (!dpkg_split(a, &va) || !dpkg_split(b, &vb))
			return VG_ERR_PARSE;
		if (va.epoch != vb.epoch)
			c = va.epoch < vb.epoch ? -1 : 1;
		else if (!(c = verrevcmp(va.up, va.up_end, vb.up, vb.up_end)))
			c = verrevcmp(va.rev, va.rev_end, vb.rev, vb.rev_end);
		break;
	case VERS_SEMVER:
		return semver_cmp(a, b, out);
	default:
		while (*a == 'v' || *a == 'V')
			a++;
		while (*b == 'v' || *b == 'V')
			b++;
		if (!isdigit((unsigned char)*a) || !isdigit((unsigned char)*b))
			return VG_ERR_PARSE;
		c = verrevcmp(a, a + strlen(a), b, b + strlen(b));
		break;
	}
	*out = c < 0 ? -1 : c > 0;
	return VG_OK;
}
