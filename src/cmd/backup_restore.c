/* `vigil backup restore`: a snapshot put back over its web root or into another directory. */
#include "cmd/backup.h"
#include "core/err.h"
#include "core/esc.h"
#include "respond/restore.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void
report_into(void *arg, const struct mf_entry *e, int err)
{
	const struct bopts *o = arg;
	char path[VG_ESC_MAX];
	vg_esc_s(path, sizeof(path), e->path);	/* names in a snapshot are the site's */
	if (o->dry_run)
		printf("would restore %s/%s\n", o->to, path);
	else	/* cmd_eprintf escapes the whole line */
		cmd_eprintf("vigil backup: %s: %s\n", e->path,
		    err == VG_ERR_FORMAT && e->type == MF_FILE ?
		    "backup object corrupted or missing; not restored" :
		    err == VG_ERR_IO && errno == ELOOP ?
		    "a directory on the way is a symbolic link; not followed" :
		    err == VG_ERR_IO ? strerror(errno) : vg_strerror(err));
}

static void
print_change(void *arg, const struct fim_change *ch)
{
	pcmd_change_print(stdout, ch, ((const struct vg_ctx *)arg)->json, false, NULL);
}

/* Into another directory: every entry of the snapshot (or of rel). */
static int
restore_into(struct vg_ctx *ctx, struct protect *p, const struct protect_root *r,
    const struct manifest *m, const char *id, const char *rel, const struct bopts *o)
{
	size_t done = 0, failed = 0;

	if (protect_restore_into(p, m, rel, o->to, o->dry_run, report_into, (void *)o, &done,
	    &failed) != VG_OK) {
		cmd_eprintf("vigil backup: %s: cannot create\n", o->to);
		return VG_EXIT_RUNTIME;
	}
	if (!ctx->json && !o->dry_run)
		printf("%s: snapshot %s: %zu entries restored into %s, %zu failed\n", r->name, id,
		    done, o->to, failed);
	return failed ? VG_EXIT_RUNTIME : VG_EXIT_OK;
}

static int
restore_over(struct vg_ctx *ctx, struct protect *p, struct protect_root *r,
    const struct manifest *m, const char *id, const char *rel, const struct bopts *o)
{
	struct restore_result res;
	int rr = protect_restore_snapshot(p, r, m, rel, o->dry_run, print_change, ctx, &res);
	size_t ok = res.changes - res.failed;

	if (rr != VG_OK && res.lock_failed) {
		cmd_eprintf("vigil backup: %s: cannot take the restore lock in %s/locks: %s\n",
		    r->name, p->backup_dir, rr == VG_ERR_IO ? strerror(errno) : vg_strerror(rr));
		return VG_EXIT_RUNTIME;
	}
	if (rr != VG_OK) {
		cmd_eprintf("vigil backup: %s: %s\n", r->path, vg_strerror(rr));
		return VG_EXIT_RUNTIME;
	}
	if (o->dry_run) {
		if (!ctx->json)
			printf("%s: %zu change%s differ from snapshot %s\n", r->name, res.changes,
			    res.changes == 1 ? "" : "s", id);
		return VG_EXIT_OK;
	}
	if (!ctx->json)
		printf("%s: %zu change%s reverted to snapshot %s, %zu failed; %zu difference%s "
		    "left\n", r->name, ok, ok == 1 ? "" : "s", id, res.failed, res.left,
		    res.left == 1 ? "" : "s");
	if (!res.failed && !res.left)
		return VG_EXIT_OK;
	cmd_eprintf("vigil backup: %s: restore incomplete: %zu failed, %zu difference%s "
	    "from snapshot %s left\n", r->name, res.failed, res.left, res.left == 1 ? "" : "s",
	    id);
	return VG_EXIT_RUNTIME;
}

int
bcmd_restore(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
    const struct bopts *o)
{
	struct manifest *m = NULL;
	char err[512], id[PROTECT_ID_SIZE];
	int ret, rr;
	const char *rel = o->path ? o->path : "";

	if (n != 1)
		return cmd_usage_error(&cmd_backup, "restore: choose a web root with --webroot NAME");
	while (rel[0] == '/')
		rel++;
	if (strstr(rel, "..")) {
		fprintf(stderr, "vigil backup: --path must be relative to the web root, without "
		    "'..'\n");
		return VG_EXIT_USAGE;
	}
	if ((rr = protect_snapshot_load(p, sel[0], o->snapshot, &m, id, err, sizeof(err))) !=
	    VG_OK) {
		cmd_eprintf("vigil backup: %s\n", err[0] ? err : vg_strerror(rr));
		return rr == VG_ERR_NOTFOUND || rr == VG_ERR_INVAL ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	if (*rel && !manifest_find(m, rel)) {
		cmd_eprintf("vigil backup: %s: snapshot %s has no '%s'\n", sel[0]->name, id,
		    rel);
		ret = VG_EXIT_USAGE;
	} else if (o->to) {
		ret = restore_into(ctx, p, sel[0], m, id, rel, o);
	} else {
		ret = restore_over(ctx, p, sel[0], m, id, rel, o);
	}
	manifest_free(m);
	return ret;
}
