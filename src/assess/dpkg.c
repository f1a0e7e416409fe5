/* dpkg's status file, stanza by stanza (see dpkg.h). Only the fields matching needs
 * are kept; continuation lines (descriptions, conffiles) are skipped. */
#include "assess/dpkg.h"
#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct stanza {
	const char *name, *version, *arch, *source, *status;
	size_t name_l, version_l, arch_l, source_l, status_l;
};

static char *
dup_trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return strndup(s, n);
}

static int
keep(struct dpkg_db *db, const struct stanza *z, size_t *cap)
{
	struct dpkg_pkg *p;

	if (!z->name || !z->version || !z->status || z->status_l < 10 ||
	    memcmp(z->status + z->status_l - 10, " installed", 10) != 0)
		return VG_OK;
	if (db->n >= DPKG_MAX_PKGS)
		return VG_ERR_LIMIT;
	if (db->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct dpkg_pkg *np = realloc(db->pkgs, nc * sizeof(*np));
		if (!np)
			return VG_ERR_NOMEM;
		db->pkgs = np;
		*cap = nc;
	}
	p = &db->pkgs[db->n];
	memset(p, 0, sizeof(*p));
	p->name = dup_trim(z->name, z->name_l);
	p->version = dup_trim(z->version, z->version_l);
	p->arch = z->arch ? dup_trim(z->arch, z->arch_l) : strdup("");
	if (z->source) {
		/* "Source: openssl (3.0.11-1)": a binNMU or a renamed binary */
		const char *paren = memchr(z->source, '(', z->source_l);
		size_t nl = paren ? (size_t)(paren - z->source) : z->source_l;
		p->source = dup_trim(z->source, nl);
		if (paren) {
			const char *close = memchr(paren, ')', z->source_l - (size_t)(paren - z->source));
			p->source_version = close ? dup_trim(paren + 1, (size_t)(close - paren - 1)) : NULL;
		}
	} else
		p->source = strdup(p->name ? p->name : "");
	if (!p->source_version && p->version)
		p->source_version = strdup(p->version);
	db->n++;
	if (!p->name || !p->version || !p->arch || !p->source || !p->source_version)
		return VG_ERR_NOMEM;
	return VG_OK;
}

int
dpkg_status_parse(const char *text, size_t len, struct dpkg_db *db)
{
	static const struct {
		const char *key;
		size_t off_s, off_l;
	} fields[] = {
		{ "Package:", offsetof(struct stanza, name), offsetof(struct stanza, name_l) },
		{ "Version:", offsetof(struct stanza, version), offsetof(struct stanza, version_l) },
		{ "Architecture:", offsetof(struct stanza, arch), offsetof(struct stanza, arch_l) },
		{ "Source:", offsetof(struct stanza, source), offsetof(struct stanza, source_l) },
		{ "Status:", offsetof(struct stanza, status), offsetof(struct stanza, status_l) },
	};
	const char *p = text, *end = text + len;
	struct stanza z;
	size_t cap = 0;
	int r;

	memset(db, 0, sizeof(*db));
	memset(&z, 0, sizeof(z));
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (ll && p[ll - 1] == '\r')
			ll--;
		if (ll == 0) {
			if ((r = keep(db, &z, &cap)) != VG_OK)
				return r;
			memset(&z, 0, sizeof(z));
		} else if (p[0] != ' ' && p[0] != '\t') {
			for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
				size_t kl = strlen(fields[i].key);
				if (ll >= kl && strncasecmp(p, fields[i].key, kl) == 0) {
					*(const char **)((char *)&z + fields[i].off_s) = p + kl;
					*(size_t *)((char *)&z + fields[i].off_l) = ll - kl;
					break;
				}
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return keep(db, &z, &cap);
}

void
dpkg_db_free(struct dpkg_db *db)
{
	for (size_t i = 0; db && i < db->n; i++) {
		free(db->pkgs[i].name), free(db->pkgs[i].version), free(db->pkgs[i].arch);
		free(db->pkgs[i].source), free(db->pkgs[i].source_version);
	}
	if (db) {
		free(db->pkgs);
		db->pkgs = NULL;
		db->n = 0;
	}
}
