/* Block targets: addresses and CIDR networks parsed with inet_pton, kept in
 * canonical form (host bits cleared) so equal blocks compare equal byte for byte. */
#include "respond/block_target.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
clear_host_bits(struct block_target *t)
{
	size_t bytes = t->family == 4 ? 4 : 16;
	for (size_t i = 0; i < bytes; i++) {
		size_t bit = i * 8;
		if (bit >= t->prefix)
			t->addr[i] = 0;
		else if (bit + 8 > t->prefix)
			t->addr[i] &= (uint8_t)(0xff << (8 - (t->prefix - bit)));
	}
}

int
block_target_parse(const char *s, struct block_target *out)
{
	char buf[BLOCK_TARGET_MAX];
	const char *slash;
	size_t alen;
	long prefix = -1;

	memset(out, 0, sizeof(*out));
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(buf))
		return VG_ERR_PARSE;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (slash) {
		char *end;
		if (slash[1] < '0' || slash[1] > '9')
			return VG_ERR_PARSE;
		prefix = strtol(slash + 1, &end, 10);
		if (*end != '\0' || end - (slash + 1) > 3)
			return VG_ERR_PARSE;
	}
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = 4;
		if (prefix > 32)
			return VG_ERR_PARSE;
		out->prefix = (uint8_t)(prefix < 0 ? 32 : prefix);
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		out->family = 6;
		if (prefix > 128)
			return VG_ERR_PARSE;
		out->prefix = (uint8_t)(prefix < 0 ? 128 : prefix);
		/* ::ffff:a.b.c.d is how dual-stack servers log IPv4 clients; the
		 * packets arrive as IPv4, so that is what must be blocked. */
		if (memcmp(out->addr, mapped, sizeof(mapped)) == 0 && out->prefix >= 96) {
			memmove(out->addr, out->addr + 12, 4);
			memset(out->addr + 4, 0, 12);
			out->family = 4;
			out->prefix = (uint8_t)(out->prefix - 96);
		}
	} else {
		memset(out, 0, sizeof(*out));
		return VG_ERR_PARSE;
	}
	clear_host_bits(out);
	return VG_OK;
}

bool
block_target_is_host(const struct block_target *t)
{
	return t->prefix == (t->family == 4 ? 32 : 128);
}

void
block_target_format(const struct block_target *t, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(t->family == 4 ? AF_INET : AF_INET6, t->addr, a, sizeof(a)))
		a[0] = '\0';
	if (block_target_is_host(t))
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s/%u", a, t->prefix);
}

bool
block_target_contains(const struct block_target *net, const struct block_target *t)
{
	unsigned full, rest;

	if (net->family != t->family || net->prefix > t->prefix)
		return false;
	full = net->prefix / 8;
	rest = net->prefix % 8;
	if (memcmp(net->addr, t->addr, full) != 0)
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		if ((net->addr[full] & mask) != (t->addr[full] & mask))
			return false;
	}
	return true;
}

int
block_target_cmp(const void *pa, const void *pb)
{
	const struct block_target *a = pa, *b = pb;
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, 16)) != 0)
		return c;
	return a->prefix < b->prefix ? -1 : a->prefix > b->prefix;
}
