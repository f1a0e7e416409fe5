/* libFuzzer harness for the syslog TCP framing (octet counting and LF framing):
 * the input is written into a socket pair whose other end the receiver adopts,
 * then read to the end. Checks the source contract: every message is at most
 * max_line bytes, holds no LF, and a truncated one is exactly max_line long. */
#include "core/err.h"
#include "monitor/syslog_recv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FUZZ_MAX_LINE 256

static int
check(const struct source_line *l, void *arg)
{
	(void)arg;
	if (l->len > FUZZ_MAX_LINE || l->len == 0 || memchr(l->data, '\n', l->len))
		abort();
	if (l->truncated && l->len != FUZZ_MAX_LINE)
		abort();
	if (strcmp(l->source, "fuzz") != 0 || strcmp(l->path, "peer") != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syslog_recv *s = NULL;
	int sv[2];
	size_t off = 0;

	if (size > 100000)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		abort();
	int sz = 1 << 20;
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	while (off < size) {
		ssize_t n = write(sv[1], data + off, size - off);
		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	close(sv[1]);
	if (syslog_recv_new(NULL, FUZZ_MAX_LINE, 1, &s) != VG_OK)
		abort();
	if (syslog_recv_adopt(s, sv[0], "fuzz", "peer") != VG_OK)
		abort();
	/* each call reads at most 64 KiB; a few rounds reach EOF and the close */
	for (int i = 0; i < 8; i++)
		if (syslog_recv_process(s, check, NULL) < 0)
			abort();
	syslog_recv_free(s);
	return 0;
}
