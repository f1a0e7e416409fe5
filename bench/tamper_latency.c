/* Tamper-latency bench: runs `vigil fim watch` (policy restore) on a web root of N
 * pages, tampers each page once and measures write→alert (the watcher's JSON alert line
 * read from its stdout) and write→restored (the restore's rename seen by this
 * program's own inotify watch, content checked). Prints p50/p99/max in ms.
 * usage: build/bench/tamper_latency [VIGIL] [N] [store]
 * (default build/vigil, 200, at most 250; "store" also records every alert in SQLite) */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Runs argv, waits; its exit status or -1. */
static int
run_wait(char *const argv[])
{
	int st;
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void
report(const char *name, double *v, int n)
{
	if (n == 0) {
		printf("%-22s no samples\n", name);
		return;
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	printf("%-22s n=%d  p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", name, n, v[n / 2],
	    v[(int)((n - 1) * 0.99)], v[n - 1]);
}

static void
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		perror(path);
		exit(1);
	}
	close(fd);
}

int
main(int argc, char **argv)
{
	const char *vigil = argc > 1 ? argv[1] : "build/vigil";
	int n = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 200;
	int with_store = argc > 3 && strcmp(argv[3], "store") == 0;
	char dir[] = "/tmp/vigil-bench-lat.XXXXXX", www[64], cfg[96], idx[128];
	const char *good = "<html><body><h1>Official site</h1><p>Notice</p></body></html>\n";
	int out[2], err[2];

	if (n < 1 || n > 250) {
		/* past 256 changed paths in one root the watcher folds them into one roll-up
		 * alert (its flood guard), which would time the guard, not the path */
		fprintf(stderr, "tamper_latency: N must be 1..250\n");
		return 2;
	}
	if (!mkdtemp(dir))
		return 1;
	snprintf(www, sizeof(www), "%s/www", dir);
	snprintf(cfg, sizeof(cfg), "%s/vigil.yaml", dir);
	mkdir(www, 0755);
	/* one page per tamper: repeated changes of one file are folded into one alert
	 * with a count, so tampering the same page again would time nothing */
	for (int i = 0; i < n; i++) {
		snprintf(idx, sizeof(idx), "%s/page%d.html", www, i);
		write_file(idx, good);
	}
	char yaml[1024];
	snprintf(yaml, sizeof(yaml), "store: {path: %s/vigil.db}\nwebroots: [{path: %s, name: "
	    "lat, policy: restore}]\nprotect: {backup_dir: %s/backup}\n", dir, www, dir);
	write_file(cfg, yaml);
	char *create[] = { (char *)vigil, "--config", cfg, "backup", "create", NULL };
	if (run_wait(create) != 0)
		return 1;
	if (pipe(out) || pipe(err))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (with_store)
			execl(vigil, vigil, "--config", cfg, "--json", "fim", "watch", (char *)NULL);
		else
			execl(vigil, vigil, "--config", cfg, "--json", "fim", "watch", "--no-store",
			    (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	/* wait until it watches */
	char ebuf[4096];
	size_t elen = 0;
	while (!memmem(ebuf, elen, "watching", 8)) {
		ssize_t r = read(err[0], ebuf + elen, sizeof(ebuf) - 1 - elen);
		if (r <= 0) {
			fprintf(stderr, "watcher did not start\n");
			return 1;
		}
		elen += (size_t)r;
	}
	int ino = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(ino, www, IN_MOVED_TO);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	double *alert = calloc((size_t)n, sizeof(double)), *rest = calloc((size_t)n, sizeof(double));
	int na = 0, nr = 0, missed = 0;
	char line[1 << 16];
	size_t llen = 0;

	for (int i = 0; i < n; i++) {
		char bad[256], name[32], quoted[40];
		snprintf(name, sizeof(name), "page%d.html", i);
		snprintf(quoted, sizeof(quoted), "\"%s\"", name);
		snprintf(idx, sizeof(idx), "%s/%s", www, name);
		snprintf(bad, sizeof(bad), "<html><body>hacked by bench %d<iframe src=\"http://"
		    "evil.example/\"></iframe></body></html>\n", i);
		double t0 = now_ms(), ta = 0, tr = 0;
		write_file(idx, bad);
		while ((!ta || !tr) && now_ms() - t0 < 2000) {
			struct pollfd p[2] = { { out[0], POLLIN, 0 }, { ino, POLLIN, 0 } };
			poll(p, 2, 100);
			if (p[0].revents & POLLIN) {
				ssize_t r = read(out[0], line + llen, sizeof(line) - 1 - llen);
				if (r > 0) {
					llen += (size_t)r;
					line[llen] = '\0';
					char *nl;
					while ((nl = memchr(line, '\n', llen))) {
						if (!ta && strstr(line, quoted) &&
						    strstr(line, "\"modified\""))
							ta = now_ms();
						llen -= (size_t)(nl + 1 - line);
						memmove(line, nl + 1, llen);
					}
				}
			}
			if (p[1].revents & POLLIN) {
				char ib[4096];
				ssize_t r = read(ino, ib, sizeof(ib));
				for (char *q = ib; r > 0 && q < ib + r;) {
					struct inotify_event *ev = (struct inotify_event *)q;
					if (!tr && ev->len && strcmp(ev->name, name) == 0) {
						char got[256] = "";
						int fd = open(idx, O_RDONLY);
						ssize_t g = fd >= 0 ? read(fd, got, sizeof(got) - 1) : -1;
						if (fd >= 0)
							close(fd);
						if (g > 0 && (got[g] = '\0', strcmp(got, good) == 0))
							tr = now_ms();
					}
					q += sizeof(*ev) + ev->len;
				}
			}
		}
		if (ta)
			alert[na++] = ta - t0;
		if (tr)
			rest[nr++] = tr - t0;
		if (!ta || !tr)
			missed++;
		/* let the watcher see its own restore settle before the next tamper */
		struct timespec ts = { 0, 20 * 1000000 };
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	printf("tamper latency, %d tampers, one per page (policy restore, alerts %s):\n", n,
	    with_store ? "also stored in SQLite" : "on stdout only");
	report("write -> alert", alert, na);
	report("write -> restored", rest, nr);
	printf("missed (no alert or no restore within 2 s): %d\n", missed);
	free(alert);
	free(rest);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return missed == 0 ? 0 : 1;
}
