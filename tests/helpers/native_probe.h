/* One native start check (rules_native.c) against PCRE2's interpreter alone on one
 * value: the unit test and the fuzz harness both judge by it. Header-only, as each
 * unit test is built from its one .c file. */
#ifndef VG_TEST_NATIVE_PROBE_H
#define VG_TEST_NATIVE_PROBE_H

#include "monitor/rules_int.h"

struct native_verdict {
	int want, got;		/* PCRE2 alone, and through the native check */
	size_t want_so, want_eo, got_so, got_eo;
};

struct native_probe {
	const pcre2_code *re;
	const char *v;
	size_t len;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	struct native_verdict *out;
};

/* native_confirm_fn: PCRE2's interpreter from where the native check said. */
static inline uint64_t
native_probe_confirm(void *arg, unsigned i, size_t from)
{
	struct native_probe *p = arg;
	(void)i;
	p->out->got = pcre2_match(p->re, (PCRE2_SPTR)p->v, p->len, from, PCRE2_NO_JIT, p->md,
	    p->mc);
	if (p->out->got >= 0) {
		p->out->got_so = pcre2_get_ovector_pointer(p->md)[0];
		p->out->got_eo = pcre2_get_ovector_pointer(p->md)[1];
	}
	return 0;
}

/* Native member k of fd on v: whether its verdict or leftmost span differs from
 * PCRE2's (a PCRE2 match-limit error has no verdict: never a difference). */
static inline bool
native_differs(const struct field_db *fd, const struct pattern *pt, size_t k, const char *v,
    size_t len, pcre2_match_data *md, pcre2_match_context *mc, struct native_verdict *out)
{
	struct native_probe p = { pt->re, v, len, md, mc, out };

	*out = (struct native_verdict){ .got = PCRE2_ERROR_NOMATCH };
	out->want = pcre2_match(pt->re, (PCRE2_SPTR)v, len, 0, PCRE2_NO_JIT, md, mc);
	if (out->want < 0 && out->want != PCRE2_ERROR_NOMATCH)
		return false;
	if (out->want >= 0) {
		out->want_so = pcre2_get_ovector_pointer(md)[0];
		out->want_eo = pcre2_get_ovector_pointer(md)[1];
	}
	rules_native_scan(&fd->natives, v, len, 1ull << k, native_probe_confirm, &p);
	return (out->want >= 0) != (out->got >= 0) ||
	    (out->want >= 0 && (out->want_so != out->got_so || out->want_eo != out->got_eo));
}

#endif
