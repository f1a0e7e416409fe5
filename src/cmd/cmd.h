/* Subcommand interface: each subcommand is one file exposing a const struct cmd_ops,
 * listed once in cmd/registry.c. main() parses global options into struct vg_ctx. */
#ifndef VG_CMD_H
#define VG_CMD_H

#include "core/config.h"
#include "core/log.h"
#include "core/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes, documented in README and --help. */
enum vg_exit {
	VG_EXIT_OK = 0,		/* success, nothing found */
	VG_EXIT_FOUND = 1,	/* ran fine and found alerts/findings */
	VG_EXIT_USAGE = 2,	/* bad usage or configuration */
	VG_EXIT_RUNTIME = 3,	/* runtime failure (I/O, store) */
	VG_EXIT_INCOMPLETE = 4,	/* ran, found nothing, but part of the input was not
				 * examined (`scan`: not-scanned findings) */
};

/* What every subcommand receives; owned by main. */
struct vg_ctx {
	const char *config_path;	/* --config, or NULL for defaults */
	bool json;			/* --json: machine-readable output on stdout */
	struct vg_logger log;
	const char *argv0;
};

struct cmd_ops {
	const char *name;
	const char *summary;	/* one line for `vigil --help` */
	const char *help;	/* full text for `vigil CMD --help` (usage first) */
	/* argv[0] is the command name; global options are already removed.
	 * Returns an enum vg_exit value. */
	int (*run)(struct vg_ctx *ctx, int argc, char **argv);
};

/* NULL-terminated table of subcommands. */
extern const struct cmd_ops *const cmd_registry[];

/* Loads ctx->config_path (or defaults) and prints any error; VG_EXIT_* code. */
int cmd_load_config(struct vg_ctx *ctx, struct vg_config **out);

/* Loads the config unless *cfg is already set, then opens its store; on failure
 * prints "vigil NAME: reason" and returns the VG_EXIT_* code (*cfg may be set and
 * is the caller's to free either way). */
int cmd_open_store(struct vg_ctx *ctx, const char *name, struct vg_config **cfg,
    struct vg_store **st);

/* Prints "vigil CMD: msg" and the command's usage line to stderr; returns VG_EXIT_USAGE. */
int cmd_usage_error(const struct cmd_ops *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The detection rules to load: opt if given, else ruleset_default_path() for cfg
 * (cfg may be NULL). *out is malloc'd (caller frees). 0 or VG_ERR_*. */
int cmd_rules_path(struct vg_ctx *ctx, const struct vg_config *cfg, const char *opt, char **out);

/* The compiled-rules cache directory: monitor.rules_cache if configured, else the
 * default (vg_default_cache_dir). Returns out, or NULL to run uncached. */
const char *cmd_rules_cache(const struct vg_config *cfg, char *out, size_t size);

struct ioc_set;
/* Loads cfg's monitor.ioc_files for a detecting command (cmd names it in messages):
 * *out is NULL when none are configured, else a set the caller frees with
 * ioc_set_free. Bad lines are printed and skipped; an unreadable list refuses
 * (VG_EXIT_USAGE), as a missing list would be a silent blind spot. VG_EXIT_*. */
int cmd_load_ioc(struct vg_ctx *ctx, const struct vg_config *cfg, const char *cmd,
    struct ioc_set **out);

struct option;
/* getopt_long over argv[1..] of a command that takes options only (argv[0] is the
 * command or subcommand): fn gets each option's val and value (NULL for flags) and
 * returns VG_EXIT_OK or an exit code that stops parsing. A missing value prints
 * "OPT needs a value", anything else "unknown argument 'ARG'" (VG_EXIT_USAGE). */
int cmd_parse_options(const struct cmd_ops *cmd, int argc, char **argv,
    const struct option *opts, int (*fn)(void *arg, int val, const char *value), void *arg);

/* For commands with operands: getopt_long over argv (argv[0] = its name; set
 * optind = 0 first; operands are left in argv[optind..])
 * without getopt's own messages: the option, -1 at the end, or 0 after printing
 * "unknown option 'OPT'" (or, with a leading ':' in shortopts, "OPT needs a value")
 * with cmd's usage (then return VG_EXIT_USAGE). */
int cmd_getopt(const struct cmd_ops *cmd, int argc, char **argv, const char *shortopts,
    const struct option *longopts);

/* `rules ioc` (cmd/rules_ioc.c); argv[0] is "ioc". */
int cmd_rules_ioc(struct vg_ctx *ctx, int argc, char **argv);

/* fprintf(stderr, fmt, ...) for one message line: the formatted text goes through
 * core/esc as a whole (control bytes, newlines inside, ESC as \xNN) and ends with
 * one newline. Every message that may quote a path, a file name, an error text
 * built from them, or a log line goes through here. */
void cmd_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints s (NULL = nothing) through core/esc: text from outside (log lines, file
 * names) on a terminal. */
void cmd_put_escaped(FILE *out, const char *s);

/* Prints j as one compact JSON line on stdout (NULL prints nothing); the _new form
 * also drops the caller's reference, so a json_pack() result can be passed as is. */
void cmd_print_json(const json_t *j);
void cmd_print_json_new(json_t *j);

/* Store rows as JSON: a string member or "", an integer member or 0. */
const char *cmd_jstr(const json_t *o, const char *key);
int64_t cmd_jint(const json_t *o, const char *key);
/* µs since the epoch as local "YYYY-MM-DD HH:MM:SS" (buf >= 20 bytes). */
void cmd_local_time(int64_t us, char *buf, size_t size);

/* Hidden `vigil __complete webroots` (argv[0] "__complete"): the configured web-root
 * names, one a line, for shell completion; nothing on stderr. VG_EXIT_*. */
int cmd_complete(struct vg_ctx *ctx, int argc, char **argv);

/* True if argv holds -h or --help. */
bool cmd_wants_help(int argc, char **argv);

#endif
