/* IOC matching. The trie is an array of nodes indexed by uint32 so it can grow
 * with realloc and stays cache-friendly; the domain set is open addressing over
 * malloc'd lower-case names. Neither is modified after loading, so many threads
 * can match concurrently. */
#include "monitor/ioc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct trie_node {
	uint32_t child[2];	/* 0 = none (node 0 is the root, never a child) */
	uint8_t term;		/* a listed prefix ends here */
};

struct domain_slot {
	char *name;		/* NULL = empty */
	uint64_t hash;
	bool exact;		/* '=' entry: no subdomains */
};

struct ioc_set {
	struct trie_node *nodes;
	size_t nnodes, capnodes;
	struct domain_slot *slots;
	size_t nslots;		/* power of two */
	struct ioc_stats st;
};

static const struct rule_info ioc_ip_rule = {
	.id = "ioc.ip", .title = "Address on an IOC list", .category = "ioc",
	.mitre = NULL, .severity = VG_SEV_HIGH,
};
static const struct rule_info ioc_domain_rule = {
	.id = "ioc.domain", .title = "Domain on an IOC list", .category = "ioc",
	.mitre = NULL, .severity = VG_SEV_HIGH,
};

int
ioc_set_new(struct ioc_set **out)
{
	struct ioc_set *s;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return VG_ERR_NOMEM;
	s->capnodes = 64;
	s->nodes = calloc(s->capnodes, sizeof(*s->nodes));
	s->nslots = 64;
	s->slots = calloc(s->nslots, sizeof(*s->slots));
	if (!s->nodes || !s->slots) {
		ioc_set_free(s);
		return VG_ERR_NOMEM;
	}
	s->nnodes = 1;	/* root */
	*out = s;
	return VG_OK;
}

void
ioc_set_free(struct ioc_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; set->slots && i < set->nslots; i++)
		free(set->slots[i].name);
	free(set->slots);
	free(set->nodes);
	free(set);
}

void
ioc_get_stats(const struct ioc_set *set, struct ioc_stats *out)
{
	*out = set->st;
}

/* Text address to 16 bytes (IPv4 mapped); 0 or VG_ERR_PARSE. *is4 set for IPv4. */
static int
parse_addr(const char *s, uint8_t a[16], bool *is4)
{
	struct in_addr v4;

	if (inet_pton(AF_INET, s, &v4) == 1) {
		memset(a, 0, 10);
		a[10] = a[11] = 0xff;
		memcpy(a + 12, &v4, 4);
		*is4 = true;
		return VG_OK;
	}
	*is4 = false;
	return inet_pton(AF_INET6, s, a) == 1 ? VG_OK : VG_ERR_PARSE;
}

static int
trie_insert(struct ioc_set *set, const uint8_t a[16], unsigned plen)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < plen; i++) {
		int bit = (a[i / 8] >> (7 - i % 8)) & 1;
		if (set->nodes[n].term)
			return VG_OK;	/* a shorter prefix already covers this one */
		if (!set->nodes[n].child[bit]) {
			if (set->nnodes >= IOC_MAX_NODES)
				return VG_ERR_LIMIT;
			if (set->nnodes == set->capnodes) {
				size_t cap = set->capnodes * 2;
				struct trie_node *g = realloc(set->nodes, cap * sizeof(*g));
				if (!g)
					return VG_ERR_NOMEM;
				set->nodes = g;
				set->capnodes = cap;
			}
			memset(&set->nodes[set->nnodes], 0, sizeof(set->nodes[0]));
			set->nodes[n].child[bit] = (uint32_t)set->nnodes++;
		}
		n = set->nodes[n].child[bit];
	}
	set->nodes[n].term = 1;
	return VG_OK;
}

static uint64_t
hash_name(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		h ^= (c >= 'A' && c <= 'Z') ? c + 32u : c;
		h *= 1099511628211ull;
	}
	return h;
}

static struct domain_slot *
domain_find(const struct ioc_set *set, const char *s, size_t n, uint64_t h)
{
	size_t mask = set->nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct domain_slot *sl = &set->slots[i];
		if (!sl->name)
			return sl;
		if (sl->hash == h && strlen(sl->name) == n && strncasecmp(sl->name, s, n) == 0)
			return sl;
	}
}

static int
domain_grow(struct ioc_set *set)
{
	size_t n = set->nslots * 2;
	struct domain_slot *old = set->slots, *g = calloc(n, sizeof(*g));
	size_t oldn = set->nslots;

	if (!g)
		return VG_ERR_NOMEM;
	set->slots = g;
	set->nslots = n;
	for (size_t i = 0; i < oldn; i++) {
		if (old[i].name)
			*domain_find(set, old[i].name, strlen(old[i].name), old[i].hash) = old[i];
	}
	free(old);
	return VG_OK;
}

static bool
valid_domain(const char *s, size_t n)
{
	size_t label = 0;
	bool dot = false, alpha = false;

	if (n == 0 || n > 253 || s[0] == '.' || s[n - 1] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			dot = true;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_'))
			return false;
		if (!(c >= '0' && c <= '9') && c != '-')
			alpha = true;
		if (++label > 63)
			return false;
	}
	/* "999.1.1.1" is a broken address, not a domain */
	return dot && alpha;
}

int
ioc_add(struct ioc_set *set, const char *entry, const char **why)
{
	char addr[64];
	const char *slash;
	uint8_t a[16];
	bool is4, exact = false;
	long long plen;
	size_t n;

	*why = NULL;
	if (strchr(entry, ':') || strspn(entry, "0123456789./") == strlen(entry)) {
		slash = strchr(entry, '/');
		n = slash ? (size_t)(slash - entry) : strlen(entry);
		if (n >= sizeof(addr)) {
			*why = "address too long";
			return VG_ERR_PARSE;
		}
		memcpy(addr, entry, n);
		addr[n] = '\0';
		if (parse_addr(addr, a, &is4) != VG_OK) {
			*why = "not an IPv4/IPv6 address or CIDR";
			return VG_ERR_PARSE;
		}
		plen = 128;
		if (slash && vg_parse_ll(slash + 1, 0, is4 ? 32 : 128, &plen) != VG_OK) {
			*why = is4 ? "prefix length must be 0-32" : "prefix length must be 0-128";
			return VG_ERR_PARSE;
		}
		if (slash && is4)
			plen += 96;
		int r = trie_insert(set, a, (unsigned)plen);
		if (r == VG_ERR_LIMIT) {
			set->st.dropped++;
			*why = "IOC trie is full";
		} else if (r == VG_OK) {
			set->st.prefixes++;
		}
		return r;
	}
	if (entry[0] == '=') {
		exact = true;
		entry++;
	}
	n = strlen(entry);
	if (n > 0 && entry[n - 1] == '.')
		n--;	/* fully qualified form */
	if (!valid_domain(entry, n)) {
		*why = "not an address, CIDR or domain name";
		return VG_ERR_PARSE;
	}
	if (set->st.domains >= IOC_MAX_DOMAINS) {
		set->st.dropped++;
		*why = "IOC domain table is full";
		return VG_ERR_LIMIT;
	}
	if ((set->st.domains + 1) * 2 > set->nslots && domain_grow(set) != VG_OK)
		return VG_ERR_NOMEM;
	uint64_t h = hash_name(entry, n);
	struct domain_slot *sl = domain_find(set, entry, n, h);
	if (sl->name) {
		sl->exact = sl->exact && exact;	/* the wider entry wins */
		return VG_OK;
	}
	sl->name = strndup(entry, n);
	if (!sl->name)
		return VG_ERR_NOMEM;
	for (char *p = sl->name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	sl->hash = h;
	sl->exact = exact;
	set->st.domains++;
	return VG_OK;
}

int
ioc_load_file(struct ioc_set *set, const char *path, char **errors)
{
	FILE *f;
	char line[IOC_LINE_MAX + 2];
	unsigned long lineno = 0;
	struct vg_buf *errs = vg_buf_new(64 << 10);
	int ret = VG_OK;

	*errors = NULL;
	if (!errs)
		return VG_ERR_NOMEM;
	/* lists come from outside (feeds): the path and any quoted line are escaped */
	char epath[VG_ESC_MAX];
	vg_esc_s(epath, sizeof(epath), path);
	f = fopen(path, "r");
	if (!f) {
		vg_buf_putf(errs, "%s: cannot open: %s\n", epath, strerror(errno));
		ret = VG_ERR_IO;
		goto out;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		char *s = line, *hash;
		const char *why = NULL;
		lineno++;
		if (n > 0 && line[n - 1] != '\n' && !feof(f)) {
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			set->st.bad_lines++;
			vg_buf_putf(errs, "%s:%lu: line longer than %d bytes\n", epath, lineno,
			    IOC_LINE_MAX);
			continue;
		}
		if ((hash = strchr(s, '#')))
			*hash = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		n = strlen(s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
		    s[n - 1] == '\r'))
			s[--n] = '\0';
		if (n == 0)
			continue;
		int r = ioc_add(set, s, &why);
		if (r == VG_ERR_NOMEM) {
			ret = r;
			goto out;
		}
		if (r != VG_OK) {
			if (r == VG_ERR_PARSE)
				set->st.bad_lines++;
			/* Quote at most 64 bytes: the line is untrusted. */
			char eline[4 * 64 + 8];
			vg_esc(eline, sizeof(eline), s, n > 64 ? 64 : n);
			vg_buf_putf(errs, "%s:%lu: %s: '%s'\n", epath, lineno, why ? why : "?", eline);
		}
	}
	if (ferror(f)) {
		vg_buf_putf(errs, "%s: read error: %s\n", epath, strerror(errno));
		ret = VG_ERR_IO;
	}
out:
	if (f)
		fclose(f);
	if (vg_buf_len(errs) > 0)
		*errors = vg_buf_steal(errs);
	vg_buf_free(errs);
	return ret;
}

static unsigned
trie_lookup(const struct ioc_set *set, const uint8_t a[16], bool *found)
{
	uint32_t n = 0;
	unsigned best = 0;

	*found = set->nodes[0].term;
	for (unsigned i = 0; i < 128; i++) {
		int bit = (a[i / 8] >> (7 - i % 8)) & 1;
		n = set->nodes[n].child[bit];
		if (!n)
			break;
		if (set->nodes[n].term) {
			*found = true;
			best = i + 1;
		}
	}
	return best;
}

bool
ioc_match_ip(const struct ioc_set *set, const char *ip, unsigned *prefix_len)
{
	uint8_t a[16];
	bool is4, found;
	unsigned best;

	if (!set || !ip || !*ip || parse_addr(ip, a, &is4) != VG_OK)
		return false;
	best = trie_lookup(set, a, &found);
	if (found && prefix_len)
		*prefix_len = best;
	return found;
}

bool
ioc_match_domain(const struct ioc_set *set, const char *name, size_t len, size_t *matched_len)
{
	if (!set || !name || set->st.domains == 0)
		return false;
	if (len > 0 && name[len - 1] == '.')
		len--;
	for (size_t off = 0; off < len;) {
		const char *s = name + off;
		size_t n = len - off;
		const struct domain_slot *sl = domain_find(set, s, n, hash_name(s, n));
		if (sl->name && (off == 0 || !sl->exact)) {
			if (matched_len)
				*matched_len = n;
			return true;
		}
		const char *dot = memchr(s, '.', n);
		if (!dot)
			break;
		off = (size_t)(dot - name) + 1;
	}
	return false;
}

/* Finds "scheme://host" occurrences in text; calls back for each host. */
static int
hosts_in(const struct ioc_set *set, const char *text, rule_hit_fn fn, void *arg, bool *done)
{
	const char *p = text;
	int checked = 0;

	while (!*done && (p = strstr(p, "://")) && checked++ < 16) {
		const char *h = p + 3, *e;
		p = h;
		/* skip userinfo@ */
		e = h + strcspn(h, "/?#@ \t\"'<>\\");
		if (*e == '@')
			h = e + 1;
		e = h + strcspn(h, "/?#: \t\"'<>\\&");
		if (e > h && ioc_match_domain(set, h, (size_t)(e - h), NULL)) {
			struct rule_hit hit = { &ioc_domain_rule, "url.domain", h, (size_t)(e - h), NULL };
			*done = true;
			return fn(&hit, arg);
		}
	}
	return 0;
}

int
ioc_match_event(const struct ioc_set *set, const struct vg_event *ev, rule_hit_fn fn,
    void *arg)
{
	const char *ips[2] = { ev->src_ip, ev->dst_ip };
	const char *names[2] = { "source.ip", "destination.ip" };
	const char *texts[3] = { ev->http.url, ev->http.referer, ev->message };
	bool done = false;
	int r;

	if (!set || !ev || !fn)
		return VG_ERR_INVAL;
	for (int i = 0; i < 2; i++) {
		if (ips[i][0] && ioc_match_ip(set, ips[i], NULL)) {
			struct rule_hit hit = { &ioc_ip_rule, names[i], ips[i], strlen(ips[i]), NULL };
			if ((r = fn(&hit, arg)) != 0)
				return r;
			break;
		}
	}
	if (set->st.domains == 0)
		return 0;
	for (int i = 0; i < 3 && !done; i++) {
		if (texts[i] && (r = hosts_in(set, texts[i], fn, arg, &done)) != 0)
			return r;
	}
	return 0;
}

int
ioc_load_files(struct ioc_set *set, const char *const *files, size_t n, FILE *out,
    FILE *err, bool *bad)
{
	*bad = false;
	for (size_t i = 0; i < n; i++) {
		char *errors = NULL;
		struct ioc_stats before, after;
		ioc_get_stats(set, &before);
		int r = ioc_load_file(set, files[i], &errors);
		ioc_get_stats(set, &after);
		if (errors)
			fputs(errors, err);
		free(errors);
		if (r == VG_ERR_NOMEM)
			return r;
		if (r != VG_OK || after.bad_lines > before.bad_lines ||
		    after.dropped > before.dropped)
			*bad = true;
		char ename[VG_ESC_MAX];
		fprintf(out, "%s: %zu addresses/networks, %zu domains, %zu bad lines\n",
		    vg_esc_s(ename, sizeof(ename), files[i]),
		    after.prefixes - before.prefixes, after.domains - before.domains,
		    after.bad_lines - before.bad_lines);
	}
	return VG_OK;
}
