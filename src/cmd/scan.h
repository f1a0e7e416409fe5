/* What the `vigil scan` files share: its options. */
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

#endif
