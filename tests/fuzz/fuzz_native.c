/* libFuzzer harness for the native start checks (rules_native.c): on any value, as
 * normalised for matching, each shipped pattern served natively must give PCRE2's
 * own verdict and leftmost span (its interpreter, over the whole value). A check
 * that is not a necessary condition, or a "from" past a match's start, aborts. */
#include "core/err.h"
#include "monitor/normalize.h"
#include "monitor/rules_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct probe {
	const pcre2_code *re;
	const char *v;
	size_t len;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	int rc;
	size_t so, eo;
};

static uint64_t
confirm(void *arg, unsigned i, size_t from)
{
	struct probe *p = arg;
	(void)i;
	p->rc = pcre2_match(p->re, (PCRE2_SPTR)p->v, p->len, from, PCRE2_NO_JIT, p->md, p->mc);
	if (p->rc >= 0) {
		p->so = pcre2_get_ovector_pointer(p->md)[0];
		p->eo = pcre2_get_ovector_pointer(p->md)[1];
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ruleset *rs;
	static pcre2_match_data *md;
	static pcre2_match_context *mc;
	char norm[1024];
	size_t nlen;

	if (!rs) {
		char *errors = NULL;
		if (ruleset_load("rules/http/sqli.yaml", 0, NULL, &rs, &errors) != VG_OK ||
		    rs->dbs[RULE_F_URL].natives.n == 0)
			abort();	/* run from the source tree (tests/fuzz/run does) */
		md = pcre2_match_data_create(1, NULL);
		mc = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(mc, RULE_PCRE_MATCH_LIMIT);
	}
	if (size > 600)
		return 0;
	normalize_field((const char *)data, size, norm, sizeof(norm), &nlen);
	const struct field_db *fd = &rs->dbs[RULE_F_URL];
	for (size_t k = 0; k < fd->natives.n; k++) {
		const struct pat_ref *ref = &fd->refs[fd->nhs + k];
		const struct pattern *pt = &rs->rules[ref->rule].pats[ref->pat];
		struct probe p = { pt->re, norm, nlen, md, mc, PCRE2_ERROR_NOMATCH, 0, 0 };
		int want = pcre2_match(pt->re, (PCRE2_SPTR)norm, nlen, 0, PCRE2_NO_JIT, md, mc);
		size_t so = want >= 0 ? pcre2_get_ovector_pointer(md)[0] : 0;
		size_t eo = want >= 0 ? pcre2_get_ovector_pointer(md)[1] : 0;

		if (want < 0 && want != PCRE2_ERROR_NOMATCH)
			continue;	/* match limit: PCRE2 has no verdict to compare with */
		rules_native_scan(&fd->natives, norm, nlen, 1ull << k, confirm, &p);
		if ((want >= 0) != (p.rc >= 0) || (want >= 0 && (so != p.so || eo != p.eo))) {
			fprintf(stderr, "native '%s': pcre2 %d [%zu,%zu) native %d [%zu,%zu) on '%s'\n",
			    pt->text, want, so, eo, p.rc, p.so, p.eo, norm);
			abort();
		}
	}
	return 0;
}
