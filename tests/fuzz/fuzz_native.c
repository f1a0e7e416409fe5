/* libFuzzer harness for the native start checks (rules_native.c): on any value, as
 * normalised for matching, each shipped pattern served natively must give PCRE2's
 * own verdict and leftmost span (its interpreter, over the whole value). A check
 * that is not a necessary condition, or a "from" past a match's start, aborts. */
#include "core/err.h"
#include "monitor/normalize.h"
#include "monitor/rules_int.h"
#include "../helpers/native_probe.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		struct native_verdict nv;

		if (native_differs(fd, pt, k, norm, nlen, md, mc, &nv)) {
			fprintf(stderr, "native '%s': pcre2 %d [%zu,%zu) native %d [%zu,%zu) on '%s'\n",
			    pt->text, nv.want, nv.want_so, nv.want_eo, nv.got, nv.got_so, nv.got_eo,
			    norm);
			abort();
		}
	}
	return 0;
}
