/* `vigil assess tls HOST:PORT`: the TLS side of a service, judged with OpenSSL
 * handshakes of our own: old protocols accepted (SSLv3 where the library can still
 * offer it, TLS 1.0, TLS 1.1), weak ciphers accepted (NULL, anonymous, export,
 * DES/3DES, RC4, MD5), and the certificate: expired, not yet valid, expiring soon,
 * not matching the host name, self-signed. Nothing is sent but handshakes. */
#ifndef VG_TLS_H
#define VG_TLS_H

#include "assess/webcheck.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tls_opts {
	long timeout_ms;	/* per connection; 0 = 5000 */
	int expiry_days;	/* "expiring soon" below this many days; 0 = 30 */
	bool internal;		/* the asset register says it is not internet-facing:
				 * a self-signed certificate is then not a finding */
	const char *only;	/* run only this check id (recheck), or NULL */
};

struct tls_stats {
	size_t handshakes;	/* attempted */
	size_t untested;	/* protocol/cipher probes this OpenSSL cannot offer */
	char protocol[16];	/* best protocol negotiated ("TLSv1.3") */
	char cipher[64];	/* and its cipher */
	char not_after[32];	/* the certificate's end of validity, UTC */
};

/* Check ids, for recheck and the README. */
extern const char *const tls_check_ids[];

/* Splits "HOST:PORT", "[V6]:PORT" or "HOST" (port 443) into host and port. 0 or
 * VG_ERR_INVAL. */
int tls_parse_target(const char *target, char *host, size_t hsize, char *port, size_t psize);

/* Runs the checks against target; fn gets each failed one (family "tls", target
 * as given, normalised to HOST:PORT). *st is cleared first. 0; VG_ERR_INVAL for a
 * bad target or unknown o->only; VG_ERR_IO when no handshake completed at all
 * (why says why); what fn returned, if not 0. */
int tls_check_target(const char *target, int64_t asset_id, const struct tls_opts *o,
    wc_finding_fn fn, void *arg, struct tls_stats *st, char *why, size_t whysz);

#endif
