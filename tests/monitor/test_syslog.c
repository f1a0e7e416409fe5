/* Unit tests for the syslog receiver: UDP datagrams, TCP newline and RFC 6587
 * octet-counted framing, size and connection limits, and refused messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "monitor/syslog_recv.h"

#define MAX_GOT 2048

struct got {
	char *line[MAX_GOT];
	bool truncated[MAX_GOT];
	char path[MAX_GOT][96];
	size_t n;
	bool refuse_next;
};

static int
collect(const struct source_line *l, void *arg)
{
	struct got *g = arg;
	if (g->refuse_next) {
		g->refuse_next = false;
		return 5;
	}
	assert_true(g->n < MAX_GOT);
	assert_null(memchr(l->data, '\n', l->len));
	g->line[g->n] = malloc(l->len + 1);
	memcpy(g->line[g->n], l->data, l->len);
	g->line[g->n][l->len] = '\0';
	g->truncated[g->n] = l->truncated;
	snprintf(g->path[g->n], sizeof(g->path[0]), "%s", l->path);
	g->n++;
	return 0;
}

static void
got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->line[i]);
	memset(g, 0, sizeof(*g));
}

static int
count_only(const struct source_line *l, void *arg)
{
	(void)l;
	(*(long *)arg)++;
	return 0;
}

/* Processes until want lines arrived or ~2 s passed. */
static void
pump(struct syslog_recv *s, struct got *g, size_t want)
{
	for (int i = 0; i < 200 && g->n < want; i++) {
		syslog_recv_process(s, collect, g);
		if (g->n < want) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
}

static struct syslog_recv *
recv_on(const char *addr, size_t max_line, size_t max_conns)
{
	struct syslog_recv *s = NULL;
	char err[256];
	assert_int_equal(syslog_recv_new(NULL, max_line, max_conns, &s), VG_OK);
	assert_int_equal(syslog_recv_listen(s, addr, err, sizeof(err)), VG_OK);
	assert_true(syslog_recv_port(s, 0) > 0);
	return s;
}

static int
connect_to(int type, unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, type, 0);
	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static void
send_all(int fd, const char *s, size_t n)
{
	assert_int_equal(send(fd, s, n, 0), (ssize_t)n);
}

static void
test_udp_datagram_is_one_message_with_peer_as_path(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct syslog_recv *s = recv_on("udp://127.0.0.1:0", 1024, 0);
	int fd = connect_to(SOCK_DGRAM, syslog_recv_port(s, 0));
	const char *m = "<34>Oct 11 22:14:15 mymachine su: 'su root' failed\r\n";
	send_all(fd, m, strlen(m));
	send_all(fd, "a\nb\n", 4);	/* some senders batch lines in one datagram */
	pump(s, &g, 3);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.line[0], "<34>Oct 11 22:14:15 mymachine su: 'su root' failed");
	assert_string_equal(g.line[2], "b");
	assert_true(strncmp(g.path[0], "udp://127.0.0.1:", 16) == 0);
	close(fd);
	got_free(&g);
	syslog_recv_free(s);
}

static void
test_tcp_newline_framing_joins_split_writes(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct syslog_recv *s = recv_on("tcp://127.0.0.1:0", 1024, 0);
	int fd = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	send_all(fd, "<13>Nov 24 10:00:00 h app: hel", 30);
	pump(s, &g, 1);
	assert_int_equal(g.n, 0);
	send_all(fd, "lo\n<13>second\n", 14);
	pump(s, &g, 2);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.line[0], "<13>Nov 24 10:00:00 h app: hello");
	assert_string_equal(g.line[1], "<13>second");
	assert_true(strncmp(g.path[0], "tcp://127.0.0.1:", 16) == 0);
	close(fd);
	got_free(&g);
	syslog_recv_free(s);
}

static void
test_tcp_octet_counting_takes_exactly_len_bytes(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct syslog_recv *s = recv_on("tcp://127.0.0.1:0", 1024, 0);
	int fd = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	/* two frames back to back, no separator, the second split in two writes */
	const char *a = "<165>1 2026-11-24T10:00:00Z h app - - - first";
	char frame[256];
	int n = snprintf(frame, sizeof(frame), "%zu %s", strlen(a), a);
	send_all(fd, frame, (size_t)n);
	send_all(fd, "15 <1>1 - - sec", 15);
	pump(s, &g, 1);
	send_all(fd, "ond", 3);
	pump(s, &g, 2);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.line[0], a);
	assert_string_equal(g.line[1], "<1>1 - - second");
	/* a multi-line message stays one line: inner LF -> space, trailing LF dropped */
	send_all(fd, "7 <1>x\ny\n", 9);
	pump(s, &g, 3);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.line[2], "<1>x y");
	close(fd);
	got_free(&g);
	syslog_recv_free(s);
}

static void
test_overlong_messages_are_cut_flagged_and_stream_stays_in_sync(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct syslog_recv *s = recv_on("tcp://127.0.0.1:0", 256, 0);
	int fd = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	char big[2000];
	memset(big, 'z', sizeof(big));
	send_all(fd, "2000 ", 5);
	send_all(fd, big, sizeof(big));	/* octet-counted, too long */
	send_all(fd, big, sizeof(big));	/* newline-framed, too long */
	send_all(fd, "\nafter\n", 7);
	pump(s, &g, 3);
	assert_int_equal(g.n, 3);
	assert_int_equal(strlen(g.line[0]), 256);
	assert_true(g.truncated[0]);
	assert_int_equal(strlen(g.line[1]), 256);
	assert_true(g.truncated[1]);
	assert_string_equal(g.line[2], "after");
	assert_false(g.truncated[2]);
	close(fd);
	got_free(&g);
	syslog_recv_free(s);
}

static void
test_closed_connection_delivers_unterminated_message(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct syslog_recv *s = recv_on("tcp://127.0.0.1:0", 1024, 0);
	int fd = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	send_all(fd, "no newline at end", 17);
	close(fd);
	pump(s, &g, 1);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.line[0], "no newline at end");
	got_free(&g);
	syslog_recv_free(s);
}

static void
test_connections_beyond_limit_are_refused_and_counted(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct syslog_stats st;
	struct syslog_recv *s = recv_on("tcp://127.0.0.1:0", 1024, 1);
	int a = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	pump(s, &g, 0);
	syslog_recv_process(s, collect, &g);
	int b = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	for (int i = 0; i < 100; i++) {
		syslog_recv_process(s, collect, &g);
		syslog_recv_get_stats(s, &st);
		if (st.conns_dropped)
			break;
		usleep(10000);
	}
	assert_int_equal(st.conns_accepted, 1);
	assert_int_equal(st.conns_dropped, 1);
	send_all(a, "kept\n", 5);
	pump(s, &g, 1);
	assert_string_equal(g.line[0], "kept");
	close(a);
	close(b);
	got_free(&g);
	syslog_recv_free(s);
}

static void
test_idle_connection_is_closed_and_its_slot_freed(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct syslog_stats st;
	struct syslog_recv *s = recv_on("tcp://127.0.0.1:0", 1024, 1);
	syslog_recv_set_idle_timeout(s, 100);
	int a = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	send_all(a, "half a mess", 11);
	pump(s, &g, 1);	/* ~2 s at most: the idle close delivers the partial message */
	assert_int_equal(g.n, 1);
	assert_string_equal(g.line[0], "half a mess");
	syslog_recv_get_stats(s, &st);
	assert_int_equal(st.conns_idle_closed, 1);
	int b = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	send_all(b, "second peer\n", 12);
	pump(s, &g, 2);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.line[1], "second peer");
	close(a);
	close(b);
	got_free(&g);
	syslog_recv_free(s);
}

static void
test_refused_message_is_delivered_again(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct syslog_recv *s = recv_on("udp://127.0.0.1:0", 1024, 0);
	int fd = connect_to(SOCK_DGRAM, syslog_recv_port(s, 0));
	send_all(fd, "m1\nm2\n", 6);
	g.refuse_next = true;
	for (int i = 0; i < 100; i++) {
		int r = syslog_recv_process(s, collect, &g);
		if (r == 5)
			break;
		usleep(10000);
	}
	assert_int_equal(g.n, 0);
	pump(s, &g, 2);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.line[0], "m1");
	assert_string_equal(g.line[1], "m2");
	close(fd);
	got_free(&g);
	syslog_recv_free(s);
}

/* Random messages, each framed at random as octet-counted or LF-terminated, sent
 * in random pieces: all arrive, whole and in order. */
static void
test_mixed_framing_in_random_pieces_keeps_every_message(void **state)
{
	(void)state;
	enum { N = 300 };
	struct got g = { 0 };
	struct syslog_recv *s = recv_on("tcp://127.0.0.1:0", 1024, 0);
	int fd = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	char *msgs[N], *stream = malloc(N * 600);
	size_t len = 0, sent = 0, checked = 0;
	unsigned seed = 777;
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		size_t ml = 5 + (seed >> 16) % 500;
		msgs[i] = malloc(ml + 1);
		msgs[i][0] = '<';
		for (size_t j = 1; j < ml; j++) {
			seed = seed * 1103515245u + 12345u;
			msgs[i][j] = (char)(' ' + (seed >> 16) % 94);	/* printable, no LF */
		}
		msgs[i][ml] = '\0';
		if ((seed >> 20) & 1)
			len += (size_t)sprintf(stream + len, "%zu %s", ml, msgs[i]);
		else
			len += (size_t)sprintf(stream + len, "%s\n", msgs[i]);
	}
	while (sent < len) {
		seed = seed * 1103515245u + 12345u;
		size_t n = 1 + (seed >> 16) % 700;
		if (n > len - sent)
			n = len - sent;
		send_all(fd, stream + sent, n);
		sent += n;
		syslog_recv_process(s, collect, &g);
		for (size_t i = 0; i < g.n; i++)
			assert_string_equal(g.line[i], msgs[checked++]);
		got_free(&g);
	}
	for (int k = 0; k < 200 && checked < N; k++) {
		syslog_recv_process(s, collect, &g);
		for (size_t i = 0; i < g.n; i++)
			assert_string_equal(g.line[i], msgs[checked++]);
		got_free(&g);
		usleep(5000);
	}
	assert_int_equal(checked, N);
	for (int i = 0; i < N; i++)
		free(msgs[i]);
	free(stream);
	close(fd);
	syslog_recv_free(s);
}

/* Garbage in every framing state: never a crash, never a line over max_line. */
static void
test_garbage_stream_is_survived_within_limits(void **state)
{
	(void)state;
	struct got g = { 0 };
	struct syslog_recv *s = recv_on("tcp://127.0.0.1:0", 256, 0);
	int fd = connect_to(SOCK_STREAM, syslog_recv_port(s, 0));
	static const char alphabet[] = "0123456789 \n\r\0<>xz\xff";
	char buf[4096];
	unsigned seed = 4242;
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		send_all(fd, buf, sizeof(buf));
		syslog_recv_process(s, collect, &g);
		for (size_t i = 0; i < g.n; i++)
			assert_true(strlen(g.line[i]) <= 256);
		got_free(&g);
	}
	close(fd);
	pump(s, &g, 1000000);	/* drains until the connection is gone */
	got_free(&g);
	syslog_recv_free(s);
}

/* A burst larger than the socket buffer: every datagram is either delivered or
 * counted as dropped by the kernel; none vanishes silently. */
static void
test_udp_burst_losses_are_counted(void **state)
{
	(void)state;
	enum { SENT = 20000 };
	struct syslog_recv *s = recv_on("udp://127.0.0.1:0", 2048, 0);
	struct syslog_stats st;
	int fd = connect_to(SOCK_DGRAM, syslog_recv_port(s, 0));
	long delivered = 0;
	char msg[1000];
	memset(msg, 'u', sizeof(msg));
	for (int i = 0; i < SENT; i++)
		send(fd, msg, sizeof(msg), 0);	/* ECONNREFUSED/ENOBUFS never apply here */
	for (;;) {
		int r = syslog_recv_process(s, count_only, &delivered);
		assert_true(r >= 0);
		if (r == 0)
			break;
	}
	/* drops after the last queued datagram are reported with the next one */
	send_all(fd, "final", 5);
	for (int i = 0; i < 100; i++) {
		long before = delivered;
		syslog_recv_process(s, count_only, &delivered);
		if (delivered > before)
			break;
		usleep(10000);
	}
	syslog_recv_get_stats(s, &st);
	assert_true(st.udp_kernel_drops > 0);
	assert_int_equal((uint64_t)delivered + st.udp_kernel_drops, SENT + 1);
	close(fd);
	syslog_recv_free(s);
}

static void
test_bad_addresses_are_refused_with_reason(void **state)
{
	(void)state;
	char host[64], err[256];
	unsigned port;
	bool tcp;
	assert_int_equal(syslog_addr_parse("tcp://[::1]:514", &tcp, host, sizeof(host), &port,
	    err, sizeof(err)), VG_OK);
	assert_true(tcp);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 514);
	assert_int_equal(syslog_addr_parse("http://x:1", &tcp, host, sizeof(host), &port, err,
	    sizeof(err)), VG_ERR_PARSE);
	assert_non_null(strstr(err, "http://x:1"));
	assert_int_equal(syslog_addr_parse("udp://x", &tcp, host, sizeof(host), &port, err,
	    sizeof(err)), VG_ERR_PARSE);
	assert_int_equal(syslog_addr_parse("udp://x:99999", &tcp, host, sizeof(host), &port, err,
	    sizeof(err)), VG_ERR_PARSE);
	assert_int_equal(syslog_addr_parse("udp://:514", &tcp, host, sizeof(host), &port, err,
	    sizeof(err)), VG_ERR_PARSE);
	syslog_recv_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_datagram_is_one_message_with_peer_as_path),
		cmocka_unit_test(test_tcp_newline_framing_joins_split_writes),
		cmocka_unit_test(test_tcp_octet_counting_takes_exactly_len_bytes),
		cmocka_unit_test(test_overlong_messages_are_cut_flagged_and_stream_stays_in_sync),
		cmocka_unit_test(test_closed_connection_delivers_unterminated_message),
		cmocka_unit_test(test_connections_beyond_limit_are_refused_and_counted),
		cmocka_unit_test(test_idle_connection_is_closed_and_its_slot_freed),
		cmocka_unit_test(test_refused_message_is_delivered_again),
		cmocka_unit_test(test_mixed_framing_in_random_pieces_keeps_every_message),
		cmocka_unit_test(test_garbage_stream_is_survived_within_limits),
		cmocka_unit_test(test_udp_burst_losses_are_counted),
		cmocka_unit_test(test_bad_addresses_are_refused_with_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
