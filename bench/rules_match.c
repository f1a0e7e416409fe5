/* Micro-benchmark of the rule engine alone (no decoding, no I/O): a generated mix
 * of 95% benign and 5% attack HTTP events from the committed corpora, matched
 * against the full shipped rule set on one thread. Prints events/s and MB/s.
 * usage: build/bench/rules_match [RULES] [CORPUS_DIR] [EVENTS] */
#include "core/err.h"
#include "core/event.h"
#include "monitor/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct line {
	char *url, *ua;
};

/* Reads "[LABEL\t]URL[\tUA]" lines; skip_label for the attack file. */
static size_t
read_lines(const char *path, int skip_label, struct line **out)
{
	FILE *f = fopen(path, "r");
	char buf[8192];
	size_t n = 0, cap = 0;
	struct line *v = NULL;

	if (!f) {
		perror(path);
		exit(3);
	}
	while (fgets(buf, sizeof(buf), f)) {
		char *s = buf, *tab;
		buf[strcspn(buf, "\r\n")] = '\0';
		if (skip_label) {
			if (!(tab = strchr(s, '\t')))
				continue;
			s = tab + 1;
		}
		if (!*s)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				exit(3);
		}
		tab = strchr(s, '\t');
		if (tab)
			*tab = '\0';
		v[n].url = strdup(s);
		v[n].ua = strdup(tab ? tab + 1 : "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
		    "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36");
		n++;
	}
	fclose(f);
	*out = v;
	return n;
}

static int
count_hit(const struct rule_hit *h, void *arg)
{
	(void)h;
	(*(unsigned long *)arg)++;
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this thread: on a shared machine wall time also counts waiting. */
static double
cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *rules = argc > 1 ? argv[1] : "rules";
	const char *corpus = argc > 2 ? argv[2] : "tests/corpus";
	size_t nev = argc > 3 ? strtoul(argv[3], NULL, 10) : 200000;
	char path[4096], *errors = NULL;
	struct line *benign, *attack;
	size_t nb, na, bytes = 0;
	struct ruleset *rs = NULL;
	struct rule_scratch *s = NULL;
	struct vg_event *ev;
	unsigned long hits = 0, flagged_events = 0;
	unsigned x = 42;
	double t0, t1, best = 1e9, best_wall = 1e9;

	snprintf(path, sizeof(path), "%s/benign_urls.txt", corpus);
	nb = read_lines(path, 0, &benign);
	snprintf(path, sizeof(path), "%s/attack_urls.txt", corpus);
	na = read_lines(path, 1, &attack);
	t0 = now_s();
	if (ruleset_load(rules, 0, NULL, &rs, &errors) != VG_OK) {
		fprintf(stderr, "%s", errors ? errors : "load failed\n");
		return 2;
	}
	t1 = now_s();
	if (rule_scratch_new(rs, &s) != VG_OK)
		return 3;
	ev = calloc(nev, sizeof(*ev));
	if (!ev || nev == 0)
		return 3;
	for (size_t i = 0; i < nev; i++) {
		const struct line *l;
		x = x * 1103515245u + 12345u;
		/* 1 in 20 events is an attack */
		l = ((x >> 16) % 20 == 0) ? &attack[(x >> 8) % na] : &benign[(x >> 4) % nb];
		vg_event_init(&ev[i]);
		ev[i].kind = VG_EV_HTTP;
		ev[i].http.method = "GET";
		ev[i].http.url = l->url;
		ev[i].http.user_agent = l->ua;
		ev[i].http.referer = (i % 3 == 0) ? "https://www.example.com/index.html" : NULL;
		bytes += strlen(l->url) + strlen(l->ua);
	}
	printf("rules: %zu from %s, compiled in %.2f s; corpus: %zu benign, %zu attack lines\n",
	    ruleset_count(rs), rules, t1 - t0, nb, na);
	/* Best of 5 passes: the machine is shared. */
	for (int pass = 0; pass < 5; pass++) {
		unsigned long h = 0, fe = 0;
		double a = cpu_s(), w = now_s(), d;
		for (size_t i = 0; i < nev; i++) {
			unsigned long before = h;
			if (ruleset_match_event(rs, s, &ev[i], count_hit, &h) < 0)
				return 3;
			fe += h != before;
		}
		d = cpu_s() - a;
		if (d < best)
			best = d;
		if (now_s() - w < best_wall)
			best_wall = now_s() - w;
		hits = h;
		flagged_events = fe;
	}
	printf("events: %zu (95%% benign / 5%% attack), flagged: %lu, rule hits: %lu\n", nev,
	    flagged_events, hits);
	printf("best of 5 (thread CPU time): %.3f s = %.0f events/s/core, %.1f MB/s of "
	    "url+user_agent, %.2f us/event\n", best, nev / best, bytes / best / 1e6,
	    best / nev * 1e6);
	printf("best of 5 (wall clock): %.3f s = %.0f events/s\n", best_wall, nev / best_wall);
	printf("normalisation truncations: %llu\n", rule_scratch_truncated(s));
	free(ev);
	rule_scratch_free(s);
	ruleset_free(rs);
	for (size_t i = 0; i < nb; i++) {
		free(benign[i].url);
		free(benign[i].ua);
	}
	for (size_t i = 0; i < na; i++) {
		free(attack[i].url);
		free(attack[i].ua);
	}
	free(benign);
	free(attack);
	free(errors);
	return 0;
}
