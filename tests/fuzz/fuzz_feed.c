/* libFuzzer harness for the vulnerability feed parsers (OSV, CVE JSON 5, Debian tracker,
 * CISA KEV) and version comparison: the input is a JSON document parsed as each format
 * in turn into a sink that compares every version it is given. Any outcome is fine
 * except a crash, a leak, or a failure without a message. */
#include "assess/feed.h"
#include "assess/vers.h"
#include "core/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
adv(void *arg, const char *id, const char *aliases, const char *summary, int sev)
{
	(void)arg, (void)aliases, (void)summary;
	if (!id || sev < 0 || sev > 4)
		abort();
	return VG_OK;
}

static int
range(void *arg, const struct feed_range *r)
{
	int c;
	(void)arg;
	if (!r->vuln_id || !r->ecosystem || !r->package)
		abort();
	/* every bound must be comparable or refused, never crash the comparison */
	if (r->introduced)
		vers_cmp(r->scheme, r->introduced, r->fixed ? r->fixed : r->introduced, &c);
	if (r->last_affected)
		vers_cmp(r->scheme, r->last_affected, "1.0-1", &c);
	return VG_OK;
}

static int
kev(void *arg, const char *cve, const char *v, const char *p, const char *n, const char *a,
    const char *d, const char *r)
{
	(void)arg, (void)v, (void)p, (void)n, (void)a, (void)d, (void)r;
	if (!cve)
		abort();
	return VG_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_sink sink = { .advisory = adv, .range = range, .kev = kev };
	json_error_t je;
	char err[256];
	json_t *doc = json_loadb((const char *)data, size, JSON_ALLOW_NUL, &je);

	if (!doc)
		return 0;
	for (int f = FEED_AUTO; f <= FEED_KEV; f++) {
		size_t skipped = 0;
		err[0] = '\0';
		int r = feed_parse((enum feed_format)f, doc, &sink, &skipped, err, sizeof(err));
		if (r != VG_OK && r != VG_ERR_FORMAT)
			abort();
	}
	json_decref(doc);
	return 0;
}
