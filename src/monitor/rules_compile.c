/* Rule compilation: one Vectorscan database per event field over every pattern of
 * every rule that looks at the field, reused from the on-disk cache when the
 * pattern set is unchanged. */
#include "monitor/rules_int.h"
#include "monitor/rules_cache.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

static int
probe_hit(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
    void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	++*(unsigned *)ctx;
	return 0;
}

/* Whether this Vectorscan finds a one-byte literal and a class ("x\\S") past a
 * value's first 64 bytes.
 * 5.4.9 (Debian 12) on an AVX-512 CPU does not (its accelerators' tail handling,
 * fixed upstream in 2026): the big databases of the shipped rules find every match
 * PCRE2 finds on vigil's corpus, a small database or a one-character pattern may
 * not. 1 sound, 0 not, negative on error. */
static int
engine_sound(void)
{
	hs_database_t *db = NULL;
	hs_scratch_t *scr = NULL;
	hs_compile_error_t *cerr = NULL;
	char buf[80];
	unsigned found = 0;
	int ret = -1;

	memset(buf, 'a', sizeof(buf));
	buf[70] = 'x';
	if (hs_compile("x\\S", HS_BASE_FLAGS, HS_MODE_BLOCK, NULL, &db, &cerr) != HS_SUCCESS) {
		hs_free_compile_error(cerr);
		return -1;
	}
	if (hs_alloc_scratch(db, &scr) == HS_SUCCESS &&
	    hs_scan(db, buf, sizeof(buf), 0, scr, probe_hit, &found) == HS_SUCCESS)
		ret = found > 0;
	hs_free_scratch(scr);
	hs_free_database(db);
	return ret;
}

int
rules_compile_dbs(struct loader *ld, const char *cache_dir, const struct vg_logger *log)
{
	struct ruleset *rs = ld->rs;
	const char **exprs = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t total = 0;
	int ret = VG_OK;

	for (size_t i = 0; i < rs->n; i++)
		total += rs->rules[i].npats;
	exprs = calloc(total + 1, sizeof(*exprs));
	flags = calloc(total + 1, sizeof(*flags));
	ids = calloc(total + 1, sizeof(*ids));
	if (!exprs || !flags || !ids) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	for (int f = 0; f < RULE_F_COUNT; f++) {
		struct field_db *fd = &rs->dbs[f];
		hs_compile_error_t *cerr = NULL;
		size_t n = 0;

		fd->refs = calloc(total + 1, sizeof(*fd->refs));
		if (!fd->refs) {
			ret = VG_ERR_NOMEM;
			goto out;
		}
		for (size_t i = 0; i < rs->n; i++) {
			const struct rule *r = &rs->rules[i];
			if (!(r->fields & (1u << f)))
				continue;
			for (size_t p = 0; p < r->npats; p++) {
				exprs[n] = pattern_expr(&r->pats[p], (enum rule_field)f);
				flags[n] = pattern_hs_flags(&r->pats[p]);
				ids[n] = (unsigned)n;
				fd->refs[n].rule = (uint32_t)i;
				fd->refs[n].pat = (uint32_t)p;
				n++;
			}
		}
		fd->nrefs = n;
		if (n == 0)
			continue;
		rs->used_fields |= 1u << f;
		struct rules_cache_key key;
		if (cache_dir) {
			rules_cache_key(exprs, flags, n, &key);
			if (rules_cache_get(cache_dir, &key, &fd->db, log) == VG_OK)
				continue;
		}
		if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &fd->db,
		    &cerr) != HS_SUCCESS) {
			const struct rule *r = cerr && cerr->expression >= 0 ?
			    &rs->rules[fd->refs[cerr->expression].rule] : NULL;
			ld->file = r ? r->file : "(ruleset)";
			vg_buf_putf(ld->errs, "%s:%lu: rule %s: vectorscan: %s\n", ld->file,
			    r ? r->line : 0, r ? r->info.id : "?", cerr ? cerr->message : "?");
			ld->nerrors++;
			hs_free_compile_error(cerr);
			ret = VG_ERR_PARSE;
			goto out;
		}
		if (cache_dir)
			rules_cache_put(cache_dir, &key, fd->db, log);
	}
	if (engine_sound() == 0)
		vg_warn(log, "rules: this Vectorscan (libhs %.*s) misses one-byte literals past a "
		    "value's first 64 bytes on this CPU (its AVX-512 code; fixed upstream): the "
		    "shipped rules' databases are not affected on vigil's corpus, a small rule set "
		    "or a one-character pattern may be", (int)strcspn(hs_version(), " "), hs_version());
out:
	free(exprs);
	free(flags);
	free(ids);
	return ret;
}
