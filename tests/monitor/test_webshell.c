/* Unit tests for the webshell scanner: every sample family is detected at its level,
 * benign look-alikes stay clean, scoring levels, and per-file limits and refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "monitor/webshell.h"

struct fixture {
	struct webshell_scanner *ws;
	char tmp[256];
	char src[2048];
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	const char *src = getenv("SRCDIR");
	char rules[4096], err[512];

	snprintf(fx->src, sizeof(fx->src), "%s", src && *src ? src : ".");
	snprintf(rules, sizeof(rules), "%s/rules/webshell", fx->src);
	if (webshell_scanner_new(rules, NULL, &fx->ws, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "# rules: %s\n", err);
		free(fx);
		return -1;
	}
	snprintf(fx->tmp, sizeof(fx->tmp), "/tmp/vigil-ws-test.XXXXXX");
	if (!mkdtemp(fx->tmp))
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	static const char *const names[] = { "fifo", "link", "big", "bomb", "bad/bad.yar", "bad",
		"slow/slow.yar", "slow", "slowdata", NULL };

	webshell_scanner_free(fx->ws);
	for (size_t i = 0; names[i]; i++) {
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", fx->tmp, names[i]);
		if (unlink(p) != 0)
			rmdir(p);
	}
	rmdir(fx->tmp);
	free(fx);
	return 0;
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static int
level_rank(const char *level)
{
	if (strcmp(level, "malicious") == 0)
		return 2;
	if (strcmp(level, "suspicious") == 0)
		return 1;
	return 0;
}

/* Data-driven: tests/webshell/samples/expected.tsv names each sample, the level it
 * must reach (benign: must not exceed "clean") and a family it must be reported with. */
static void
check_manifest(struct fixture *fx, bool benign_only)
{
	char manifest[4096], line[1024];
	size_t checked = 0;
	FILE *fp;

	snprintf(manifest, sizeof(manifest), "%s/tests/webshell/samples/expected.tsv", fx->src);
	fp = fopen(manifest, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		char *path = line, *level, *family, full[4096];
		struct webshell_finding f;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		level = strchr(path, '\t');
		assert_non_null(level);
		*level++ = '\0';
		family = strchr(level, '\t');
		assert_non_null(family);
		*family++ = '\0';
		bool is_benign = strncmp(path, "benign/", 7) == 0;
		if (benign_only != is_benign)
			continue;
		snprintf(full, sizeof(full), "%s/tests/webshell/samples/%s", fx->src, path);
		assert_int_equal(webshell_scan_file(fx->ws, full, &f), VG_OK);
		if (is_benign) {
			if (strcmp(f.level, "clean") != 0)
				fail_msg("%s: benign sample scored %d (%s, rules %s)", path, f.score,
				    f.level, f.rules);
		} else {
			if (level_rank(f.level) < level_rank(level))
				fail_msg("%s: level %s (score %d, rules '%s'), wanted at least %s",
				    path, f.level, f.score, f.rules, level);
			if (!strstr(f.families, family))
				fail_msg("%s: families '%s' lack %s", path, f.families, family);
		}
		checked++;
	}
	fclose(fp);
	assert_true(checked >= (benign_only ? 5 : 30));
}

static void
test_every_sample_family_detected_at_its_level(void **state)
{
	check_manifest(*state, false);
}

static void
test_benign_lookalikes_stay_clean(void **state)
{
	check_manifest(*state, true);
}

static void
test_single_weak_rule_stays_clean(void **state)
{
	struct fixture *fx = *state;
	struct webshell_finding f;
	const char *src = "<?php\n$s = chr(72).chr(101).chr(108).chr(108).chr(111);\necho $s;\n";

	assert_int_equal(webshell_scan_mem(fx->ws, "weak.php", (const unsigned char *)src,
			     strlen(src), &f), VG_OK);
	assert_string_equal(f.rules, "php_chr_chain");
	assert_true(f.score > 0);
	assert_string_equal(f.level, "clean");
}

static void
test_weak_rule_plus_statistics_reaches_malicious(void **state)
{
	struct fixture *fx = *state;
	struct webshell_finding f;
	char p[4096];

	snprintf(p, sizeof(p), "%s/tests/webshell/samples/php/packed_blob.php", fx->src);
	assert_int_equal(webshell_scan_file(fx->ws, p, &f), VG_OK);
	assert_string_equal(f.rules, "php_decode_chain");
	assert_true(f.rule_score < WEBSHELL_SUSPICIOUS);
	assert_true(f.stats_score > 0);
	assert_true(f.entropy > 5.8);
	assert_true(f.longest_token > 4096);
	assert_true(f.compress_ratio > 0.75);
	assert_string_equal(f.level, "malicious");
}

static void
test_statistics_alone_never_alarm(void **state)
{
	struct fixture *fx = *state;
	struct webshell_finding f;
	size_t n = 64 * 1024;
	unsigned char *d = malloc(n);
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	assert_non_null(d);
	srand(11);
	for (size_t i = 0; i < n; i++)
		d[i] = (unsigned char)b64[rand() % 64];
	/* Full mode computes the statistics even though no rule matched... */
	webshell_scanner_set_full(fx->ws, true);
	assert_int_equal(webshell_scan_mem(fx->ws, "rand.txt", d, n, &f), VG_OK);
	webshell_scanner_set_full(fx->ws, false);
	assert_int_equal(f.stats_score, WEBSHELL_STATS_MAX);
	assert_int_equal(f.rule_score, 0);
	assert_string_equal(f.level, "clean");
	assert_int_equal(strlen(f.sha256), 64);
	/* ...and the default mode skips them, with the same level. */
	assert_int_equal(webshell_scan_mem(fx->ws, "rand.txt", d, n, &f), VG_OK);
	assert_int_equal(f.stats_score, 0);
	assert_string_equal(f.level, "clean");
	assert_string_equal(f.sha256, "");
	free(d);
}

static void
test_levels_follow_thresholds(void **state)
{
	(void)state;
	assert_string_equal(webshell_level(0), "clean");
	assert_string_equal(webshell_level(WEBSHELL_SUSPICIOUS - 1), "clean");
	assert_string_equal(webshell_level(WEBSHELL_SUSPICIOUS), "suspicious");
	assert_string_equal(webshell_level(WEBSHELL_MALICIOUS - 1), "suspicious");
	assert_string_equal(webshell_level(WEBSHELL_MALICIOUS), "malicious");
	assert_true(WEBSHELL_STATS_MAX < WEBSHELL_SUSPICIOUS);
}

static void
test_hex_key_without_decryption_is_not_a_loader(void **state)
{
	struct fixture *fx = *state;
	struct webshell_finding f;
	const char *src = "<?php\n$build_id = 'e45e329feb5d925b';\necho $_POST['name'];\n";

	assert_int_equal(webshell_scan_mem(fx->ws, "key.php", (const unsigned char *)src,
			     strlen(src), &f), VG_OK);
	assert_null(strstr(f.families, "crypto-loader"));
	assert_string_equal(f.level, "clean");
}

static void
test_fifo_and_device_are_never_opened(void **state)
{
	struct fixture *fx = *state;
	struct webshell_finding f;
	char p[512];
	time_t t0 = time(NULL);

	snprintf(p, sizeof(p), "%s/fifo", fx->tmp);
	assert_int_equal(mkfifo(p, 0600), 0);
	/* A blocking open of a writer-less FIFO would hang here. */
	assert_int_equal(webshell_scan_file(fx->ws, p, &f), VG_ERR_FORMAT);
	assert_string_equal(f.path, p);
	/* No reader holds it open now: a non-blocking writer open fails with ENXIO. */
	assert_int_equal(open(p, O_WRONLY | O_NONBLOCK), -1);
	assert_int_equal(errno, ENXIO);
	assert_int_equal(webshell_scan_file(fx->ws, "/dev/zero", &f), VG_ERR_FORMAT);
	assert_true(time(NULL) - t0 < 5);
}

static void
test_symlink_is_not_followed(void **state)
{
	struct fixture *fx = *state;
	struct webshell_finding f;
	char p[512], target[4096];

	snprintf(target, sizeof(target), "%s/tests/webshell/samples/php/chopper.php", fx->src);
	snprintf(p, sizeof(p), "%s/link", fx->tmp);
	assert_int_equal(symlink(target, p), 0);
	assert_int_equal(webshell_scan_file(fx->ws, p, &f), VG_ERR_FORMAT);
}

static void
test_file_over_size_cap_is_refused_unread(void **state)
{
	struct fixture *fx = *state;
	struct webshell_finding f;
	char p[512], buf[4096];

	memset(buf, 'a', sizeof(buf));
	snprintf(p, sizeof(p), "%s/big", fx->tmp);
	write_file(p, buf, sizeof(buf));
	webshell_scanner_set_limits(fx->ws, 1024, 0);
	assert_int_equal(webshell_scan_file(fx->ws, p, &f), VG_ERR_LIMIT);
	assert_int_equal(f.size, 4096);
	webshell_scanner_set_limits(fx->ws, WEBSHELL_DEFAULT_MAX_SIZE, 0);
	assert_int_equal(webshell_scan_file(fx->ws, p, &f), VG_OK);
}

static void
test_vanished_file_is_notfound(void **state)
{
	struct fixture *fx = *state;
	struct webshell_finding f;
	char p[512];

	snprintf(p, sizeof(p), "%s/gone", fx->tmp);
	assert_int_equal(webshell_scan_file(fx->ws, p, &f), VG_ERR_NOTFOUND);
}

static long
maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* The pathological input: 1 MB of "<%%>" pairs must cost neither a
 * gigabyte of memory nor a long time. */
static void
test_percent_tag_bomb_is_bounded(void **state)
{
	struct fixture *fx = *state;
	struct webshell_finding f;
	size_t n = 1024 * 1024;
	char *d = malloc(n), p[512];
	struct timespec a, b;

	assert_non_null(d);
	for (size_t i = 0; i < n; i += 4)
		memcpy(d + i, "<%%>", 4);
	snprintf(p, sizeof(p), "%s/bomb", fx->tmp);
	write_file(p, d, n);
	free(d);
	long before = maxrss_kb();
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(webshell_scan_file(fx->ws, p, &f), VG_OK);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	long grew_mb = (maxrss_kb() - before) / 1024;
	print_message("# <%%%%> bomb: %.3f s, peak RSS grew %ld MiB, score %d\n", secs, grew_mb,
	    f.score);
	assert_true(secs < 10.0);
	assert_true(grew_mb < 128);
	assert_string_equal(f.level, "clean");
}

struct thread_arg {
	struct fixture *fx;
	int bad;
};

static void *
scan_many(void *p)
{
	struct thread_arg *ta = p;
	char path[4096];
	struct webshell_finding f;

	snprintf(path, sizeof(path), "%s/tests/webshell/samples/php/chopper.php", ta->fx->src);
	for (int i = 0; i < 200; i++)
		if (webshell_scan_file(ta->fx->ws, path, &f) != VG_OK || f.score < WEBSHELL_MALICIOUS)
			ta->bad++;
	return NULL;
}

static void
test_scanner_is_shared_safely_between_threads(void **state)
{
	struct thread_arg ta[4];
	pthread_t t[4];

	for (int i = 0; i < 4; i++) {
		ta[i] = (struct thread_arg){ .fx = *state };
		assert_int_equal(pthread_create(&t[i], NULL, scan_many, &ta[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(ta[i].bad, 0);
	}
}

static void
test_bad_rule_file_reports_file_and_line(void **state)
{
	struct fixture *fx = *state;
	struct webshell_scanner *ws = (void *)1;
	char dir[512], p[600], err[512];
	const char *bad = "rule broken {\n  strings: $a = \"xyzzy-broken\"\n  condition: $a and $b\n}\n";

	snprintf(dir, sizeof(dir), "%s/bad", fx->tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(p, sizeof(p), "%s/bad.yar", dir);
	write_file(p, bad, strlen(bad));
	assert_int_equal(webshell_scanner_new(dir, NULL, &ws, err, sizeof(err)), VG_ERR_PARSE);
	assert_null(ws);
	assert_non_null(strstr(err, "bad.yar:"));
	assert_non_null(strstr(err, "$b"));
	assert_int_equal(webshell_scanner_new("/nonexistent/rules", NULL, &ws, err, sizeof(err)),
	    VG_ERR_NOTFOUND);
	assert_non_null(strstr(err, "/nonexistent/rules"));
}

/* A rule whose regex explodes on this input: the per-file timeout (or YARA's fiber
 * limit) stops it, the scan still returns, flagged partial. */
static void
test_yara_time_limit_stops_a_slow_rule(void **state)
{
	struct fixture *fx = *state;
	struct webshell_scanner *ws = NULL;
	struct webshell_finding f;
	char dir[512], p[600], err[512];
	const char *rule = "rule slow { strings: $a = /aa[a-z]{1,60}Q/ condition: $a }\n";
	size_t n = 4 * 1024 * 1024;
	char *d = malloc(n);
	struct timespec a, b;

	assert_non_null(d);
	memset(d, 'a', n);
	snprintf(dir, sizeof(dir), "%s/slow", fx->tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(p, sizeof(p), "%s/slow.yar", dir);
	write_file(p, rule, strlen(rule));
	snprintf(p, sizeof(p), "%s/slowdata", fx->tmp);
	write_file(p, d, n);
	free(d);
	assert_int_equal(webshell_scanner_new(dir, NULL, &ws, err, sizeof(err)), VG_OK);
	webshell_scanner_set_limits(ws, 0, 1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(webshell_scan_file(ws, p, &f), VG_OK);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	print_message("# slow rule stopped after %.2f s\n", secs);
	assert_true(f.yara_limited);
	assert_true(secs < 5.0);
	webshell_scanner_free(ws);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_sample_family_detected_at_its_level),
		cmocka_unit_test(test_benign_lookalikes_stay_clean),
		cmocka_unit_test(test_single_weak_rule_stays_clean),
		cmocka_unit_test(test_weak_rule_plus_statistics_reaches_malicious),
		cmocka_unit_test(test_statistics_alone_never_alarm),
		cmocka_unit_test(test_levels_follow_thresholds),
		cmocka_unit_test(test_hex_key_without_decryption_is_not_a_loader),
		cmocka_unit_test(test_fifo_and_device_are_never_opened),
		cmocka_unit_test(test_symlink_is_not_followed),
		cmocka_unit_test(test_file_over_size_cap_is_refused_unread),
		cmocka_unit_test(test_vanished_file_is_notfound),
		cmocka_unit_test(test_percent_tag_bomb_is_bounded),
		cmocka_unit_test(test_scanner_is_shared_safely_between_threads),
		cmocka_unit_test(test_bad_rule_file_reports_file_and_line),
		cmocka_unit_test(test_yara_time_limit_stops_a_slow_rule),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
