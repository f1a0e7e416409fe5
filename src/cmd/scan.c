/* `vigil scan PATH...`: offline webshell scan of web roots. The tree is walked first
 * (symlinks never followed, special files never opened) into a bounded list, then
 * worker threads pull from it by index; findings are printed as they come. */
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "respond/quarantine.h"
#include "monitor/webshell.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern const struct cmd_ops cmd_scan;

#define SCAN_MAX_FILES 5000000	/* paths held in memory; more are counted and dropped */
#define SCAN_MAX_DEPTH 256
#define SCAN_MAX_THREADS 64
#define SEEN_MAX (1u << 20)	/* directories remembered for loop detection */

struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct walk {
	char **paths;
	size_t n, cap;
	size_t dropped;		/* over SCAN_MAX_FILES */
	size_t special;		/* FIFOs, sockets, devices: never opened */
	size_t symlinks;	/* never followed */
	size_t loops;		/* directories seen twice (bind-mount loops) or too deep */
	size_t walk_errors;	/* unreadable directories */
	struct dir_id *seen;	/* open-addressing set, SEEN_MAX slots */
	size_t nseen;
	const struct vg_logger *log;
};

struct scan_run {
	struct webshell_scanner *ws;
	struct walk *w;
	const struct vg_ctx *ctx;
	const char *vault;		/* non-NULL: quarantine malicious findings */
	bool all;			/* print clean files too */
	bool progress;
	atomic_size_t next;
	pthread_mutex_t out_lock;	/* stdout/stderr lines and the counters below */
	size_t done, malicious, suspicious, too_big, vanished, unreadable, not_regular;
	size_t quarantined, quarantine_failed;
	unsigned long long bytes;
	bool header_printed;
	struct timespec last_progress;
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Remembers a directory; false if it was already there (a loop) or the set is full. */
static bool
seen_add(struct walk *w, dev_t dev, ino_t ino)
{
	if (!w->seen && !(w->seen = calloc(SEEN_MAX, sizeof(*w->seen))))
		return false;
	if (w->nseen >= SEEN_MAX / 2)
		return false;
	size_t h = ((size_t)ino * 0x9E3779B97F4A7C15ull ^ (size_t)dev) & (SEEN_MAX - 1);
	for (;;) {
		struct dir_id *s = &w->seen[h];
		if (s->dev == 0 && s->ino == 0) {
			s->dev = dev;
			s->ino = ino;
			w->nseen++;
			return true;
		}
		if (s->dev == dev && s->ino == ino)
			return false;
		h = (h + 1) & (SEEN_MAX - 1);
	}
}

static int
walk_add(struct walk *w, const char *path)
{
	if (w->n >= SCAN_MAX_FILES) {
		if (w->dropped++ == 0)
			vg_warn(w->log, "scan: more than %d files; the rest are not scanned",
			    SCAN_MAX_FILES);
		return VG_OK;
	}
	if (w->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 1024;
		char **np = realloc(w->paths, nc * sizeof(*np));
		if (!np)
			return VG_ERR_NOMEM;
		w->paths = np;
		w->cap = nc;
	}
	if (!(w->paths[w->n] = strdup(path)))
		return VG_ERR_NOMEM;
	w->n++;
	return VG_OK;
}

static int
walk_dir(struct walk *w, const char *dir, int depth)
{
	struct vg_buf *p = NULL;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int ret = VG_OK;

	if (depth > SCAN_MAX_DEPTH) {
		w->loops++;
		vg_warn(w->log, "scan: %s: deeper than %d levels; not descending", dir,
		    SCAN_MAX_DEPTH);
		return VG_OK;
	}
	if (!(d = opendir(dir))) {
		w->walk_errors++;
		vg_warn(w->log, "scan: %s: cannot open directory: %s", dir, strerror(errno));
		return VG_OK;
	}
	if (fstat(dirfd(d), &st) == 0 && !seen_add(w, st.st_dev, st.st_ino)) {
		w->loops++;
		vg_warn(w->log, "scan: %s: directory already visited (loop); skipped", dir);
		goto out;
	}
	if (!(p = vg_buf_new(8192))) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	while ((de = readdir(d))) {
		unsigned char type = de->d_type;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		vg_buf_reset(p);
		if (vg_buf_putf(p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
			de->d_name) != VG_OK) {
			w->walk_errors++;
			vg_warn(w->log, "scan: %s/%s: path too long; skipped", dir, de->d_name);
			continue;
		}
		if (type == DT_UNKNOWN) {
			if (lstat(vg_buf_ptr(p), &st) != 0)
				continue;	/* vanished between readdir and lstat */
			type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR :
			    S_ISLNK(st.st_mode) ? DT_LNK : DT_FIFO;
		}
		if (type == DT_REG)
			ret = walk_add(w, vg_buf_ptr(p));
		else if (type == DT_DIR)
			ret = walk_dir(w, vg_buf_ptr(p), depth + 1);
		else if (type == DT_LNK)
			w->symlinks++;
		else
			w->special++;
		if (ret != VG_OK)
			break;
	}
out:
	vg_buf_free(p);
	closedir(d);
	return ret;
}

/* One argument: a directory is walked, a regular file taken as is. Explicit
 * arguments may be symlinks (the user named them); nothing below is followed. */
static int
walk_arg(struct walk *w, const char *arg, bool *arg_error)
{
	struct stat st;

	if (stat(arg, &st) != 0) {
		fprintf(stderr, "vigil scan: %s: %s\n", arg, strerror(errno));
		*arg_error = true;
		return VG_OK;
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, arg, 0);
	if (S_ISREG(st.st_mode))
		return walk_add(w, arg);
	fprintf(stderr, "vigil scan: %s: not a regular file or directory; skipped\n", arg);
	w->special++;
	return VG_OK;
}

static void
walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->paths[i]);
	free(w->paths);
	free(w->seen);
}

static json_t *
comma_list_json(const char *s)
{
	json_t *a = json_array();
	while (a && *s) {
		size_t l = strcspn(s, ",");
		json_array_append_new(a, json_stringn(s, l));
		s += l;
		if (*s == ',')
			s++;
	}
	return a;
}

/* A file name is attacker-chosen: control bytes would drive the operator's
 * terminal, so the text table shows them as '?'. JSON escapes them anyway. */
static void
print_path_safely(const char *p)
{
	for (; *p; p++)
		putchar((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
}

static void
print_finding(struct scan_run *r, const struct webshell_finding *f, const char *qid)
{
	if (r->ctx->json) {
		json_t *j = json_pack("{s:o, s:i, s:s, s:o, s:o, s:s, s:I, s:f, s:I, s:f, s:f,"
				      " s:i, s:i, s:b}",
		    "path", vg_json_string_lossy(f->path, strlen(f->path)), "score", f->score,
		    "level", f->level, "families", comma_list_json(f->families), "rules",
		    comma_list_json(f->rules), "sha256", f->sha256, "size", (json_int_t)f->size,
		    "entropy", f->entropy, "longest_token", (json_int_t)f->longest_token,
		    "compress_ratio", f->compress_ratio, "nonprint_share", f->nonprint_share,
		    "rule_score", f->rule_score, "stats_score", f->stats_score, "partial",
		    f->yara_limited);
		if (j && qid && qid[0])
			json_object_set_new(j, "quarantine_id", json_string(qid));
		if (j) {
			json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
			fputc('\n', stdout);
			json_decref(j);
		}
	} else {
		if (!r->header_printed) {
			printf("%-10s %5s  %-40s %s\n", "LEVEL", "SCORE", "FAMILIES", "PATH");
			r->header_printed = true;
		}
		printf("%-10s %5d  %-40s ", f->level, f->score, f->families[0] ? f->families : "-");
		print_path_safely(f->path);
		if (qid && qid[0])
			printf("  -> quarantined %s", qid);
		putchar('\n');
	}
	fflush(stdout);
}

static void
progress(struct scan_run *r, bool final)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double dt = (double)(ts.tv_sec - r->last_progress.tv_sec) +
	    (double)(ts.tv_nsec - r->last_progress.tv_nsec) / 1e9;
	if (!final && dt < 0.1)
		return;
	r->last_progress = ts;
	size_t total = r->w->n ? r->w->n : 1;
	int pct = (int)(r->done * 100 / total), bar = pct * 30 / 100;
	fprintf(stderr, "\r[%.*s%*s] %3d%% %zu/%zu files, %zu malicious, %zu suspicious%s", bar,
	    "==============================", 30 - bar, "", pct, r->done, r->w->n, r->malicious,
	    r->suspicious, final ? "\n" : "");
	fflush(stderr);
}

static void
scan_one(struct scan_run *r, const char *path)
{
	struct webshell_finding *f = malloc(sizeof(*f));
	char qid[QUARANTINE_ID_MAX] = "", qerr[512];
	int ret;

	if (!f)
		return;
	ret = quarantine_scan_and_act(r->ws, r->vault, path, f, qid, qerr, sizeof(qerr));
	int err_no = errno;
	if (ret == 1 && qerr[0])
		vg_warn(&r->ctx->log, "scan: quarantine: %s", qerr);
	else if (ret == 0 && qerr[0])
		vg_error(&r->ctx->log, "scan: quarantine failed: %s", qerr);
	if (ret > 0)
		ret = VG_OK;
	pthread_mutex_lock(&r->out_lock);
	r->done++;
	switch (ret) {
	case VG_OK:
		r->bytes += (unsigned long long)f->size;
		if (f->score >= WEBSHELL_MALICIOUS)
			r->malicious++;
		else if (f->score >= WEBSHELL_SUSPICIOUS)
			r->suspicious++;
		if (r->vault && f->score >= WEBSHELL_MALICIOUS) {
			if (qid[0])
				r->quarantined++;
			else
				r->quarantine_failed++;
		}
		if (r->all || f->score >= WEBSHELL_SUSPICIOUS) {
			if (r->progress)
				fputs("\r\033[K", stderr);
			print_finding(r, f, qid);
		}
		break;
	case VG_ERR_NOTFOUND:
		r->vanished++;
		vg_info(&r->ctx->log, "scan: %s: vanished before it was scanned", path);
		break;
	case VG_ERR_LIMIT:
		r->too_big++;
		vg_info(&r->ctx->log, "scan: %s: %lld bytes, over the size limit; not scanned",
		    path, f->size);
		break;
	case VG_ERR_FORMAT:
		r->not_regular++;
		vg_info(&r->ctx->log, "scan: %s: no longer a regular file; not opened", path);
		break;
	default:
		r->unreadable++;
		vg_warn(&r->ctx->log, "scan: %s: %s (%s)", path, vg_strerror(ret), strerror(err_no));
		break;
	}
	if (r->progress)
		progress(r, false);
	pthread_mutex_unlock(&r->out_lock);
	free(f);
}

static void *
worker(void *arg)
{
	struct scan_run *r = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->w->n)
			break;
		scan_one(r, r->w->paths[i]);
	}
	return NULL;
}

static int
parse_int_opt(const char *name, const char *v, long long min, long long max, long long *out)
{
	if (!v || vg_parse_ll(v, min, max, out) != VG_OK)
		return cmd_usage_error(&cmd_scan, "%s needs a number in %lld..%lld", name, min, max);
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct walk w = { .log = &ctx->log };
	struct scan_run r = { .w = &w, .ctx = ctx };
	struct webshell_scanner *ws = NULL;
	struct vg_config *cfg = NULL;
	const char *rules = NULL, *vault = NULL;
	char rules_buf[4096], err[1024];
	long long threads = 2, max_size = WEBSHELL_DEFAULT_MAX_SIZE, timeout = WEBSHELL_DEFAULT_TIMEOUT;
	bool quarantine = false, no_progress = false, arg_error = false, end_opts = false;
	char **paths = NULL;
	int npaths = 0, ret = VG_EXIT_OK, rc;
	pthread_t tids[SCAN_MAX_THREADS];
	int started = 0;

	if (!(paths = calloc((size_t)argc, sizeof(*paths))))
		return VG_EXIT_RUNTIME;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (end_opts || a[0] != '-' || strcmp(a, "-") == 0) {
			paths[npaths++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			end_opts = true;
		} else if (strcmp(a, "--threads") == 0 || strcmp(a, "-j") == 0) {
			if ((ret = parse_int_opt(a, v, 1, SCAN_MAX_THREADS, &threads)))
				goto out;
			i++;
		} else if (strcmp(a, "--timeout") == 0) {
			if ((ret = parse_int_opt(a, v, 1, 3600, &timeout)))
				goto out;
			i++;
		} else if (strcmp(a, "--max-size") == 0) {
			if (!v || vg_parse_size(v, &max_size) != VG_OK || max_size <= 0) {
				ret = cmd_usage_error(&cmd_scan, "--max-size needs a size like 8M");
				goto out;
			}
			i++;
		} else if (strcmp(a, "--rules") == 0) {
			if (!v) {
				ret = cmd_usage_error(&cmd_scan, "--rules needs a file or directory");
				goto out;
			}
			rules = v;
			i++;
		} else if (strcmp(a, "--vault") == 0) {
			if (!v) {
				ret = cmd_usage_error(&cmd_scan, "--vault needs a directory");
				goto out;
			}
			vault = v;
			quarantine = true;
			i++;
		} else if (strcmp(a, "--quarantine") == 0) {
			quarantine = true;
		} else if (strcmp(a, "--all") == 0) {
			r.all = true;
		} else if (strcmp(a, "--no-progress") == 0) {
			no_progress = true;
		} else {
			ret = cmd_usage_error(&cmd_scan, "unknown option '%s'", a);
			goto out;
		}
	}
	if (npaths == 0) {
		ret = cmd_usage_error(&cmd_scan, "expected at least one PATH");
		goto out;
	}
	if (quarantine && !vault) {
		if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
			goto out;
		vault = cfg->protect.quarantine_dir;
	}
	if (!rules) {
		if (webshell_find_rules(rules_buf, sizeof(rules_buf)) != VG_OK) {
			fprintf(stderr, "vigil scan: no webshell rules found; use --rules DIR or set "
					"VIGIL_WEBSHELL_RULES\n");
			ret = VG_EXIT_USAGE;
			goto out;
		}
		rules = rules_buf;
	}
	rc = webshell_scanner_new(rules, &ctx->log, &ws, err, sizeof(err));
	if (rc != VG_OK) {
		fprintf(stderr, "vigil scan: rules: %s\n", err[0] ? err : vg_strerror(rc));
		ret = rc == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
		goto out;
	}
	webshell_scanner_set_limits(ws, max_size, (int)timeout);
	webshell_scanner_set_full(ws, r.all);
	vg_info(&ctx->log, "scan: %zu rules from %s", webshell_scanner_rule_count(ws), rules);

	double t0 = now_s();
	for (int i = 0; i < npaths; i++) {
		if (walk_arg(&w, paths[i], &arg_error) != VG_OK) {
			fprintf(stderr, "vigil scan: out of memory while listing files\n");
			ret = VG_EXIT_RUNTIME;
			goto out;
		}
	}
	r.ws = ws;
	r.vault = quarantine ? vault : NULL;
	r.progress = !no_progress && isatty(STDERR_FILENO) && ctx->log.level > VG_LOG_ERROR;
	pthread_mutex_init(&r.out_lock, NULL);
	atomic_init(&r.next, 0);
	if ((size_t)threads > w.n)
		threads = w.n ? (long long)w.n : 1;
	for (long long i = 1; i < threads; i++) {
		if (pthread_create(&tids[started], NULL, worker, &r) != 0)
			break;
		started++;
	}
	worker(&r);	/* the main thread is a worker too */
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&r.out_lock);
	double dt = now_s() - t0;
	if (r.progress)
		progress(&r, true);

	if (ctx->log.level > VG_LOG_ERROR) {
		double mib = (double)r.bytes / (1024.0 * 1024.0);
		fprintf(stderr,
		    "vigil scan: %zu files, %.1f MiB in %.2f s (%.1f MiB/s, %.0f files/s, %d "
		    "threads): %zu malicious, %zu suspicious\n",
		    r.done - r.vanished - r.too_big - r.unreadable - r.not_regular, mib, dt,
		    dt > 0 ? mib / dt : 0, dt > 0 ? (double)r.done / dt : 0, started + 1,
		    r.malicious, r.suspicious);
		if (w.special || w.symlinks || r.too_big || w.loops || w.dropped || r.not_regular)
			fprintf(stderr, "vigil scan: skipped: %zu special files, %zu symlinks, %zu "
					"over the size limit, %zu directory loops, %zu over the file "
					"limit\n",
			    w.special + r.not_regular, w.symlinks, r.too_big, w.loops, w.dropped);
		if (r.vanished || r.unreadable || w.walk_errors)
			fprintf(stderr, "vigil scan: errors: %zu vanished, %zu unreadable files, %zu "
					"unreadable directories\n",
			    r.vanished, r.unreadable, w.walk_errors);
		if (r.vault)
			fprintf(stderr, "vigil scan: quarantined %zu into %s%s\n", r.quarantined,
			    r.vault, r.quarantine_failed ? " (some failed, see above)" : "");
	}
	if (r.malicious || r.suspicious)
		ret = VG_EXIT_FOUND;
	else if (arg_error || r.quarantine_failed)
		ret = VG_EXIT_RUNTIME;
	else
		ret = VG_EXIT_OK;
out:
	webshell_scanner_free(ws);
	walk_free(&w);
	vg_config_free(cfg);
	free(paths);
	return ret;
}

const struct cmd_ops cmd_scan = {
	.name = "scan",
	.summary = "scan web roots for webshells (YARA rules + statistics)",
	.help =
	    "usage: vigil scan [--json] [--threads N] [--quarantine] [options] PATH...\n"
	    "\n"
	    "Scans every regular file under each PATH (recursively) for webshells in PHP,\n"
	    "JSP/JSPX, ASP and ASPX: YARA rules (rules/webshell/NAME.yar) give each match a\n"
	    "weight, file statistics (entropy, longest token, compression estimate,\n"
	    "non-printable share) add at most 35, and the total score (0-100) gives a level:\n"
	    "clean (< 40), suspicious (40-69), malicious (>= 70). A single weak signal stays\n"
	    "clean. Symlinks are never followed, FIFOs/devices/sockets never opened, files\n"
	    "that vanish mid-scan are counted and skipped.\n"
	    "\n"
	    "Output: suspicious and malicious files, as a table, or with --json one JSON\n"
	    "object per line: path, score, level, families, rules, sha256, size, entropy,\n"
	    "longest_token, compress_ratio, nonprint_share, rule_score, stats_score,\n"
	    "partial (YARA hit its time/match limit), quarantine_id (when quarantined).\n"
	    "A summary (files, MiB, MiB/s, skips, errors) goes to stderr, with a progress\n"
	    "bar when stderr is a terminal.\n"
	    "\n"
	    "options:\n"
	    "  --threads N, -j N  worker threads (default 2, max 64)\n"
	    "  --quarantine       move malicious files into the vault (protect.quarantine_dir\n"
	    "                     from the config); see `vigil quarantine`\n"
	    "  --vault DIR        quarantine into DIR (implies --quarantine)\n"
	    "  --rules PATH       rule file or directory of *.yar (default: $VIGIL_WEBSHELL_RULES,\n"
	    "                     else rules/webshell of the source tree or\n"
	    "                     /usr/share/vigil/rules/webshell)\n"
	    "  --max-size SIZE    skip larger files (default 8M; k/M/G suffixes)\n"
	    "  --timeout SECS     YARA time limit per file (default 5)\n"
	    "  --all              also print clean files, with statistics and sha256 for\n"
	    "                     every file (slower; by default only files a rule matched\n"
	    "                     get statistics and only reported files are hashed)\n"
	    "  --no-progress      no progress bar\n"
	    "\n"
	    "exit: 0 nothing found, 1 suspicious or malicious files found, 2 usage or rule\n"
	    "error, 3 a PATH could not be read or a quarantine failed.\n",
	.run = run,
};
