/* One look at a website from outside, as its visitors get it: DNS answers (A/AAAA
 * through the system resolver, NS from the zone's servers), then the page over
 * libcurl (redirects followed, certificate checked and its expiry read). */
#ifndef VG_INV_SITEWATCH_FETCH_H
#define VG_INV_SITEWATCH_FETCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FETCH_BODY_MAX (2 << 20)

struct site_fetch {
	char host[256];
	json_t *dns_a;		/* sorted addresses; [] when resolution failed */
	json_t *dns_ns;		/* sorted name servers; [] when none or not asked */
	long status;		/* HTTP status, 0 when no response */
	long ms;		/* total time */
	char err[256];		/* why there is no response; "" when there is one */
	bool tls_bad;		/* the certificate chain or name did not verify */
	char tls_err[256];
	int64_t tls_not_after;	/* µs since the epoch; 0 when not HTTPS or unknown */
	char final_url[2048];	/* after redirects */
	char *body;		/* at most FETCH_BODY_MAX bytes, NUL-terminated */
	size_t len;
};

/* Fetches url (http or https only). ca_file: PEM to verify against instead of
 * the system store (NULL = system). A failed fetch is not an error: f->err says
 * why. 0, VG_ERR_INVAL (not an http(s) URL) or VG_ERR_NOMEM. Free with
 * site_fetch_free (also after a failure). */
int site_fetch(const char *url, const char *ca_file, long timeout_s, struct site_fetch *f);
void site_fetch_free(struct site_fetch *f);

/* Parses curl's certificate "Expire date" text (either "Dec 31 00:00:00 2026
 * GMT" or "2026-12-31 00:00:00 GMT") into µs; 0 when it does not parse. */
int64_t site_fetch_parse_expiry(const char *s);

#endif
