/* Matching answers against the probe database: the first match rule that fits
 * (identification), every http-tech rule that fits (technologies). Captured text
 * comes from the server: it is kept raw (up to a NUL) and escaped once, where it
 * is printed (discover_print, assets_print); escaping it here too doubled it. */
#include "inventory/probe_int.h"
#include "core/buf.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* PCRE2 with its JIT, and the interpreter again on a NOMATCH: the JIT of Debian 12's
 * PCRE2 (10.42) misses matches after a group with an empty alternative ('(b|\b)\D+'
 * on "b'"; fixed in 10.43), as rules_match.c found. A database of ~100 rules and a
 * few answers per port can pay the second look on every miss. */
static int
re_match(const pcre2_code *re, const void *subj, size_t len, pcre2_match_data *md,
    pcre2_match_context *mc)
{
	int rc = pcre2_match(re, subj, len, 0, 0, md, mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		rc = pcre2_match(re, subj, len, 0, PCRE2_NO_JIT, md, mc);
	return rc;
}

/* tmpl with $1..$9 replaced by the groups (raw, each up to a NUL) into out. */
static void
expand(const char *tmpl, const unsigned char *subj, PCRE2_SIZE *ov, int ngroups, char *out,
    size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	if (!tmpl)
		return;
	for (const char *t = tmpl; *t && o + 1 < size; t++) {
		if (t[0] == '$' && t[1] >= '1' && t[1] <= '9') {
			int g = t[1] - '0';
			t++;
			if (g >= ngroups || ov[2 * g] == PCRE2_UNSET)
				continue;
			for (PCRE2_SIZE k = ov[2 * g]; k < ov[2 * g + 1] && o + 1 < size && subj[k];
			    k++)
				out[o++] = (char)subj[k];
			out[o] = '\0';
			continue;
		}
		out[o++] = *t;
		out[o] = '\0';
	}
}

int
probe_db_match(const struct probe_db *db, const char *probe, const void *resp, size_t len,
    struct probe_match_out *out)
{
	pcre2_match_data *md = NULL;
	int found = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < db->nrules && !found; i++) {
		const struct mrule *r = &db->rules[i];
		if (r->probe[0] && (!probe || strcmp(r->probe, probe) != 0))
			continue;
		if (!md && !(md = pcre2_match_data_create(10, NULL)))
			return 0;
		int rc = re_match(r->re, resp, len, md, db->mctx);
		if (rc <= 0)
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		vg_strlcpy(out->service, r->service, sizeof(out->service));
		expand(r->product, resp, ov, rc, out->product, sizeof(out->product));
		expand(r->version, resp, ov, rc, out->version, sizeof(out->version));
		expand(r->info, resp, ov, rc, out->info, sizeof(out->info));
		snprintf(out->rule, sizeof(out->rule), "%u", r->line);
		found = 1;
	}
	pcre2_match_data_free(md);
	return found;
}

size_t
probe_db_tech_paths(const struct probe_db *db, const char **paths, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < db->ntech; i++) {
		bool seen = strcmp(db->tech[i].path, "/") == 0;
		for (size_t j = 0; !seen && j < n; j++)
			seen = strcmp(paths[j], db->tech[i].path) == 0;
		if (!seen && n < max)
			paths[n++] = db->tech[i].path;
	}
	return n;
}

int
probe_db_tech(const struct probe_db *db, const char *path, const void *resp, size_t len,
    char *list, size_t size)
{
	pcre2_match_data *md = pcre2_match_data_create(10, NULL);
	int added = 0;

	if (!md)
		return 0;
	for (size_t i = 0; i < db->ntech; i++) {
		const struct trule *t = &db->tech[i];
		char item[128], ver[64];
		if (strcmp(t->path, path) != 0)
			continue;
		int rc = re_match(t->re, resp, len, md, db->mctx);
		if (rc <= 0)
			continue;
		expand(t->version, resp, pcre2_get_ovector_pointer(md), rc, ver, sizeof(ver));
		snprintf(item, sizeof(item), "%s%s%s", t->name, ver[0] ? " " : "", ver);
		/* the same technology seen by two rules is listed once */
		size_t il = strlen(t->name);
		bool dup = false;
		for (const char *p = list; p && *p && !dup; p = strchr(p, ',') ? strchr(p, ',') + 2 : NULL)
			dup = strncmp(p, t->name, il) == 0 && (p[il] == ',' || p[il] == ' ' || !p[il]);
		if (dup)
			continue;
		size_t o = strlen(list);
		if (o + strlen(item) + 3 > size)
			break;
		snprintf(list + o, size - o, "%s%s", o ? ", " : "", item);
		added++;
	}
	pcre2_match_data_free(md);
	return added;
}
