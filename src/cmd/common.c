/* Helpers shared by the subcommands: options and usage errors. What they load
 * (config, store, rules, IOC) is common_load.c; what they print with, print.c. */
#include "cmd/cmd.h"
#include "core/err.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
cmd_parse_options(const struct cmd_ops *cmd, int argc, char **argv,
    const struct option *opts, int (*fn)(void *arg, int val, const char *value), void *arg)
{
	int c, ret;

	opterr = 0;
	optind = 0;	/* glibc: full re-initialisation */
	/* "-": operands come back in order (as val 1) so the first one is the one refused */
	while ((c = getopt_long(argc, argv, "-:", opts, NULL)) != -1) {
		if (c == ':')
			return cmd_usage_error(cmd, "%s needs a value", argv[optind - 1]);
		if (c == 1)
			return cmd_usage_error(cmd, "unknown argument '%s'", optarg);
		if (c == '?')
			return cmd_usage_error(cmd, "unknown argument '%s'", argv[optind - 1]);
		if ((ret = fn(arg, c, optarg)) != VG_EXIT_OK)
			return ret;
	}
	if (optind > 0 && optind <= argc && strcmp(argv[optind - 1], "--") == 0)
		return cmd_usage_error(cmd, "unknown argument '--'");
	return VG_EXIT_OK;
}

bool
cmd_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

int
cmd_usage_error(const struct cmd_ops *cmd, const char *fmt, ...)
{
	va_list ap;
	const char *nl;

	fprintf(stderr, "vigil %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	nl = strchr(cmd->help, '\n');
	fprintf(stderr, "\n%.*s\n", nl ? (int)(nl - cmd->help) : (int)strlen(cmd->help),
	    cmd->help);
	return VG_EXIT_USAGE;
}

int
cmd_getopt(const struct cmd_ops *cmd, int argc, char **argv, const char *shortopts,
    const struct option *longopts)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == ':') {
		cmd_usage_error(cmd, "%s needs a value", argv[optind - 1]);
		return 0;
	}
	if (c == '?') {
		cmd_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		return 0;
	}
	return c;
}
