/* Rule compilation: one Vectorscan database per event field over every pattern of
 * every rule that looks at the field, reused from the on-disk cache when the
 * pattern set is unchanged. */
#include "monitor/rules_int.h"
#include "monitor/rules_cache.h"
#include "core/err.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

/* Whether scan, on databases built for plat (NULL: this CPU), finds a one-byte
 * literal and a class ("x\\S") past a value's first 64 bytes: Vectorscan 5.4.9
 * (Debian 12) does not with its AVX-512 code (its accelerators' tail handling, fixed
 * upstream in 2026), and then misses matches of the shipped rules too once an
 * attacker pads a value past 64 bytes. 1 sound, 0 not, negative on error. */
static int
engine_sound(const hs_platform_info_t *plat, rule_scan_fn scan)
{
	hs_database_t *db = NULL;
	hs_scratch_t *scr = NULL;
	hs_compile_error_t *cerr = NULL;
	char buf[80];
	unsigned found = 0;
	int ret = -1;

	memset(buf, 'a', sizeof(buf));
	buf[70] = 'x';
	if (hs_compile("x\\S", HS_BASE_FLAGS, HS_MODE_BLOCK, plat, &db, &cerr) != HS_SUCCESS) {
		hs_free_compile_error(cerr);
		return -1;
	}
	if (hs_alloc_scratch(db, &scr) == HS_SUCCESS &&
	    scan(db, buf, sizeof(buf), 0, scr, rules_count_match, &found) == HS_SUCCESS)
		ret = found > 0;
	hs_free_scratch(scr);
	hs_free_database(db);
	return ret;
}

/* How this process scans: hs_scan (Vectorscan picks its code for the CPU), unless
 * that code misses matches here and the library exports its AVX2 build of hs_scan
 * (a fat runtime does: avx2_hs_scan), which then scans databases built without
 * AVX-512 features (*plat filled, *use_plat set). */
static rule_scan_fn
choose_scan(hs_platform_info_t *plat, bool *use_plat, const struct vg_logger *log)
{
	rule_scan_fn avx2 = NULL;
	void *sym;
	int vlen = (int)strcspn(hs_version(), " ");	/* "5.4.9", not its build date */

	*use_plat = false;
	if (engine_sound(NULL, hs_scan) != 0)
		return hs_scan;
	sym = dlsym(RTLD_DEFAULT, "avx2_hs_scan");
	memcpy(&avx2, &sym, sizeof(avx2));	/* object to function pointer, as POSIX allows */
	if (avx2 && hs_populate_platform(plat) == HS_SUCCESS &&
	    (plat->cpu_features & HS_CPU_FEATURES_AVX2)) {
		plat->cpu_features &= ~(unsigned long long)(HS_CPU_FEATURES_AVX512 |
		    HS_CPU_FEATURES_AVX512VBMI);
		if (engine_sound(plat, avx2) == 1) {
			*use_plat = true;
			vg_info(log, "rules: Vectorscan's AVX-512 code misses matches past a value's "
			    "first 64 bytes on this CPU (libhs %.*s); scanning with its AVX2 code", vlen,
			    hs_version());
			return avx2;
		}
	}
	vg_warn(log, "rules: this Vectorscan (libhs %.*s) misses matches past a value's first "
	    "64 bytes on this CPU (its AVX-512 code; fixed upstream) and has no other code to "
	    "scan with: padded attacks can go unseen", vlen, hs_version());
	return hs_scan;
}

int
rules_compile_dbs(struct loader *ld, const char *cache_dir, const struct vg_logger *log)
{
	struct ruleset *rs = ld->rs;
	const char **exprs = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t total = 0;
	int ret = VG_OK;

	rs->scan = choose_scan(&rs->plat, &rs->has_plat, log);
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
		/* the database's patterns first (ids are indexes), then the native ones */
		for (int native = 0; native < 2; native++) {
			size_t nat = 0;
			for (size_t i = 0; i < rs->n; i++) {
				const struct rule *r = &rs->rules[i];
				if (!(r->fields & (1u << f)))
					continue;
				for (size_t p = 0; p < r->npats; p++) {
					const struct pattern *pt = &r->pats[p];
					bool is_native = pt->native && scan_nul((enum rule_field)f) &&
					    nat++ < NAT_MAX;
					if (is_native != native)
						continue;
					if (native) {
						rules_native_add(&fd->natives, pt->native);
					} else {
						exprs[n] = pattern_expr(pt, (enum rule_field)f);
						flags[n] = pattern_hs_flags(pt);
						ids[n] = (unsigned)n;
					}
					fd->refs[n].rule = (uint32_t)i;
					fd->refs[n].pat = (uint32_t)p;
					n++;
				}
			}
			if (!native)
				fd->nhs = n;
		}
		fd->nrefs = n;
		if (n == 0)
			continue;
		rs->used_fields |= 1u << f;
		n = fd->nhs;
		if (n == 0)
			continue;
		struct rules_cache_key key;
		if (cache_dir) {
			rules_cache_key(exprs, flags, n, ruleset_platform(rs), &key);
			if (rules_cache_get(cache_dir, &key, &fd->db, log) == VG_OK)
				continue;
		}
		if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK,
		    ruleset_platform(rs), &fd->db,
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
out:
	free(exprs);
	free(flags);
	free(ids);
	return ret;
}
