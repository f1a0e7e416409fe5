/* Bench: append a line to a watched file -> line delivered by the tailer (and,
 * with a store, -> its position committed), p50/p99/max over N appends made
 * 1 ms apart by a writer thread. Peer: coreutils `tail -F` on the same kind of
 * appends (time until the line comes out of its pipe).
 * Mode "throughput": N nginx-sized lines already in the file, read as fast as
 * the tailer can deliver them (lines/s, one core).
 * Usage: tail_latency DIR N [vigil|vigil-store|tail-F|throughput]; prints one JSON line. */
#include "core/err.h"
#include "core/store.h"
#include "monitor/tail.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct bench {
	char path[512];
	long n;
	int64_t *t0;		/* ns, when line i was written */
	int64_t *lat_deliver;	/* ns, write -> delivered */
	int64_t *lat_commit;	/* ns, write -> position committed (vigil-store) */
	long seen;
};

static int64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *
writer(void *arg)
{
	struct bench *b = arg;
	int fd = open(b->path, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd < 0)
		return NULL;
	for (long i = 0; i < b->n; i++) {
		char line[64];
		int len = snprintf(line, sizeof(line), "%ld %lld\n", i, (long long)now_ns());
		if (write(fd, line, (size_t)len) != len)
			break;
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	close(fd);
	return NULL;
}

/* Line "INDEX T0": records now - T0. */
static void
record(struct bench *b, const char *data, size_t len)
{
	char tmp[64];
	long i;
	long long t0;
	if (len >= sizeof(tmp))
		return;
	memcpy(tmp, data, len);
	tmp[len] = '\0';
	if (sscanf(tmp, "%ld %lld", &i, &t0) != 2 || i < 0 || i >= b->n)
		return;
	b->t0[i] = t0;
	b->lat_deliver[i] = now_ns() - t0;
	b->seen++;
}

static int
on_line(const struct source_line *l, void *arg)
{
	record(arg, l->data, l->len);
	return 0;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void
pct(int64_t *v, long n, double *p50, double *p99, double *max)
{
	qsort(v, (size_t)n, sizeof(*v), cmp64);
	*p50 = (double)v[n / 2] / 1e6;
	*p99 = (double)v[(n * 99) / 100] / 1e6;
	*max = (double)v[n - 1] / 1e6;
}

static int
run_vigil(struct bench *b, const char *dir, bool with_store)
{
	struct tailer *t = NULL;
	struct vg_store *st = NULL;
	pthread_t th;
	char err[256], db[600];
	int ep;

	if (tail_new(NULL, 64 << 10, &t) != VG_OK || tail_add(t, "bench", b->path) != VG_OK)
		return 1;
	if (with_store) {
		snprintf(db, sizeof(db), "%s/bench.db", dir);
		if (store_open("sqlite", db, NULL, &st, err, sizeof(err)) != VG_OK) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	}
	ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, tail_fd(t), &ev);
	pthread_create(&th, NULL, writer, b);
	int64_t deadline = now_ns() + (int64_t)(b->n / 100 + 30) * 1000000000;
	while (b->seen < b->n && now_ns() < deadline) {
		struct epoll_event out;
		long before = b->seen;
		epoll_wait(ep, &out, 1, 100);
		tail_process(t, on_line, b);
		if (st && b->seen > before) {
			if (store_begin(st) != VG_OK || tail_checkpoint(t, st) != VG_OK ||
			    store_commit(st) != VG_OK)
				return 1;
			tail_committed(t);
			int64_t now = now_ns();
			for (long i = before; i < b->seen; i++)	/* lines arrive in order */
				b->lat_commit[i] = now - b->t0[i];
		}
	}
	pthread_join(th, NULL);
	close(ep);
	store_close(st);
	tail_free(t);
	return b->seen == b->n ? 0 : 1;
}

static int
count_line(const struct source_line *l, void *arg)
{
	(void)l;
	(*(long *)arg)++;
	return 0;
}

static int
run_throughput(const char *path, long n)
{
	static const char line[] = "203.0.113.66 - - [24/Nov/2026:09:01:10 +0000] \"GET /item.php?"
	    "id=1&page=2 HTTP/1.1\" 200 5120 \"https://example.org/list\" \"Mozilla/5.0 (X11; "
	    "Linux x86_64) Firefox/120.0\"\n";
	FILE *f = fopen(path, "w");
	struct tailer *t = NULL;
	long got = 0;

	if (!f)
		return 1;
	for (long i = 0; i < n; i++)
		fputs(line, f);
	if (fclose(f) != 0 || tail_new(NULL, 64 << 10, &t) != VG_OK ||
	    tail_add(t, "bench", path) != VG_OK)
		return 1;
	int64_t t0 = now_ns();
	while (got < n) {
		if (tail_process(t, count_line, &got) < 0)
			break;
	}
	double s = (double)(now_ns() - t0) / 1e9;
	printf("{\"mode\":\"throughput\",\"n\":%ld,\"line_bytes\":%zu,\"seconds\":%.3f,"
	       "\"lines_per_s\":%.0f,\"mb_per_s\":%.1f}\n", got, sizeof(line) - 1, s,
	    (double)got / s, (double)got * (double)(sizeof(line) - 1) / s / 1e6);
	tail_free(t);
	unlink(path);
	return got == n ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct bench b = { 0 };
	const char *mode = argc > 3 ? argv[3] : "vigil";
	double p50, p99, max, c50 = 0, c99 = 0, cmax = 0;
	int r;

	if (argc < 3) {
		fprintf(stderr, "usage: tail_latency DIR N [vigil|vigil-store|tail-F]\n");
		return 2;
	}
	b.n = strtol(argv[2], NULL, 10);
	if (b.n < 10 || b.n > 100000000)
		return 2;
	snprintf(b.path, sizeof(b.path), "%s/latency-%s.log", argv[1], mode);
	if (strcmp(mode, "throughput") == 0)
		return run_throughput(b.path, b.n);
	if (b.n > 1000000)
		return 2;
	unlink(b.path);
	b.t0 = calloc((size_t)b.n, sizeof(int64_t));
	b.lat_deliver = calloc((size_t)b.n, sizeof(int64_t));
	b.lat_commit = calloc((size_t)b.n, sizeof(int64_t));
	if (!b.t0 || !b.lat_deliver || !b.lat_commit)
		return 1;
	if (strcmp(mode, "tail-F") == 0) {
		int pfd[2];
		pthread_t th;
		close(open(b.path, O_WRONLY | O_CREAT, 0644));
		if (pipe(pfd) != 0)
			return 1;
		pid_t pid = fork();
		if (pid == 0) {
			dup2(pfd[1], 1);
			close(pfd[0]);
			close(pfd[1]);
			execlp("tail", "tail", "-n", "0", "-F", b.path, (char *)NULL);
			_exit(127);
		}
		close(pfd[1]);
		FILE *p = fdopen(pfd[0], "r");
		if (pid < 0 || !p)
			return 1;
		usleep(200000);	/* let tail start watching */
		pthread_create(&th, NULL, writer, &b);
		char line[128];
		while (b.seen < b.n && fgets(line, sizeof(line), p))
			record(&b, line, strcspn(line, "\n"));
		pthread_join(th, NULL);
		kill(pid, SIGTERM);	/* tail -F never ends by itself */
		waitpid(pid, NULL, 0);
		fclose(p);
		r = b.seen == b.n ? 0 : 1;
	} else {
		r = run_vigil(&b, argv[1], strcmp(mode, "vigil-store") == 0);
	}
	if (r != 0) {
		fprintf(stderr, "tail_latency: only %ld of %ld lines arrived\n", b.seen, b.n);
		return 1;
	}
	pct(b.lat_deliver, b.n, &p50, &p99, &max);
	printf("{\"mode\":\"%s\",\"n\":%ld,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f", mode,
	    b.n, p50, p99, max);
	if (strcmp(mode, "vigil-store") == 0) {
		pct(b.lat_commit, b.n, &c50, &c99, &cmax);
		printf(",\"committed_p50_ms\":%.3f,\"committed_p99_ms\":%.3f,\"committed_max_ms\":%.3f",
		    c50, c99, cmax);
	}
	printf("}\n");
	free(b.t0);
	free(b.lat_deliver);
	free(b.lat_commit);
	return 0;
}
