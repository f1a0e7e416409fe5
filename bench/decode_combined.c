/* Throughput of the combined access-log decoder, the monitor's hot path: builds N
 * synthetic but varied combined lines in memory (IPv4/IPv6 clients, query strings,
 * escaped quotes, '-' fields), decodes them all on one core, prints lines/s for the
 * combined decoder and, for comparison, the nginx log_format program and auto.
 * usage: decode_combined [N] [ROUNDS]   (default 1000000 lines, 5 rounds; best round) */
#include "core/buf.h"
#include "core/err.h"
#include "monitor/decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const paths[] = {
	"/", "/index.html", "/static/app.3f2a9c.js", "/api/v1/items?page=2&sort=desc",
	"/search?q=select+a+union+member&lang=en", "/wp-login.php", "/images/logo%20big.png",
	"/product/12345?ref=newsletter&utm_source=mail&utm_medium=email&utm_campaign=spring",
};
static const char *const agents[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/120.0.0.0 Safari/537.36",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
	"(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
	"curl/7.88.1", "-", "Mozilla/5.0 \\\"quoted\\\" bot/1.0",
};
static const char *const referers[] = { "-", "https://www.example.com/", "https://search.example/?q=x" };
static const char *const methods[] = { "GET", "GET", "GET", "POST", "HEAD" };
static const int statuses[] = { 200, 200, 200, 304, 404, 301, 500 };

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

int
main(int argc, char **argv)
{
	long long n = 1000000, rounds = 5;
	char err[256];
	struct decoder *d = NULL;
	struct vg_event ev;
	struct vg_buf *text = NULL;
	size_t *off = NULL;
	uint64_t checksum = 0;
	int ret = 1;

	if ((argc > 1 && vg_parse_ll(argv[1], 1, 100000000, &n) != VG_OK) ||
	    (argc > 2 && vg_parse_ll(argv[2], 1, 100, &rounds) != VG_OK)) {
		fprintf(stderr, "usage: decode_combined [N] [ROUNDS]\n");
		return 2;
	}
	text = vg_buf_new((size_t)n * 512);
	off = malloc(((size_t)n + 1) * sizeof(*off));
	if (!text || !off)
		goto out;
	uint32_t x = 2463534242u;
	for (long long i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		off[i] = vg_buf_len(text);
		if (x % 10 == 0)
			vg_buf_putf(text, "2001:db8:%x::%x", x & 0xffff, (x >> 8) & 0xffff);
		else
			vg_buf_putf(text, "%u.%u.%u.%u", 1 + (x >> 24) % 223, (x >> 16) & 255,
			    (x >> 8) & 255, 1 + x % 254);
		vg_buf_putf(text, " - %s [%02u/Oct/2024:%02u:%02u:%02u +0800] \"%s %s HTTP/1.1\" "
		    "%d %u \"%s\" \"%s\"", x % 50 ? "-" : "alice", 1 + x % 28, (x >> 3) % 24,
		    (x >> 5) % 60, (x >> 7) % 60, methods[x % N_OF(methods)],
		    paths[(x >> 9) % N_OF(paths)], statuses[(x >> 11) % N_OF(statuses)],
		    (x >> 13) % 100000, referers[(x >> 15) % N_OF(referers)],
		    agents[(x >> 17) % N_OF(agents)]);
	}
	off[n] = vg_buf_len(text);
	/* combined is the target; the log_format program and auto on the same lines
	 * show what the generic paths cost */
	static const char *const fmts[][2] = {
		{ "combined", NULL },
		{ "nginx", "$remote_addr - $remote_user [$time_local] \"$request\" $status "
			   "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"" },
		{ "auto", NULL },
	};
	const char *base = vg_buf_ptr(text);
	printf("%lld synthetic combined lines, avg %.0f bytes/line, best of %lld rounds, one core\n",
	    n, (double)off[n] / (double)n, rounds);
	ret = 0;
	for (size_t f = 0; f < N_OF(fmts); f++) {
		double best = 0;
		if (decoder_new(fmts[f][0], fmts[f][1], &d, err, sizeof(err)) != VG_OK) {
			fprintf(stderr, "decoder_new: %s\n", err);
			ret = 1;
			goto out;
		}
		for (long long r = 0; r < rounds; r++) {
			double t0 = now_s();
			for (long long i = 0; i < n; i++) {
				decoder_decode(d, base + off[i], off[i + 1] - off[i], &ev);
				checksum += (uint64_t)ev.http.status + (uint64_t)ev.ts_us;
			}
			double rate = (double)n / (now_s() - t0);
			if (rate > best)
				best = rate;
		}
		uint64_t ok, errors;
		decoder_stats(d, &ok, &errors);
		printf("%-9s %10.0f lines/s  (%llu ok, %llu errors)\n", fmts[f][0], best,
		    (unsigned long long)ok, (unsigned long long)errors);
		if (errors)
			ret = 1;
		decoder_free(d);
		d = NULL;
	}
	printf("(checksum %llx)\n", (unsigned long long)checksum);
out:
	decoder_free(d);
	vg_buf_free(text);
	free(off);
	return ret;
}
