/* Port specs (nmap's syntax, TCP only) and the shipped top-ports list. A spec is
 * read through a 65,536-bit set, so overlaps and order do not matter and the result
 * is always sorted and unique. */
#include "inventory/target.h"
#include "core/err.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT_SET_WORDS (65536 / 64)

static void
set_range(uint64_t *set, unsigned lo, unsigned hi)
{
	for (unsigned p = lo; p <= hi; p++)
		set[p / 64] |= 1ull << (p % 64);
}

static int
set_to_list(const uint64_t *set, struct port_list *out)
{
	size_t n = 0;
	for (unsigned p = 1; p < 65536; p++)
		n += (set[p / 64] >> (p % 64)) & 1;
	uint16_t *v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return VG_ERR_NOMEM;
	size_t i = 0;
	for (unsigned p = 1; p < 65536; p++)
		if ((set[p / 64] >> (p % 64)) & 1)
			v[i++] = (uint16_t)p;
	out->ports = v;
	out->n = n;
	return VG_OK;
}

/* A port number of s[0..len): 1..65535, digits only. -1 when not. */
static long
port_num(const char *s, size_t len)
{
	long v = 0;
	if (len == 0 || len > 5)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? v : -1;
}

int
target_parse_ports(const char *spec, struct port_list *out, char *err, size_t errsz)
{
	uint64_t set[PORT_SET_WORDS] = { 0 };
	const char *s = spec;

	out->ports = NULL;
	out->n = 0;
	if (strncmp(s, "T:", 2) == 0)
		s += 2;
	else if (strncmp(s, "U:", 2) == 0 || strncmp(s, "S:", 2) == 0) {
		snprintf(err, errsz, "port spec '%.100s': only TCP is scanned (no U:/S:)", spec);
		return VG_ERR_PARSE;
	}
	for (;;) {
		size_t len = strcspn(s, ",");
		const char *dash = memchr(s, '-', len);
		long lo, hi;
		size_t pos = (size_t)(s - spec) + 1;

		if (len == 0) {
			snprintf(err, errsz, "port spec '%.100s': empty item at position %zu", spec,
			    pos);
			return VG_ERR_PARSE;
		}
		if (dash) {
			size_t l1 = (size_t)(dash - s), l2 = len - l1 - 1;
			lo = l1 ? port_num(s, l1) : 1;
			hi = l2 ? port_num(dash + 1, l2) : 65535;
		} else {
			lo = hi = port_num(s, len);
		}
		if (lo < 0 || hi < 0) {
			snprintf(err, errsz, "port spec '%.100s': '%.*s' at position %zu is not a "
			    "port 1-65535 or a range A-B", spec, (int)(len > 40 ? 40 : len), s, pos);
			return VG_ERR_PARSE;
		}
		if (lo > hi) {
			snprintf(err, errsz, "port spec '%.100s': range '%.*s' at position %zu ends "
			    "before it starts", spec, (int)(len > 40 ? 40 : len), s, pos);
			return VG_ERR_PARSE;
		}
		set_range(set, (unsigned)lo, (unsigned)hi);
		s += len;
		if (!*s)
			break;
		s++;
	}
	return set_to_list(set, out);
}

int
target_top_ports(const char *path, size_t n, struct port_list *out, size_t *got, char *err,
    size_t errsz)
{
	uint64_t set[PORT_SET_WORDS] = { 0 };
	FILE *f = fopen(path, "re");
	char line[256];
	size_t taken = 0;
	unsigned lineno = 0;

	out->ports = NULL;
	out->n = 0;
	*got = 0;
	if (!f) {
		snprintf(err, errsz, "%.200s: %s", path, strerror(errno));
		return VG_ERR_IO;
	}
	while (taken < n && fgets(line, sizeof(line), f)) {
		lineno++;
		char *p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		size_t len = strspn(p, "0123456789");
		long port = port_num(p, len);
		if (port < 0 || (p[len] && !isspace((unsigned char)p[len]))) {
			snprintf(err, errsz, "%.200s:%u: not a port number", path, lineno);
			fclose(f);
			return VG_ERR_PARSE;
		}
		if (!((set[port / 64] >> (port % 64)) & 1))
			taken++;
		set_range(set, (unsigned)port, (unsigned)port);
	}
	fclose(f);
	*got = taken;
	return set_to_list(set, out);
}

int
target_ports_merge(struct port_list *a, const struct port_list *b)
{
	uint64_t set[PORT_SET_WORDS] = { 0 };
	struct port_list m;

	for (size_t i = 0; i < a->n; i++)
		set_range(set, a->ports[i], a->ports[i]);
	for (size_t i = 0; i < b->n; i++)
		set_range(set, b->ports[i], b->ports[i]);
	if (set_to_list(set, &m) != VG_OK)
		return VG_ERR_NOMEM;
	free(a->ports);
	*a = m;
	return VG_OK;
}

void
target_ports_free(struct port_list *p)
{
	if (!p)
		return;
	free(p->ports);
	p->ports = NULL;
	p->n = 0;
}
