/* What the `vigil backup` files share: the options and one function per subcommand. */
#ifndef VG_CMD_BACKUP_H
#define VG_CMD_BACKUP_H

#include "cmd/protect_cmd.h"

extern const struct cmd_ops cmd_backup;

struct bopts {
	const char *webroot, *snapshot, *to, *path;
	long long threads;
	bool dry_run;
};

typedef int backup_verb_fn(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel,
    size_t n, const struct bopts *o);
backup_verb_fn bcmd_create, bcmd_list, bcmd_verify, bcmd_restore;

#endif
