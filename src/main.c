/* vigil entry point: parses global options (accepted before or after the command),
 * then dispatches to the subcommand table in cmd/registry.c. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "core/paths.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.1.0"
#endif

static void
print_usage(FILE *out)
{
	fprintf(out,
	    "usage: vigil [--config FILE] [--json] [-q|-v] <command> [options]\n"
	    "\n"
	    "vigil protects an organisation's websites and key systems through a major event.\n"
	    "\n"
	    "commands:\n");
	for (size_t i = 0; cmd_registry[i]; i++)
		fprintf(out, "  %-14s %s\n", cmd_registry[i]->name, cmd_registry[i]->summary);
	fprintf(out,
	    "\n"
	    "global options (before or after the command):\n"
	    "  --config FILE  configuration file (default: $VIGIL_CONFIG, else\n"
	    "                 /etc/vigil/vigil.yaml if readable, else built-in defaults)\n"
	    "  --json         machine-readable JSON output on stdout\n"
	    "  -q, --quiet    only errors on stderr\n"
	    "  -v, --verbose  more detail on stderr (repeat for debug)\n"
	    "  -h, --help     this help; `vigil <command> --help` for a command\n"
	    "  --version      print the version\n"
	    "\n"
	    "exit codes: 0 ok, 1 alerts or findings reported, 2 usage or configuration error,\n"
	    "            3 runtime error (I/O, store)\n");
}

/* A command's output that did not reach stdout is an error (exit 3), never a
 * silent success: a full disk, a closed pipe. Work already done (alerts stored)
 * stays done; only the printing stopped. */
static int
check_stdout(const char *name, int ret)
{
	int err = 0;

	errno = 0;
	if (fflush(stdout) != 0)
		err = errno;
	if (!ferror(stdout) && err == 0)
		return ret;
	if (err == EPIPE || (err == 0 && errno == EPIPE))
		fprintf(stderr, "vigil %s: standard output was closed; output stopped there "
		    "(the work itself was finished)\n", name);
	else
		fprintf(stderr, "vigil %s: cannot write standard output%s%s\n", name,
		    err ? ": " : "", err ? strerror(err) : "");
	return ret == VG_EXIT_USAGE ? ret : VG_EXIT_RUNTIME;
}

static const struct cmd_ops *
find_command(const char *name)
{
	for (size_t i = 0; cmd_registry[i]; i++)
		if (strcmp(cmd_registry[i]->name, name) == 0)
			return cmd_registry[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	struct vg_ctx ctx = { .argv0 = argv[0], .log = { .level = VG_LOG_WARN,
	    .journal = vg_log_stderr_is_journal() } };
	char default_config[4096];
	const struct cmd_ops *cmd = NULL;
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	int nrest = 0, verbosity = 0, ret;
	bool want_help = false, end_of_opts = false;

	if (!rest) {
		fprintf(stderr, "vigil: out of memory\n");
		return VG_EXIT_RUNTIME;
	}
	/* A closed stdout (`vigil scan-log --store p.db big.log | head -1`) must stop
	 * the printing, not the command: writes then fail with EPIPE and are reported
	 * once at the end, after everything has been stored. */
	signal(SIGPIPE, SIG_IGN);
	/* Pull global options out wherever they are; everything else, in order,
	 * goes to the command (argv[0] of which is the command name). */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (end_of_opts) {
			rest[nrest++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			end_of_opts = true;
			rest[nrest++] = argv[i];
		} else if (strcmp(a, "--json") == 0) {
			ctx.json = true;
		} else if (strcmp(a, "--config") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "vigil: --config needs a file\n");
				print_usage(stderr);
				free(rest);
				return VG_EXIT_USAGE;
			}
			ctx.config_path = argv[++i];
		} else if (strncmp(a, "--config=", 9) == 0) {
			ctx.config_path = a + 9;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			verbosity = -1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			verbosity++;
		} else if (strcmp(a, "-vv") == 0) {
			verbosity += 2;
		} else if (strcmp(a, "--version") == 0 && nrest == 0) {
			printf("vigil %s\n", VIGIL_VERSION);
			free(rest);
			return VG_EXIT_OK;
		} else if ((strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) && nrest == 0) {
			want_help = true;
		} else {
			rest[nrest++] = argv[i];
		}
	}
	if (!ctx.config_path && vg_default_config(default_config, sizeof(default_config)) == VG_OK)
		ctx.config_path = default_config;
	if (verbosity < 0)
		ctx.log.level = VG_LOG_ERROR;
	else if (verbosity == 1)
		ctx.log.level = VG_LOG_INFO;
	else if (verbosity > 1)
		ctx.log.level = VG_LOG_DEBUG;

	if (nrest == 0) {
		print_usage(want_help ? stdout : stderr);
		free(rest);
		return want_help ? VG_EXIT_OK : VG_EXIT_USAGE;
	}
	if (rest[0][0] == '-') {
		fprintf(stderr, "vigil: unknown option '%s'\n", rest[0]);
		print_usage(stderr);
		free(rest);
		return VG_EXIT_USAGE;
	}
	if (strcmp(rest[0], "help") == 0) {
		cmd = nrest > 1 ? find_command(rest[1]) : NULL;
		if (cmd)
			printf("%s", cmd->help);
		else
			print_usage(stdout);
		free(rest);
		return check_stdout("help", VG_EXIT_OK);
	}
	if (strcmp(rest[0], "__complete") == 0) {
		ret = cmd_complete(&ctx, nrest, rest);
		free(rest);
		return check_stdout("__complete", ret);
	}
	cmd = find_command(rest[0]);
	if (!cmd) {
		fprintf(stderr, "vigil: unknown command '%s'\n", rest[0]);
		print_usage(stderr);
		free(rest);
		return VG_EXIT_USAGE;
	}
	if (want_help || cmd_wants_help(nrest, rest)) {
		printf("%s", cmd->help);
		free(rest);
		return check_stdout(cmd->name, VG_EXIT_OK);
	}
	ret = cmd->run(&ctx, nrest, rest);
	ret = check_stdout(cmd->name, ret);
	free(rest);
	return ret;
}
