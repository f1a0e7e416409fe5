/* `vigil scan-log`: the detection engine in batch mode over old logs (files or
 * stdin), as fast as it can read. Same decoders, rules and correlation as `watch`. */
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "monitor/pipeline.h"
#include "monitor/rules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern const struct cmd_ops cmd_scan_log;

#define READ_CHUNK (1 << 20)

struct scan_opts {
	const char *format;
	const char *log_format;
	const char *rules;
	const char *store_path;
	bool keep_going;
};

/* Feeds every line of fd to the pipeline. Lines longer than max_line are cut and
 * flagged; the rest of such a line is skipped, never taken for new lines. */
static int
scan_fd(struct pipeline *p, struct decoder *d, int fd, const char *name, size_t max_line,
    const struct vg_logger *log)
{
	struct vg_buf *buf = vg_buf_new(max_line + READ_CHUNK);
	char *chunk = malloc(READ_CHUNK);
	bool skipping = false;	/* inside the tail of an over-long line */
	int ret = VG_OK;
	int64_t now = vg_now_us();

	if (!buf || !chunk) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, chunk, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			vg_error(log, "%s: read error: %s", name, strerror(errno));
			ret = VG_ERR_IO;
			goto out;
		}
		if (n == 0)
			break;
		if ((ret = vg_buf_put(buf, chunk, (size_t)n)) != VG_OK)
			goto out;
		const char *base = vg_buf_ptr(buf), *pos = base, *end = base + vg_buf_len(buf);
		while (pos < end) {
			const char *nl = memchr(pos, '\n', (size_t)(end - pos));
			if (!nl) {
				size_t pending = (size_t)(end - pos);
				if (skipping) {
					pos = end;
				} else if (pending >= max_line) {
					ret = pipeline_line(p, d, name, pos, max_line, true, now);
					if (ret)
						goto out;
					skipping = true;
					pos = end;
				}
				break;
			}
			if (skipping) {
				skipping = false;
			} else {
				size_t len = (size_t)(nl - pos);
				bool cut = len > max_line;
				ret = pipeline_line(p, d, name, pos, cut ? max_line : len, cut, now);
				if (ret)
					goto out;
			}
			pos = nl + 1;
		}
		vg_buf_consume(buf, (size_t)(pos - base));
	}
	/* A last line without a newline is still a line. */
	if (vg_buf_len(buf) && !skipping)
		ret = pipeline_line(p, d, name, vg_buf_ptr(buf), vg_buf_len(buf), false, now);
out:
	free(chunk);
	vg_buf_free(buf);
	return ret;
}

static int
parse_args(int argc, char **argv, struct scan_opts *o, int *first_file)
{
	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
			o->format = argv[++i];
		} else if (strcmp(a, "--log-format") == 0 && i + 1 < argc) {
			o->log_format = argv[++i];
		} else if (strcmp(a, "--rules") == 0 && i + 1 < argc) {
			o->rules = argv[++i];
		} else if (strcmp(a, "--store") == 0 && i + 1 < argc) {
			o->store_path = argv[++i];
		} else if (strcmp(a, "--keep-going") == 0) {
			o->keep_going = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			return cmd_usage_error(&cmd_scan_log, "unknown or incomplete option '%s'", a);
		} else {
			break;
		}
	}
	*first_file = i;
	return VG_EXIT_OK;
}

static void
print_stats(FILE *out, const struct pipeline_stats *s, bool json, double seconds)
{
	if (json) {
		json_t *o = json_pack("{s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}}", "vigil.stats",
		    "lines", (json_int_t)s->lines, "decode_errors", (json_int_t)s->decode_errors,
		    "truncated", (json_int_t)s->truncated, "events_matched",
		    (json_int_t)s->events_matched, "hits", (json_int_t)s->hits, "alerts",
		    (json_int_t)s->alerts, "sources_evicted", (json_int_t)s->correlate.evicted_sources,
		    "store_errors", (json_int_t)s->store_errors, "seconds", seconds);
		json_dumpf(o, out, JSON_COMPACT);
		fputc('\n', out);
		json_decref(o);
		return;
	}
	fprintf(out,
	    "%llu lines (%llu undecodable, %llu truncated), %llu matched a rule, %llu alerts "
	    "in %.3f s (%.0f lines/s)\n",
	    (unsigned long long)s->lines, (unsigned long long)s->decode_errors,
	    (unsigned long long)s->truncated, (unsigned long long)s->events_matched,
	    (unsigned long long)s->alerts, seconds, seconds > 0 ? (double)s->lines / seconds : 0.0);
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct scan_opts o = { .format = "auto" };
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	struct pipeline *p = NULL;
	struct decoder *d = NULL;
	struct pipeline_stats stats;
	char err[512], *errors = NULL, *rules_path = NULL;
	int first = 1, ret, r;
	struct timespec t0, t1;

	if ((ret = parse_args(argc, argv, &o, &first)) != VG_EXIT_OK)
		return ret;
	if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
		return ret;
	ret = VG_EXIT_USAGE;
	if (cmd_rules_path(ctx, cfg, o.rules, &rules_path) != VG_OK)
		goto out;
	if (decoder_new(o.format, o.log_format, &d, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigil scan-log: %s\n", err);
		goto out;
	}
	if (o.store_path &&
	    (r = store_open(cfg->store.backend, o.store_path, &ctx->log, &st, err, sizeof(err)))) {
		fprintf(stderr, "vigil scan-log: %s\n", err);
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	char cache[4096];
	struct pipeline_opts po = {
		.rules_path = rules_path,
		.rules_cache = cmd_rules_cache(cfg, cache, sizeof(cache)),
		.rule_flags = o.keep_going ? RULESET_KEEP_GOING : 0,
		.store = st,
		.json_out = ctx->json ? stdout : NULL,
		.text_out = ctx->json ? NULL : stdout,
		.log = &ctx->log,
	};
	r = pipeline_new(&po, &p, &errors);
	if (errors)
		fputs(errors, stderr);
	if (r != VG_OK) {
		fprintf(stderr, "vigil scan-log: cannot load rules from %s: %s\n", rules_path,
		    vg_strerror(r));
		ret = r == VG_ERR_NOMEM ? VG_EXIT_RUNTIME : VG_EXIT_USAGE;
		goto out;
	}
	vg_info(&ctx->log, "scan-log: %zu rules from %s", pipeline_rule_count(p), rules_path);
	if (st && store_begin(st) != VG_OK) {
		fprintf(stderr, "vigil scan-log: %s\n", store_errmsg(st));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	ret = VG_EXIT_OK;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = first; i < argc || i == first; i++) {
		const char *path = i < argc ? argv[i] : "-";
		bool is_stdin = strcmp(path, "-") == 0;
		int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		struct stat sb;
		if (fd < 0 || fstat(fd, &sb) != 0) {
			fprintf(stderr, "vigil scan-log: %s: %s\n", path, strerror(errno));
			ret = VG_EXIT_RUNTIME;
			if (fd >= 0)
				close(fd);
			continue;
		}
		if (!is_stdin && !S_ISREG(sb.st_mode)) {
			fprintf(stderr, "vigil scan-log: %s: not a regular file, skipped\n", path);
			close(fd);
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		if (!is_stdin)
			fcntl(fd, F_SETFL, 0);
		r = scan_fd(p, d, fd, is_stdin ? "(stdin)" : path, (size_t)cfg->monitor.max_line,
		    &ctx->log);
		if (!is_stdin)
			close(fd);
		if (r != VG_OK) {
			fprintf(stderr, "vigil scan-log: %s: %s\n", path, vg_strerror(r));
			ret = VG_EXIT_RUNTIME;
			break;
		}
	}
	if (pipeline_flush(p) != VG_OK)
		ret = VG_EXIT_RUNTIME;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (st && store_commit(st) != VG_OK) {
		fprintf(stderr, "vigil scan-log: %s\n", store_errmsg(st));
		ret = VG_EXIT_RUNTIME;
	}
	pipeline_get_stats(p, &stats);
	if (stats.store_errors)
		ret = VG_EXIT_RUNTIME;
	print_stats(stderr, &stats, ctx->json,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (ret == VG_EXIT_OK && stats.alerts > 0)
		ret = VG_EXIT_FOUND;
out:
	free(errors);
	free(rules_path);
	pipeline_free(p);
	decoder_free(d);
	store_close(st);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_scan_log = {
	.name = "scan-log",
	.summary = "detect attacks in old log files (batch mode of the watch engine)",
	.help =
	    "usage: vigil scan-log [--json] [--format FMT] [--log-format STR] [--rules PATH]\n"
	    "                      [--store FILE] [--keep-going] [FILE...|-]\n"
	    "\n"
	    "Runs every line of FILE (or standard input, or '-') through the decoders, the\n"
	    "detection rules and correlation, as fast as it can, and prints one line per\n"
	    "alert: aggregated per (rule, source address) per 5-minute window, with a count,\n"
	    "first/last seen, and what matched. With --json, alerts are ECS JSON lines on\n"
	    "stdout. A summary (lines, undecodable lines, alerts, lines/s) goes to stderr.\n"
	    "\n"
	    "  --format FMT      auto (default), combined, nginx, apache, sshd, syslog, json\n"
	    "  --log-format STR  nginx log_format string (with --format nginx)\n"
	    "  --rules PATH      rule file or directory (default: monitor.rules from the\n"
	    "                    config, else $VIGIL_RULES, else ./rules, else the rules\n"
	    "                    shipped with this build)\n"
	    "  --store FILE      also save alerts and their evidence lines in this store\n"
	    "  --keep-going      skip broken rules (reported) instead of refusing to start\n"
	    "\n"
	    "Lines longer than monitor.max_line are cut, flagged and still analysed; lines\n"
	    "no decoder understands are counted, never dropped silently.\n"
	    "\n"
	    "exit: 0 no alerts, 1 alerts, 2 usage/config/rule error, 3 I/O or store error.\n",
	.run = run,
};
