/* `vigil tail`: follows files (and syslog listeners) and prints each line as JSON,
 * checkpointing file positions in the store after every batch. A test and debug
 * harness for the monitor sources; `vigil watch` reuses the same modules. */
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "core/store.h"
#include "monitor/syslog_recv.h"
#include "monitor/tail.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern const struct cmd_ops cmd_tail;

#define OUT_MAX (32 << 20)
#define OUT_FLUSH_AT (8 << 20)	/* stop a batch here: the rest waits for the next one */

struct tail_cmd {
	struct vg_buf *out;	/* this batch's JSON lines */
	bool full;
	int out_fd;		/* --output file, or -1 for stdout */
	char *out_key;		/* its record in source_offsets: bytes of committed output */
	uint64_t out_size;	/* committed size of the --output file */
};

#define OUTPUT_KEY_PREFIX "vigil-tail-output:"

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return VG_ERR_IO;
		p += w;
		n -= (size_t)w;
	}
	return VG_OK;
}

static int
on_line(const struct source_line *line, void *arg)
{
	struct tail_cmd *tc = arg;
	json_t *j;
	char *s;
	int r;

	if (vg_buf_len(tc->out) >= OUT_FLUSH_AT) {
		tc->full = true;
		return 1;	/* back-pressure: not consumed, delivered again next batch */
	}
	j = json_pack("{s:s, s:s, s:I, s:o, s:b}", "source", line->source, "path", line->path,
	    "offset", (json_int_t)line->offset_after, "line",
	    vg_json_string_lossy(line->data, line->len), "truncated", line->truncated);
	if (!j)
		return VG_ERR_NOMEM;
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!s)
		return VG_ERR_NOMEM;
	r = vg_buf_puts(tc->out, s);
	if (r == VG_OK)
		r = vg_buf_puts(tc->out, "\n");
	free(s);
	return r;
}

/* With --output, the batch is written to the file first and the file's new size
 * is committed with the positions; a restart cuts the file back to the committed
 * size, so a kill at any point leaves every line in it exactly once. On stdout
 * nothing can be taken back, so positions go first and output second: a kill in
 * between loses at most this batch's printing, never duplicates it. */
static int
commit_batch(struct vg_ctx *ctx, struct tailer *t, struct vg_store *st, struct tail_cmd *tc)
{
	size_t len = vg_buf_len(tc->out);
	int r = VG_OK;

	if (tc->out_fd >= 0 && len > 0) {
		r = write_all(tc->out_fd, vg_buf_ptr(tc->out), len);
		if (r != VG_OK)
			vg_warn(&ctx->log, "tail: cannot write output: %s", strerror(errno));
	}
	/* nothing to save: no empty transaction (it would wait on a busy store too) */
	if (st && r == VG_OK && (len > 0 || (t && tail_unsaved(t)))) {
		bool began = (r = store_begin(st)) == VG_OK;
		if (r == VG_OK && t)
			r = tail_checkpoint(t, st);
		if (r == VG_OK && tc->out_fd >= 0 && len > 0) {
			struct store_offset so = { .offset = tc->out_size + len };
			r = store_offset_set(st, tc->out_key, &so);
		}
		if (r == VG_OK)
			r = store_commit(st);
		if (r != VG_OK) {
			vg_warn(&ctx->log, "tail: cannot save positions (%s); will retry",
			    store_errmsg(st));
			if (began)
				store_rollback(st);
		}
	}
	if (r != VG_OK) {
		/* take the batch back: the lines are read again next time */
		if (t)
			tail_rewind(t);
		if (tc->out_fd >= 0 && ftruncate(tc->out_fd, (off_t)tc->out_size) != 0)
			vg_warn(&ctx->log, "tail: cannot cut output back: %s", strerror(errno));
		vg_buf_reset(tc->out);
		tc->full = false;
		return r;
	}
	if (t)
		tail_committed(t);	/* without a store: releases finished rotated files */
	if (tc->out_fd >= 0) {
		tc->out_size += len;
	} else if (len > 0) {
		fwrite(vg_buf_ptr(tc->out), 1, len, stdout);
		fflush(stdout);
	}
	vg_buf_reset(tc->out);
	tc->full = false;
	return VG_OK;
}

/* Opens --output; with a store, cuts it back to the size committed last time. */
static int
open_output(struct vg_ctx *ctx, const char *path, struct vg_store *st, struct tail_cmd *tc)
{
	struct store_offset so;
	struct stat sb;
	char *abs = realpath(path, NULL);
	size_t n;

	tc->out_fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (tc->out_fd < 0 || fstat(tc->out_fd, &sb) != 0) {
		fprintf(stderr, "vigil tail: --output %s: %s\n", path, strerror(errno));
		free(abs);
		return VG_ERR_IO;
	}
	if (!abs)
		abs = realpath(path, NULL);	/* exists now */
	n = sizeof(OUTPUT_KEY_PREFIX) + strlen(abs ? abs : path);
	tc->out_key = malloc(n);
	if (!tc->out_key) {
		free(abs);
		return VG_ERR_NOMEM;
	}
	snprintf(tc->out_key, n, "%s%s", OUTPUT_KEY_PREFIX, abs ? abs : path);
	free(abs);
	tc->out_size = (uint64_t)sb.st_size;
	if (st && store_offset_get(st, tc->out_key, &so) == VG_OK &&
	    so.offset <= (uint64_t)sb.st_size) {
		if (so.offset < (uint64_t)sb.st_size)
			vg_info(&ctx->log, "tail: dropping %llu bytes of uncommitted output from %s",
			    (unsigned long long)((uint64_t)sb.st_size - so.offset), path);
		if (ftruncate(tc->out_fd, (off_t)so.offset) != 0)
			return VG_ERR_IO;
		tc->out_size = so.offset;
	}
	if (lseek(tc->out_fd, (off_t)tc->out_size, SEEK_SET) < 0)
		return VG_ERR_IO;
	return VG_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	const char *store_path = NULL, *output = NULL, *syslogs[SYSLOG_MAX_LISTENERS];
	size_t n_syslog = 0, n_paths = 0;
	long long max_line = 64 << 10, rotate_wait = TAIL_ROTATE_WAIT_MS_DEFAULT, max_files = 0;
	struct tailer *t = NULL;
	struct syslog_recv *sr = NULL;
	struct vg_store *st = NULL;
	struct vg_config *cfg = NULL;
	struct tail_cmd tc = { .out_fd = -1 };
	int ep = -1, sfd = -1, ret = VG_EXIT_RUNTIME, r;
	char err[512];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--store") == 0 || strcmp(a, "--syslog") == 0 ||
		    strcmp(a, "--output") == 0 ||
		    strcmp(a, "--max-line") == 0 || strcmp(a, "--rotate-wait") == 0 ||
		    strcmp(a, "--max-files") == 0) {
			if (!v)
				return cmd_usage_error(&cmd_tail, "%s needs a value", a);
			i++;
			if (strcmp(a, "--store") == 0) {
				store_path = v;
			} else if (strcmp(a, "--output") == 0) {
				output = v;
			} else if (strcmp(a, "--syslog") == 0) {
				if (n_syslog >= SYSLOG_MAX_LISTENERS)
					return cmd_usage_error(&cmd_tail, "too many --syslog");
				syslogs[n_syslog++] = v;
			} else if (strcmp(a, "--max-line") == 0) {
				if (vg_parse_size(v, &max_line) != VG_OK || max_line < 256 ||
				    max_line > (64 << 20))
					return cmd_usage_error(&cmd_tail, "--max-line: 256..64M");
			} else if (strcmp(a, "--rotate-wait") == 0) {
				if (vg_parse_ll(v, 0, 3600000, &rotate_wait) != VG_OK)
					return cmd_usage_error(&cmd_tail, "--rotate-wait: milliseconds");
			} else if (vg_parse_ll(v, 1, 1000000, &max_files) != VG_OK) {
				return cmd_usage_error(&cmd_tail, "--max-files: 1..1000000");
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			return cmd_usage_error(&cmd_tail, "unknown option %s", a);
		} else {
			argv[1 + n_paths++] = argv[i];	/* compact paths to the front */
		}
	}
	if (n_paths == 0 && n_syslog == 0 && !ctx->config_path)
		return cmd_usage_error(&cmd_tail,
		    "give at least one PATH or --syslog ADDR (or --config FILE)");
	if (n_paths == 0 && n_syslog == 0) {
		/* the configured sources; the store stays opt-in (--store), so trying
		 * a config out never moves the positions `vigil watch` resumes from */
		ret = cmd_load_config(ctx, &cfg);
		if (ret != VG_EXIT_OK)
			return ret;
		ret = VG_EXIT_RUNTIME;
		max_line = cfg->monitor.max_line;
		for (size_t i = 0; i < cfg->monitor.syslog.n && n_syslog < SYSLOG_MAX_LISTENERS; i++)
			syslogs[n_syslog++] = cfg->monitor.syslog.items[i];
		if (cfg->monitor.sources.n == 0 && n_syslog == 0) {
			vg_config_free(cfg);
			return cmd_usage_error(&cmd_tail, "the configuration has no monitor.sources "
			    "and no monitor.syslog");
		}
	}

	tc.out = vg_buf_new(OUT_MAX);
	if (!tc.out)
		goto out;
	if (n_paths > 0 || (cfg && cfg->monitor.sources.n > 0)) {
		if (tail_new(&ctx->log, (size_t)max_line, &t) != VG_OK)
			goto out;
		if (max_files)
			tail_set_max_files(t, (size_t)max_files);
		tail_set_rotate_wait(t, (unsigned)rotate_wait);
		for (size_t i = 0; i < n_paths; i++) {
			r = tail_add(t, NULL, argv[1 + i]);
			if (r != VG_OK) {
				fprintf(stderr, "vigil tail: %s: %s\n", argv[1 + i], vg_strerror(r));
				ret = VG_EXIT_USAGE;
				goto out;
			}
		}
		for (size_t i = 0; cfg && i < cfg->monitor.sources.n; i++) {
			const struct vg_source_cfg *sc = vg_config_source(cfg, i);
			r = tail_add(t, sc->name, sc->path);
			if (r != VG_OK) {
				fprintf(stderr, "vigil tail: monitor.sources[%zu] %s: %s\n", i, sc->path,
				    vg_strerror(r));
				ret = VG_EXIT_USAGE;
				goto out;
			}
		}
	}
	if (n_syslog > 0) {
		if (syslog_recv_new(&ctx->log, (size_t)max_line, 0, &sr) != VG_OK)
			goto out;
		for (size_t i = 0; i < n_syslog; i++) {
			r = syslog_recv_listen(sr, syslogs[i], err, sizeof(err));
			if (r != VG_OK) {
				fprintf(stderr, "vigil tail: --syslog %s\n", err);
				ret = r == VG_ERR_PARSE ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
				goto out;
			}
			/* the bound port, for callers that asked for port 0 */
			vg_info(&ctx->log, "syslog %s bound port %u", syslogs[i],
			    syslog_recv_port(sr, i));
		}
	}
	if (store_path) {
		if (store_open("sqlite", store_path, &ctx->log, &st, err, sizeof(err)) != VG_OK) {
			fprintf(stderr, "vigil tail: %s\n", err);
			goto out;
		}
		if (t && tail_restore(t, st) != VG_OK) {
			fprintf(stderr, "vigil tail: %s: cannot read positions: %s\n", store_path,
			    store_errmsg(st));
			goto out;
		}
	}

	if (output && open_output(ctx, output, st, &tc) != VG_OK)
		goto out;

	sfd = cmd_stop_signal_fd();
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0)
		goto out;
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 0 };
		epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
		if (t) {
			ev.data.u32 = 1;
			epoll_ctl(ep, EPOLL_CTL_ADD, tail_fd(t), &ev);
		}
		if (sr) {
			ev.data.u32 = 2;
			epoll_ctl(ep, EPOLL_CTL_ADD, syslog_recv_fd(sr), &ev);
		}
	}

	bool stop = false, again = true;
	struct timespec last_poll = { 0 };
	while (!stop) {
		struct epoll_event evs[4];
		struct timespec now;
		int n = epoll_wait(ep, evs, 4, again ? 0 : 250);
		if (n < 0 && errno != EINTR)
			goto out;
		for (int i = 0; i < n; i++)
			if (evs[i].data.u32 == 0)
				stop = true;
		clock_gettime(CLOCK_MONOTONIC, &now);
		bool do_poll = now.tv_sec != last_poll.tv_sec;
		if (do_poll)
			last_poll = now;
		if (t) {
			r = do_poll ? tail_poll(t, on_line, &tc) : tail_process(t, on_line, &tc);
			if (r < 0 && !tc.full)
				vg_warn(&ctx->log, "tail: %s", vg_strerror(r));
		}
		if (sr) {
			r = syslog_recv_process(sr, on_line, &tc);
			if (r < 0 && !tc.full)
				vg_warn(&ctx->log, "syslog: %s", vg_strerror(r));
		}
		again = tc.full || (t && tail_pending(t));
		if (commit_batch(ctx, t, st, &tc) != VG_OK)
			again = false;	/* store trouble: retry at the next tick */
	}
	ret = VG_EXIT_OK;
out:
	if (t) {
		struct tail_stats ts;
		tail_get_stats(t, &ts);
		vg_info(&ctx->log, "tail: %llu lines, %llu truncated, %llu rotations, %llu io errors",
		    (unsigned long long)ts.lines, (unsigned long long)ts.truncated,
		    (unsigned long long)ts.rotations, (unsigned long long)ts.io_errors);
	}
	if (sr) {
		struct syslog_stats ss;
		syslog_recv_get_stats(sr, &ss);
		vg_info(&ctx->log, "syslog: %llu messages, %llu truncated, %llu connections refused, "
		    "%llu datagrams dropped by the kernel", (unsigned long long)ss.lines,
		    (unsigned long long)ss.truncated, (unsigned long long)ss.conns_dropped,
		    (unsigned long long)ss.udp_kernel_drops);
	}
	if (ep >= 0)
		close(ep);
	if (sfd >= 0)
		close(sfd);
	store_close(st);
	syslog_recv_free(sr);
	tail_free(t);
	vg_buf_free(tc.out);
	if (tc.out_fd >= 0)
		close(tc.out_fd);
	free(tc.out_key);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_tail = {
	.name = "tail",
	.summary = "follow log files and syslog listeners, printing lines as JSON",
	.help =
	    "usage: vigil tail [--store FILE] [--output FILE] [--syslog ADDR]... [--max-line SIZE]\n"
	    "                  [--rotate-wait MS] [--max-files N] [PATH|GLOB]...\n"
	    "       vigil --config FILE tail [--store FILE] [options]\n"
	    "\n"
	    "Follows each PATH (a file, or a glob in the last component such as\n"
	    "'/var/log/nginx/*.access.log'; quote it) and prints every complete line as\n"
	    "one JSON object per line on stdout:\n"
	    "  {\"source\":..,\"path\":..,\"offset\":..,\"line\":..,\"truncated\":..}\n"
	    "offset is the file position just past the line (0 for syslog); path is the\n"
	    "file, or the sender's address for syslog. Files that do not exist yet, new\n"
	    "files matching a glob, rename rotation (the old file is read to its end),\n"
	    "copytruncate and delete + re-create are followed. New files are read from\n"
	    "the start. Without PATH and --syslog, follows the configuration's\n"
	    "monitor.sources and monitor.syslog (and uses its monitor.max_line); the\n"
	    "store is still only used with --store.\n"
	    "\n"
	    "  --store FILE       keep positions in this SQLite store: on start, resume each\n"
	    "                     file where the last run stopped (if its first bytes still\n"
	    "                     match; otherwise it was replaced and is read from 0);\n"
	    "                     positions are saved after every batch\n"
	    "  --output FILE      append the JSON lines to FILE instead of stdout; with\n"
	    "                     --store its committed size is saved with the positions and\n"
	    "                     a restart cuts off anything written after, so even after\n"
	    "                     kill -9 every line is in FILE exactly once\n"
	    "  --syslog ADDR      also receive syslog on udp://HOST:PORT or tcp://HOST:PORT\n"
	    "                     (TCP: LF-terminated or RFC 6587 octet-counted); repeatable\n"
	    "  --max-line SIZE    longer lines are cut to SIZE and flagged truncated\n"
	    "                     (default 64k, 256..64M)\n"
	    "  --rotate-wait MS   keep a rotated-away file open this long after its last\n"
	    "                     write, for late writers (default 2000)\n"
	    "  --max-files N      follow at most N files (default 1024)\n"
	    "\n"
	    "Stops on SIGINT/SIGTERM after saving positions.\n"
	    "exit: 0 stopped by a signal, 2 bad usage, 3 runtime failure.\n",
	.run = run,
};
