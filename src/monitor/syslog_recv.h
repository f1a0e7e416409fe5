/* Syslog receiver: UDP datagrams and TCP streams (newline framing or RFC 6587
 * octet counting) on configured addresses, delivered as source_lines whose path
 * is the peer address. Payloads (RFC 3164 / 5424) are passed on unparsed. */
#ifndef VG_SYSLOG_RECV_H
#define VG_SYSLOG_RECV_H

#include "core/log.h"
#include "monitor/source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct syslog_recv;

#define SYSLOG_MAX_LISTENERS 16
#define SYSLOG_MAX_CONNS_DEFAULT 256
#define SYSLOG_IDLE_MS_DEFAULT (10 * 60 * 1000)

struct syslog_stats {
	uint64_t lines;			/* delivered */
	uint64_t truncated;		/* lines cut to max_line */
	uint64_t conns_accepted;
	uint64_t conns_dropped;		/* refused: max connections reached */
	uint64_t conns_idle_closed;	/* closed after idle_ms without data */
	uint64_t bad_frames;		/* octet-count frame with an invalid length */
	uint64_t empty;			/* empty datagrams/lines ignored */
	uint64_t io_errors;
	uint64_t udp_kernel_drops;	/* datagrams the kernel dropped (SO_RXQ_OVFL) */
};

/* New receiver for lines of at most max_line bytes (256..64 MiB) and at most
 * max_conns TCP connections (0 = default). lg may be NULL. Caller frees. */
int syslog_recv_new(const struct vg_logger *lg, size_t max_line, size_t max_conns,
    struct syslog_recv **out);
/* Accepts NULL; closes every socket. */
void syslog_recv_free(struct syslog_recv *s);

/* Every line delivered carries tag (borrowed) in source_line.tag. */
void syslog_recv_set_tag(struct syslog_recv *s, void *tag);

/* TCP connections silent for idle_ms are closed (what they sent is still
 * delivered), checked on each syslog_recv_process; 0 = never. Default 10 min. */
void syslog_recv_set_idle_timeout(struct syslog_recv *s, unsigned idle_ms);

/* Splits "udp://HOST:PORT" / "tcp://HOST:PORT" ("[v6]:PORT" for IPv6).
 * VG_ERR_PARSE with a reason in err if malformed. */
int syslog_addr_parse(const char *addr, bool *is_tcp, char *host, size_t host_size,
    unsigned *port, char *err, size_t err_size);

/* Binds and listens on addr (see syslog_addr_parse). VG_ERR_PARSE for a bad
 * address, VG_ERR_IO if it cannot bind (err names the address and cause). */
int syslog_recv_listen(struct syslog_recv *s, const char *addr, char *err, size_t err_size);
/* Port actually bound by listener i (useful after binding port 0); 0 if none. */
unsigned syslog_recv_port(const struct syslog_recv *s, size_t i);

/* Takes over an already connected stream socket fd (made non-blocking) and
 * reads it as a TCP syslog connection labelled source, with peer as the path;
 * for inherited sockets and tests. On success the receiver closes fd; on
 * failure (VG_ERR_LIMIT at max connections) the caller still owns it. */
int syslog_recv_adopt(struct syslog_recv *s, int fd, const char *source, const char *peer);

/* One fd (an epoll fd of its own) that is readable when any socket is. */
int syslog_recv_fd(const struct syslog_recv *s);

/* Reads what is ready on every socket without blocking and calls fn per
 * message. If fn returns non-zero the message is kept, delivered first on the
 * next call, and that value is returned; otherwise the number of lines. */
int syslog_recv_process(struct syslog_recv *s, source_line_fn fn, void *arg);

void syslog_recv_get_stats(const struct syslog_recv *s, struct syslog_stats *out);

#endif
