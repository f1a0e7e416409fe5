/* `vigil demo`'s acts on its scratch site: baseline, watch, the attacker's moves,
 * the verdict, then the day's briefing; each step runs the real binary. */
#include "cmd/cmd.h"
#include "cmd/demo_site.h"
#include "core/err.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Act 4: the day's briefing for the leaders, written where it outlives the workspace
 * (a private directory of its own) unless --keep keeps both. 0 or -1. */
static int
briefing(const struct demo_site *s, bool keep)
{
	char dir[64], html[DEMO_PATH_MAX + 32], pdf[DEMO_PATH_MAX + 32];
	const char *tmp = getenv("TMPDIR");

	printf("\n== 4. after the day: the daily briefing for the leaders\n");
	fflush(stdout);
	if (keep) {
		snprintf(dir, sizeof(dir), "%s", s->dir);
	} else {
		snprintf(dir, sizeof(dir), "%s/vigil-briefing-XXXXXX", tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			perror("vigil demo: briefing directory");
			return -1;
		}
	}
	snprintf(html, sizeof(html), "%s/daily-briefing.html", dir);
	snprintf(pdf, sizeof(pdf), "%s/daily-briefing.pdf", dir);
	/* With Chromium, one run writes both the HTML and the PDF printed from it. */
	bool pdf_ok = access("/usr/bin/chromium", X_OK) == 0;
	char *daily[] = { "vigil", "--config", (char *)s->cfg, "report", "daily", "--format",
		pdf_ok ? "pdf" : "html", "-o", pdf_ok ? pdf : html, NULL };
	if (demo_run_vigil(daily) != 0)
		return -1;
	if (!pdf_ok)
		printf("   (no PDF: install chromium and fonts-noto-cjk for `--format pdf`)\n");
	printf("   open it in a browser: %s\n", html);
	return 0;
}

int
demo_play(struct demo_site *s, bool keep)
{
	int ret = VG_EXIT_RUNTIME, status;
	pid_t watcher;

	fflush(stdout);
	printf("== vigil demo: workspace %s (config %s)\n\n", s->dir, s->cfg);
	printf("== 1. before the event: back up the web root (the trusted baseline)\n");
	fflush(stdout);
	char *backup[] = { "vigil", "--config", s->cfg, "backup", "create", NULL };
	if (demo_run_vigil(backup) != 0)
		return ret;

	printf("\n== 2. during the event: `vigil watch` follows %s and guards %s\n", s->log,
	    s->www);
	fflush(stdout);
	char *watch[] = { "vigil", "--config", s->cfg, "watch", "--ready-file", s->ready, NULL };
	if ((watcher = demo_spawn(watch)) < 0)
		return ret;
	if (!demo_wait_until(demo_exists, s->ready, watcher)) {
		fprintf(stderr, "vigil demo: vigil watch did not become ready\n");
		goto out;
	}
	printf("\n-- the attacker scans the site (6 requests land in the access log)\n");
	fflush(stdout);
	demo_site_attack_log(s);
	demo_pause_ms(800);
	printf("\n-- the attacker defaces the home page with hidden gambling links\n");
	fflush(stdout);
	demo_site_deface(s);
	demo_wait_until(demo_page_clean, s->page, watcher);
	printf("\n-- the attacker drops a webshell at %s\n", s->shell);
	fflush(stdout);
	demo_site_drop_shell(s);
	demo_wait_until(demo_gone, s->shell, watcher);
	kill(watcher, SIGTERM);
	waitpid(watcher, &status, 0);
	watcher = -1;

	bool clean = demo_page_clean(s->page);
	printf("\n== 3. the result\n   home page: %s\n   webshell:  %s\n",
	    clean ? "restored (no injected links left)" : "STILL DEFACED",
	    demo_gone(s->shell) ? "removed from the web root, kept in the vault" : "STILL PRESENT");
	printf("   the store (alerts, evidence lines, audit trail):\n");
	fflush(stdout);
	char *info[] = { "vigil", "--config", s->cfg, "store", "info", NULL };
	demo_run_vigil(info);
	ret = clean && demo_gone(s->shell) ? VG_EXIT_OK : VG_EXIT_RUNTIME;
	if (briefing(s, keep) != 0)
		ret = VG_EXIT_RUNTIME;
	printf("\nNext: `vigil scan-log FILE`, `vigil scan DIR`, `vigil watch --config FILE` "
	       "(see README).\n");
out:
	if (watcher > 0) {
		kill(watcher, SIGTERM);
		waitpid(watcher, &status, 0);
	}
	return ret;
}
