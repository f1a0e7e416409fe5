/* `vigil tail`: options, then monitor/follow (the spine with the file tailer and
 * syslog sources and the JSON line output as consumer). A test and debug harness for
 * the sources `vigil watch` uses. */
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "monitor/follow.h"
#include "monitor/syslog_recv.h"
#include "monitor/tail.h"

#include <getopt.h>
#include <stdio.h>

extern const struct cmd_ops cmd_tail;

static const struct option tail_options[] = {
	{ "store", required_argument, NULL, 's' },
	{ "output", required_argument, NULL, 'o' },
	{ "syslog", required_argument, NULL, 'y' },
	{ "max-line", required_argument, NULL, 'l' },
	{ "rotate-wait", required_argument, NULL, 'w' },
	{ "max-files", required_argument, NULL, 'm' },
	{ NULL, 0, NULL, 0 },
};

struct topts {
	struct follow_opts f;
	const char *syslogs[SYSLOG_MAX_LISTENERS];
	long long max_line, rotate_wait, max_files;
};

static int
set_opt(struct topts *o, int c, const char *v)
{
	switch (c) {
	case 's': o->f.store_path = v; break;
	case 'o': o->f.output = v; break;
	case 'y':
		if (o->f.n_syslog >= SYSLOG_MAX_LISTENERS)
			return cmd_usage_error(&cmd_tail, "too many --syslog");
		o->syslogs[o->f.n_syslog++] = v;
		break;
	case 'l':
		if (vg_parse_size(v, &o->max_line) != VG_OK || o->max_line < 256 ||
		    o->max_line > (64 << 20))
			return cmd_usage_error(&cmd_tail, "--max-line: 256..64M");
		break;
	case 'w':
		if (vg_parse_ll(v, 0, 3600000, &o->rotate_wait) != VG_OK)
			return cmd_usage_error(&cmd_tail, "--rotate-wait: milliseconds");
		break;
	case 'm':
		if (vg_parse_ll(v, 1, 1000000, &o->max_files) != VG_OK)
			return cmd_usage_error(&cmd_tail, "--max-files: 1..1000000");
		break;
	default:
		return VG_EXIT_USAGE;
	}
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct topts o = { .max_line = 64 << 10, .rotate_wait = TAIL_ROTATE_WAIT_MS_DEFAULT };
	struct vg_config *cfg = NULL;
	char err[512];
	int ret, c;

	optind = 0;
	while ((c = cmd_getopt(&cmd_tail, argc, argv, ":", tail_options)) != -1)
		if ((ret = set_opt(&o, c, optarg)) != VG_EXIT_OK)
			return ret;
	o.f.paths = argv + optind;
	o.f.n_paths = (size_t)(argc - optind);
	if (o.f.n_paths == 0 && o.f.n_syslog == 0) {
		if (!ctx->config_path)
			return cmd_usage_error(&cmd_tail,
			    "give at least one PATH or --syslog ADDR (or --config FILE)");
		/* the configured sources; the store stays opt-in (--store), so trying
		 * a config out never moves the positions `vigil watch` resumes from */
		if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
			return ret;
		if (cfg->monitor.sources.n == 0 && cfg->monitor.syslog.n == 0) {
			vg_config_free(cfg);
			return cmd_usage_error(&cmd_tail, "the configuration has no monitor.sources "
			    "and no monitor.syslog");
		}
		o.max_line = cfg->monitor.max_line;
		o.f.cfg = cfg;
	}
	o.f.syslogs = o.syslogs;
	o.f.max_line = (size_t)o.max_line;
	o.f.max_files = (size_t)o.max_files;
	o.f.rotate_wait_ms = (unsigned)o.rotate_wait;
	o.f.log = &ctx->log;
	int r = follow_run(&o.f, err, sizeof(err));
	if (r != VG_OK && err[0])
		cmd_eprintf("vigil tail: %s\n", err);
	vg_config_free(cfg);
	return r == VG_OK ? VG_EXIT_OK : r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
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
