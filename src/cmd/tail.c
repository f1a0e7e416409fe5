/* `vigil tail`: the spine with the file tailer and syslog sources and the JSON line
 * output (monitor/lineout) as consumer, checkpointing file positions in the store
 * after every round. A test and debug harness for the sources `vigil watch` uses. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "core/buf.h"
#include "monitor/lineout.h"
#include "monitor/syslog_recv.h"
#include "monitor/tail.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct cmd_ops cmd_tail;

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
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "syslog", required_argument, NULL, 'y' },
		{ "max-line", required_argument, NULL, 'l' },
		{ "rotate-wait", required_argument, NULL, 'w' },
		{ "max-files", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct lineout *lo = NULL;
	struct loop *l = NULL;
	struct spine *sp = NULL;
	char err[512], **paths;
	int ret = VG_EXIT_RUNTIME, r, c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		const char *v = optarg;
		switch (c) {
		case 's': store_path = v; break;
		case 'o': output = v; break;
		case 'y':
			if (n_syslog >= SYSLOG_MAX_LISTENERS)
				return cmd_usage_error(&cmd_tail, "too many --syslog");
			syslogs[n_syslog++] = v;
			break;
		case 'l':
			if (vg_parse_size(v, &max_line) != VG_OK || max_line < 256 ||
			    max_line > (64 << 20))
				return cmd_usage_error(&cmd_tail, "--max-line: 256..64M");
			break;
		case 'w':
			if (vg_parse_ll(v, 0, 3600000, &rotate_wait) != VG_OK)
				return cmd_usage_error(&cmd_tail, "--rotate-wait: milliseconds");
			break;
		case 'm':
			if (vg_parse_ll(v, 1, 1000000, &max_files) != VG_OK)
				return cmd_usage_error(&cmd_tail, "--max-files: 1..1000000");
			break;
		case ':':
			return cmd_usage_error(&cmd_tail, "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error(&cmd_tail, "unknown option %s", argv[optind - 1]);
		}
	}
	n_paths = (size_t)(argc - optind);
	paths = argv + optind;
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

	if (n_paths > 0 || (cfg && cfg->monitor.sources.n > 0)) {
		if (tail_new(&ctx->log, (size_t)max_line, &t) != VG_OK)
			goto out;
		if (max_files)
			tail_set_max_files(t, (size_t)max_files);
		tail_set_rotate_wait(t, (unsigned)rotate_wait);
		for (size_t i = 0; i < n_paths; i++) {
			r = tail_add(t, NULL, paths[i]);
			if (r != VG_OK) {
				fprintf(stderr, "vigil tail: %s: %s\n", paths[i], vg_strerror(r));
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

	if (lineout_new(&ctx->log, st, t, output, &lo) != VG_OK || loop_new(&l) != VG_OK)
		goto out;
	struct spine_consumer sc = { .line = lineout_line, .end = lineout_round_end, .arg = lo };
	if (spine_new(l, &sc, &ctx->log, "", &sp) != VG_OK ||
	    (t && spine_add(sp, &source_tail, t) != VG_OK) ||
	    (sr && spine_add(sp, &source_syslog, sr) != VG_OK))
		goto out;
	lineout_set_spine(lo, sp);
	if (spine_run(sp) != VG_OK)
		goto out;
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
	spine_free(sp);
	loop_free(l);
	lineout_free(lo);
	store_close(st);
	syslog_recv_free(sr);
	tail_free(t);
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
