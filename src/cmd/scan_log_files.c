/* `vigil scan-log`'s run over its files: each opened, checked and fed to the
 * pipeline, and the figures printed at the end; and what the run opens first
 * (decoder, IOC lists, the --store). */
#include "cmd/scan_log.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void
scan_log_print_stats(FILE *out, const struct pipeline_stats *s, bool json, double seconds)
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

int
scan_log_files(struct vg_ctx *ctx, struct pipeline *p, struct decoder *d, struct vg_store *st,
    size_t max_line, int nfiles, char **files)
{
	struct pipeline_stats stats;
	struct timespec t0, t1;
	int ret, r;

	ret = VG_EXIT_OK;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < nfiles || i == 0; i++) {
		const char *path = i < nfiles ? files[i] : "-";
		bool is_stdin = strcmp(path, "-") == 0;
		int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		struct stat sb;
		if (fd < 0 || fstat(fd, &sb) != 0) {
			cmd_eprintf("vigil scan-log: %s: %s\n", path, strerror(errno));
			ret = VG_EXIT_RUNTIME;
			if (fd >= 0)
				close(fd);
			continue;
		}
		if (!is_stdin && !S_ISREG(sb.st_mode)) {
			cmd_eprintf("vigil scan-log: %s: not a regular file, skipped\n", path);
			close(fd);
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		if (!is_stdin)
			fcntl(fd, F_SETFL, 0);
		r = pipeline_scan_fd(p, d, fd, is_stdin ? "(stdin)" : path, max_line, &ctx->log);
		if (!is_stdin)
			close(fd);
		if (r != VG_OK) {
			cmd_eprintf("vigil scan-log: %s: %s\n", path, vg_strerror(r));
			ret = VG_EXIT_RUNTIME;
			break;
		}
	}
	if (pipeline_flush(p) != VG_OK)
		ret = VG_EXIT_RUNTIME;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (st && store_commit(st) != VG_OK) {
		cmd_eprintf("vigil scan-log: %s\n", store_errmsg(st));
		ret = VG_EXIT_RUNTIME;
	}
	pipeline_get_stats(p, &stats);
	if (stats.store_errors)
		ret = VG_EXIT_RUNTIME;
	scan_log_print_stats(stderr, &stats, ctx->json,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return ret == VG_EXIT_OK && stats.alerts > 0 ? VG_EXIT_FOUND : ret;
}

int
scan_log_open(struct vg_ctx *ctx, const struct vg_config *cfg, const char *format,
    const char *log_format, const char *store_path, struct decoder **d, struct ioc_set **ioc,
    struct vg_store **st)
{
	char err[512];
	int ret;

	if (decoder_new(format, log_format, d, err, sizeof(err)) != VG_OK) {
		cmd_eprintf("vigil scan-log: %s\n", err);
		return VG_EXIT_USAGE;
	}
	if ((ret = cmd_load_ioc(ctx, cfg, "scan-log", ioc)) != VG_EXIT_OK)
		return ret;
	if (store_path &&
	    store_open(cfg->store.backend, store_path, &ctx->log, st, err, sizeof(err)) != VG_OK) {
		cmd_eprintf("vigil scan-log: %s\n", err);
		return VG_EXIT_RUNTIME;
	}
	return VG_EXIT_OK;
}
