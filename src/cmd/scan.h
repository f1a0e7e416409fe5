/* What the `vigil scan` files share: its options and what they open. */
#ifndef VG_CMD_SCAN_H
#define VG_CMD_SCAN_H

#include "cmd/cmd.h"

extern const struct cmd_ops cmd_scan;

struct scan_args {
	long long threads, max_size, timeout;
	const char *rules, *vault;
	bool quarantine, all, no_progress;
};

/* Fills a; on return VG_EXIT_OK, optind is the first PATH. */
int scan_parse_args(int argc, char **argv, struct scan_args *a);

struct webshell_scanner;
struct treescan;
/* The scanner for a's rules (given, else found) and limits; VG_EXIT_*, printing why. */
int scan_open_scanner(struct vg_ctx *ctx, const struct scan_args *a,
    struct webshell_scanner **ws);
/* Adds argv[optind..argc) to t; a PATH that does not exist sets *arg_error, one
 * that is not a file or directory is skipped with a message. VG_EXIT_OK, or
 * VG_EXIT_RUNTIME when out of memory. */
int scan_add_paths(struct treescan *t, int argc, char **argv, bool *arg_error);

#endif
