/* The detection hot path (decode, normalise, rules, correlation, alert output) makes
 * no allocation per line: after a warm-up, thousands more lines of the same
 * traffic (attacks from a set of sources, 404 bursts, login POSTs, alert windows
 * opening and closing) cost at most a handful of mallocs, the pools' growth. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/event.h"
#include "monitor/alert.h"
#include "monitor/decode.h"
#include "monitor/pipeline.h"

/* Every malloc, calloc and realloc of the process is counted: through the
 * sanitizer's hooks under ASan, by interposing the allocator otherwise. */
static unsigned long long allocs;

#if defined(__SANITIZE_ADDRESS__)
/* libasan's; gcc ships no allocator_interface.h */
int __sanitizer_install_malloc_and_free_hooks(void (*)(const volatile void *, size_t),
    void (*)(const volatile void *));
static void
on_malloc(const volatile void *ptr, size_t size)
{
	(void)ptr;
	(void)size;
	allocs++;
}
static void
on_free(const volatile void *ptr)
{
	(void)ptr;
}
static void
count_start(void)
{
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}
#else
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
void *
malloc(size_t n)
{
	allocs++;
	return __libc_malloc(n);
}
void *
calloc(size_t n, size_t size)
{
	allocs++;
	return __libc_calloc(n, size);
}
void *
realloc(void *p, size_t n)
{
	allocs++;
	return __libc_realloc(p, n);
}
static void
count_start(void)
{
}
#endif

static const char *const requests[] = {
	"GET /index.html HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
	"GET /search?q=Sleep+8+hours&page=2 HTTP/1.1\" 200 900 \"https://example.org/\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
	"GET /item.php?id=1%27%20UNION%20ALL%20SELECT%20NULL,CONCAT(0x71,user())--%20- HTTP/1.1\" 200 99 \"-\" \"sqlmap/1.7",
	"GET /view?file=../../../../etc/passwd HTTP/1.1\" 200 10 \"-\" \"curl/8.5.0",
	"GET /q?x=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0",
	"GET /admin/.git/config HTTP/1.1\" 404 0 \"-\" \"Mozilla/5.0",
	"GET /missing-%d.php HTTP/1.1\" 404 0 \"-\" \"gobuster/3.6",
	"POST /wp-login.php HTTP/1.1\" 200 4000 \"-\" \"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1)",
	"GET /cgi-bin/x?cmd=;cat%20/etc/shadow; HTTP/1.1\" 401 0 \"-\" \"python-requests/2.31",
};

/* Line i of the synthetic log: 40 sources, ten lines per second of log time, so
 * five-minute windows open and close many times over a run. */
static size_t
make_line(char *buf, size_t size, unsigned i)
{
	time_t t = 1764000000 + i / 10;
	struct tm tm;
	char ts[40], req[400];
	const char *r = requests[(i * 7) % (sizeof(requests) / sizeof(requests[0]))];

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%d/%b/%Y:%H:%M:%S +0000", &tm);
	if (strstr(r, "%d"))
		snprintf(req, sizeof(req), "GET /missing-%u.php HTTP/1.1\" 404 0 \"-\" \"gobuster/3.6",
		    i % 97);
	else
		snprintf(req, sizeof(req), "%s", r);
	return (size_t)snprintf(buf, size, "203.0.113.%u - - [%s] \"%s\"", i % 40, ts, req);
}

static void
test_lines_after_warm_up_do_not_allocate(void **state)
{
	(void)state;
	const char *root = getenv("SRCDIR");
	char rules[4096], line[1024], err[256];
	struct pipeline *p = NULL;
	struct decoder *d = NULL;
	struct alerts al;
	struct pipeline_stats st;
	char *errors = NULL;
	FILE *out = fopen("/dev/null", "w");
	const unsigned warm = 3000, measured = 15000;
	unsigned long long before;
	int64_t now = vg_now_us();	/* arrival time, as pipeline_scan_fd passes it */

	assert_non_null(out);
	snprintf(rules, sizeof(rules), "%s/rules", root ? root : ".");
	alerts_init(&al, &(struct alerts_opts){ .text_out = out });
	struct pipeline_opts po = { .rules_path = rules, .alerts = &al };
	assert_int_equal(pipeline_new(&po, &p, &errors), VG_OK);
	free(errors);
	assert_int_equal(decoder_new("combined", NULL, &d, err, sizeof(err)), VG_OK);
	count_start();
	for (unsigned i = 0; i < warm; i++) {
		size_t n = make_line(line, sizeof(line), i);
		assert_int_equal(pipeline_line(p, d, "t", line, n, false, now), VG_OK);
	}
	before = allocs;
	assert_true(before > 0);	/* the counter works: the warm-up built state */
	for (unsigned i = warm; i < warm + measured; i++) {
		size_t n = make_line(line, sizeof(line), i);
		assert_int_equal(pipeline_line(p, d, "t", line, n, false, now), VG_OK);
	}
	unsigned long long used = allocs - before;
	pipeline_get_stats(p, &st);
	print_message("# %u lines after warm-up: %llu allocations; %llu alerts closed, %llu "
	    "events matched\n", measured, used, (unsigned long long)st.alerts,
	    (unsigned long long)st.events_matched);
	/* the traffic really exercised correlation: windows closed and reopened */
	assert_true(st.alerts >= 100);
	assert_true(st.events_matched >= measured / 2);
	assert_true(used <= 8);
	pipeline_free(p);
	decoder_free(d);
	fclose(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_after_warm_up_do_not_allocate),
	};
	return cmocka_run_group_tests_name("pipeline_alloc", tests, NULL, NULL);
}
