/* What a TLS handshake tells about a service: the negotiated version and the
 * leaf certificate (subject, issuer, SANs, expiry), and which protocol versions
 * the server accepts. SAN names are new targets for the caller to report. */
#ifndef VG_INV_TLSID_H
#define VG_INV_TLSID_H

#include "inventory/svc_result.h"
#include "inventory/svcid_io.h"

/* A client context for scanning: no verification (we record, we do not trust),
 * every version the library allows. NULL on failure; SSL_CTX_free. */
SSL_CTX *tlsid_ctx_new(void);

/* Fills r's tls fields from the session on io (after svcio_tls). */
void tlsid_read(struct svc_io *io, struct svc_result *r);

/* One handshake per protocol version (TLS 1.0 to 1.3, SSL 3 when the library has
 * it) to addr:port, each with its own deadline of per_us; writes the accepted
 * ones ("TLSv1.2,TLSv1.3") into r->tls_versions. */
void tlsid_versions(SSL_CTX *ctx, const struct inv_addr *addr, uint16_t port,
    const char *sni, int64_t per_us, struct svc_result *r);

#endif
