/* The scratch site of `vigil demo`: a throw-away workspace under /tmp (a web root, an
 * access log, a config naming them) and the attacker's moves against it. Demo data
 * and process glue, not a stage: the demo drives the real binary like a user would. */
#ifndef VG_DEMO_SITE_H
#define VG_DEMO_SITE_H

#include <stdbool.h>
#include <sys/types.h>

#define DEMO_PATH_MAX 4200

struct demo_site {
	char dir[32];			/* /tmp/vigil-demo-XXXXXX */
	char cfg[DEMO_PATH_MAX];	/* DIR/vigil.yaml */
	char www[DEMO_PATH_MAX];	/* DIR/www: the web root (policy restore) */
	char log[DEMO_PATH_MAX];	/* DIR/access.log: the monitored source */
	char page[DEMO_PATH_MAX];	/* DIR/www/index.html: what gets defaced */
	char shell[DEMO_PATH_MAX];	/* DIR/www/upload/avatar.php: the dropped webshell */
	char ready[DEMO_PATH_MAX];	/* DIR/watch.ready: `watch --ready-file` */
};

/* Creates the workspace with a site, an empty log and a config using the rules at
 * rules (absolute). On failure prints why and returns VG_ERR_IO; s->dir is "" if
 * nothing was created, else the caller still removes it. */
int demo_site_create(struct demo_site *s, const char *rules);
/* Removes the workspace and everything in it (quarantined objects included). */
void demo_site_remove(const struct demo_site *s);

/* The attacker's moves: web attacks appended to the log, hidden gambling links
 * appended to the home page, a defanged webshell dropped into upload/. */
void demo_site_attack_log(const struct demo_site *s);
void demo_site_deface(const struct demo_site *s);
void demo_site_drop_shell(const struct demo_site *s);

/* What the demo waits for: true once it holds. */
bool demo_page_clean(const char *page);	/* no injected link left */
bool demo_gone(const char *path);
bool demo_exists(const char *path);

/* Starts this same binary with args (NULL-terminated): the pid, or -1. */
pid_t demo_spawn(char *const args[]);
/* Runs it to its end: its exit status, or -1. */
int demo_run_vigil(char *const args[]);
/* Polls done(arg) every 50 ms for up to two minutes (a loaded machine, or a sanitizer
 * build compiling rules, may be slow: the demo reports outcomes, not timings). False
 * if the watcher exited or time ran out. */
bool demo_wait_until(bool (*done)(const char *), const char *arg, pid_t watcher);
void demo_pause_ms(long ms);

/* demo_play.c: acts 1-3 on the site (baseline, watch, attacks, verdict), then the
 * briefing, written into the workspace with keep, else a private directory of its
 * own. VG_EXIT_*: OK when the page was restored and the webshell removed. */
int demo_play(struct demo_site *s, bool keep);

#endif
