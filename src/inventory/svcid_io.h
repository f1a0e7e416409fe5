/* Deadline-bounded socket I/O for service identification, plain or through an
 * OpenSSL session on the same non-blocking descriptor: every call takes an
 * absolute deadline (portscan_now_us clock) and never waits past it. */
#ifndef VG_INV_SVCIO_H
#define VG_INV_SVCIO_H

#include "inventory/target.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

struct svc_io {
	int fd;
	SSL *ssl;	/* non-NULL after a handshake */
};

/* Connects to addr:port; 0 with io->fd set, VG_ERR_IO on refusal/time-out. */
int svcio_connect(struct svc_io *io, const struct inv_addr *addr, uint16_t port,
    int64_t deadline);
/* Sends all of buf; 0 or VG_ERR_IO. */
int svcio_write(struct svc_io *io, const void *buf, size_t len, int64_t deadline);
/* Reads what arrives before the deadline: >0 bytes, 0 = peer closed, VG_ERR_IO =
 * error, VG_ERR_BUSY = the deadline passed with nothing read. */
ssize_t svcio_read(struct svc_io *io, void *buf, size_t len, int64_t deadline);
/* TLS client handshake on io->fd (SNI = sni unless NULL or an address);
 * version 0 = any, else a TLS1_x_VERSION to pin. 0 or VG_ERR_IO. */
int svcio_tls(struct svc_io *io, SSL_CTX *ctx, const char *sni, int version, int64_t deadline);
/* Shuts TLS down (no wait) and closes; safe on a closed io. */
void svcio_close(struct svc_io *io);

#endif
