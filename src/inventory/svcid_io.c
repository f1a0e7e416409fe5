/* Socket and TLS I/O with deadlines for svcid: non-blocking descriptors, poll()
 * for readiness, OpenSSL's WANT_READ/WANT_WRITE turned into the same polls. */
#include "inventory/svcid_io.h"
#include "inventory/portscan.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - portscan_now_us();
		if (left <= 0)
			return VG_ERR_BUSY;
		struct pollfd p = { .fd = fd, .events = events };
		int r = poll(&p, 1, (int)((left + 999) / 1000));
		if (r > 0)
			return VG_OK;
		if (r < 0 && errno != EINTR)
			return VG_ERR_IO;
	}
}

int
svcio_connect(struct svc_io *io, const struct inv_addr *addr, uint16_t port, int64_t deadline)
{
	struct sockaddr_storage ss;
	unsigned len = target_sockaddr(addr, port, &ss);
	int err = 0;
	socklen_t el = sizeof(err);

	io->ssl = NULL;
	io->fd = socket(addr->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (io->fd < 0)
		return VG_ERR_IO;
	if (connect(io->fd, (struct sockaddr *)&ss, len) == 0)
		return VG_OK;
	if (errno != EINPROGRESS || wait_fd(io->fd, POLLOUT, deadline) != VG_OK ||
	    getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err != 0) {
		close(io->fd);
		io->fd = -1;
		return VG_ERR_IO;
	}
	return VG_OK;
}

/* Waits for what OpenSSL asked for; VG_OK to retry the call, else an error. */
static int
ssl_wait(struct svc_io *io, int ret, int64_t deadline)
{
	int e = SSL_get_error(io->ssl, ret);
	if (e == SSL_ERROR_WANT_READ)
		return wait_fd(io->fd, POLLIN, deadline);
	if (e == SSL_ERROR_WANT_WRITE)
		return wait_fd(io->fd, POLLOUT, deadline);
	if (e == SSL_ERROR_ZERO_RETURN)
		return 1;
	return VG_ERR_IO;
}

int
svcio_write(struct svc_io *io, const void *buf, size_t len, int64_t deadline)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n;
		if (io->ssl) {
			int r = SSL_write(io->ssl, p, (int)len);
			if (r <= 0) {
				if (ssl_wait(io, r, deadline) != VG_OK)
					return VG_ERR_IO;
				continue;
			}
			n = r;
		} else {
			n = send(io->fd, p, len, MSG_NOSIGNAL);
			if (n < 0) {
				if ((errno == EAGAIN || errno == EINTR) &&
				    wait_fd(io->fd, POLLOUT, deadline) == VG_OK)
					continue;
				return VG_ERR_IO;
			}
		}
		p += n;
		len -= (size_t)n;
	}
	return VG_OK;
}

ssize_t
svcio_read(struct svc_io *io, void *buf, size_t len, int64_t deadline)
{
	for (;;) {
		if (io->ssl) {
			ERR_clear_error();
			int r = SSL_read(io->ssl, buf, (int)len);
			if (r > 0)
				return r;
			int w = ssl_wait(io, r, deadline);
			if (w == 1)
				return 0;
			if (w != VG_OK)
				return w == VG_ERR_BUSY ? VG_ERR_BUSY :
				    SSL_get_error(io->ssl, r) == SSL_ERROR_SYSCALL ? 0 : VG_ERR_IO;
			continue;
		}
		ssize_t n = recv(io->fd, buf, len, 0);
		if (n >= 0)
			return n;
		if (errno != EAGAIN && errno != EINTR)
			return errno == ECONNRESET ? 0 : VG_ERR_IO;
		int w = wait_fd(io->fd, POLLIN, deadline);
		if (w != VG_OK)
			return w;
	}
}

int
svcio_tls(struct svc_io *io, SSL_CTX *ctx, const char *sni, int version, int64_t deadline)
{
	struct in6_addr tmp;

	if (!(io->ssl = SSL_new(ctx)))
		return VG_ERR_NOMEM;
	if (version) {
		SSL_set_min_proto_version(io->ssl, version);
		SSL_set_max_proto_version(io->ssl, version);
	}
	/* SNI carries names only (RFC 6066) */
	if (sni && inet_pton(AF_INET, sni, &tmp) != 1 && inet_pton(AF_INET6, sni, &tmp) != 1)
		SSL_set_tlsext_host_name(io->ssl, sni);
	SSL_set_fd(io->ssl, io->fd);
	for (;;) {
		ERR_clear_error();
		int r = SSL_connect(io->ssl);
		if (r == 1)
			return VG_OK;
		if (ssl_wait(io, r, deadline) != VG_OK)
			break;
	}
	SSL_free(io->ssl);
	io->ssl = NULL;
	return VG_ERR_IO;
}

void
svcio_close(struct svc_io *io)
{
	if (io->ssl) {
		SSL_set_quiet_shutdown(io->ssl, 1);
		SSL_free(io->ssl);
		io->ssl = NULL;
	}
	if (io->fd >= 0) {
		struct linger lg = { 1, 0 };
		setsockopt(io->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(io->fd);
		io->fd = -1;
	}
}
