/* `vigil backup create|list|verify|restore`: versioned, content-addressed backups of
 * the configured web roots. The newest snapshot is the integrity baseline. */
#include "cmd/protect_cmd.h"
#include "core/err.h"
#include "core/esc.h"
#include "backup/verify.h"
#include "respond/restore.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const struct cmd_ops cmd_backup;

struct bopts {
	const char *webroot, *snapshot, *to, *path;
	long long threads;
	bool dry_run;
};

static const struct option backup_options[] = {
	{ "webroot", required_argument, NULL, 'w' },
	{ "snapshot", required_argument, NULL, 's' },
	{ "to", required_argument, NULL, 't' },
	{ "path", required_argument, NULL, 'p' },
	{ "threads", required_argument, NULL, 'j' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static int
set_opt(void *arg, int c, const char *v)
{
	struct bopts *o = arg;
	long long n;

	switch (c) {
	case 'w':
		o->webroot = v;
		break;
	case 's':
		o->snapshot = v;
		break;
	case 't':
		o->to = v;
		break;
	case 'p':
		o->path = v;
		break;
	case 'j':
		if (vg_parse_ll(v, 1, 8, &n) != VG_OK)
			return cmd_usage_error(&cmd_backup, "--threads: expected 1..8");
		o->threads = n;
		break;
	default:
		o->dry_run = true;
		break;
	}
	return VG_EXIT_OK;
}

static int
do_create(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
    const struct bopts *o)
{
	int ret = VG_EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		struct protect_snapshot_stats s;
		char id[PROTECT_ID_SIZE];
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int r = protect_snapshot_create(p, sel[i], (int)o->threads, !ctx->json, id, &s);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (r != VG_OK) {
			cmd_eprintf("vigil backup: %s (%s): %s\n", sel[i]->name, sel[i]->path,
			    vg_strerror(r));
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		if (ctx->json)
			cmd_print_json_new(json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, "
			    "s:I, s:I, s:f}", "webroot", sel[i]->name, "path", sel[i]->path,
			    "snapshot", id, "files", (json_int_t)s.files, "dirs", (json_int_t)s.dirs,
			    "symlinks", (json_int_t)s.links, "other", (json_int_t)s.other, "bytes",
			    (json_int_t)s.bytes, "new_objects", (json_int_t)s.new_objects,
			    "new_bytes", (json_int_t)s.new_bytes, "unreadable",
			    (json_int_t)s.unreadable, "seconds", secs));
		else
			printf("%s: snapshot %s: %zu files (%.1f MiB), %zu dirs, %zu symlinks, %zu "
			    "other; %zu new objects (%.1f MiB) in %.2f s\n", sel[i]->name, id,
			    s.files, (double)s.bytes / 1048576.0, s.dirs, s.links, s.other,
			    s.new_objects, (double)s.new_bytes / 1048576.0, secs);
		if (s.unreadable)
			cmd_eprintf("vigil backup: %s: %zu entries could not be read and have "
			    "no backup copy\n", sel[i]->name, s.unreadable);
	}
	return ret;
}

static int
do_list(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
    const struct bopts *o)
{
	(void)o;
	for (size_t i = 0; i < n; i++) {
		char **ids = NULL, err[512];
		size_t cnt = 0;
		if (protect_snapshot_list(p, sel[i], &ids, &cnt) != VG_OK) {
			cmd_eprintf("vigil backup: %s: cannot list snapshots\n", sel[i]->name);
			return VG_EXIT_RUNTIME;
		}
		if (!ctx->json)
			printf("%s (%s): %zu snapshot%s\n", sel[i]->name, sel[i]->path, cnt,
			    cnt == 1 ? "" : "s");
		for (size_t k = 0; k < cnt; k++) {
			struct manifest *m = NULL;
			uint64_t bytes;
			size_t files;
			int r = protect_snapshot_load(p, sel[i], ids[k], &m, NULL, err, sizeof(err));
			manifest_file_totals(m, &files, &bytes);
			if (ctx->json)
				cmd_print_json_new(json_pack("{s:s, s:s, s:b, s:I, s:I, s:s?}",
				    "webroot", sel[i]->name, "snapshot", ids[k], "baseline",
				    k + 1 == cnt, "files", (json_int_t)files, "bytes",
				    (json_int_t)bytes, "error", r == VG_OK ? NULL : err));
			else if (r == VG_OK)
				printf("  %s  %8zu files %10.1f MiB%s\n", ids[k], files,
				    (double)bytes / 1048576.0, k + 1 == cnt ? "  (baseline)" : "");
			else {
				printf("  %s  unreadable: ", ids[k]);
				cmd_put_escaped(stdout, err);	/* may quote a manifest entry */
				putchar('\n');
			}
			manifest_free(m);
		}
		protect_ids_free(ids, cnt);
	}
	return VG_EXIT_OK;
}

static void
print_finding(void *arg, const struct backup_finding *f)
{
	const struct vg_ctx *ctx = arg;
	char epath[VG_ESC_MAX];

	if (f->problem == BACKUP_UNREADABLE) {
		printf("%s: snapshot %s unreadable: ", f->root->name, f->snapshot);
		cmd_put_escaped(stdout, f->why);
		putchar('\n');
	} else if (ctx->json && f->problem == BACKUP_CORRUPTED)
		cmd_print_json_new(json_pack("{s:s, s:s}", "object", f->object, "status",
		    "corrupted"));
	else if (ctx->json)
		cmd_print_json_new(json_pack("{s:s, s:s, s:s, s:s}", "webroot", f->root->name,
		    "snapshot", f->snapshot, "object", f->object, "status", "missing"));
	else if (f->problem == BACKUP_CORRUPTED)
		printf("corrupted object %s (%s)\n", f->path, vg_strerror(f->err));
	else	/* names in a snapshot are the site's */
		printf("%s: snapshot %s: %s: object %s missing\n", f->root->name, f->snapshot,
		    vg_esc_s(epath, sizeof(epath), f->path), f->object);
}

static int
do_verify(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
    const struct bopts *o)
{
	struct backup_verify_stats st;

	(void)o;
	if (backup_verify(p, sel, n, print_finding, ctx, &st) != VG_OK) {
		cmd_eprintf("vigil backup: %s/objects: cannot open\n", p->backup_dir);
		return VG_EXIT_RUNTIME;
	}
	if (!ctx->json)
		printf("%zu objects checked: %zu corrupted, %zu missing\n", st.objects,
		    st.corrupted, st.missing);
	return st.corrupted || st.missing ? VG_EXIT_FOUND : VG_EXIT_OK;
}

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

static int
do_restore(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
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

static const struct {
	const char *name;
	int (*fn)(struct vg_ctx *, struct protect *, struct protect_root **, size_t,
	    const struct bopts *);
} subcommands[] = {
	{ "create", do_create }, { "list", do_list }, { "verify", do_verify },
	{ "restore", do_restore },
};

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct vg_config *cfg = NULL;
	struct protect *p = NULL;
	struct protect_root *sel[64];
	struct bopts o = { 0 };
	size_t n = 0, k = 0;
	int ret;

	if (argc < 2)
		return cmd_usage_error(&cmd_backup, "expected create, list, verify or restore");
	while (k < sizeof(subcommands) / sizeof(subcommands[0]) &&
	    strcmp(argv[1], subcommands[k].name))
		k++;
	if (k == sizeof(subcommands) / sizeof(subcommands[0]))
		return cmd_usage_error(&cmd_backup, "unknown subcommand '%s'", argv[1]);
	if ((ret = cmd_parse_options(&cmd_backup, argc - 1, argv + 1, backup_options, set_opt,
	    &o)) != VG_EXIT_OK)
		return ret;
	if ((ret = pcmd_open(ctx, &cmd_backup, &cfg, &p)) != VG_EXIT_OK)
		return ret;
	if (p->n_roots > 64) {
		fprintf(stderr, "vigil backup: at most 64 web roots\n");
		ret = VG_EXIT_USAGE;
	} else if ((ret = pcmd_select(p, o.webroot, &cmd_backup, sel, &n)) == VG_EXIT_OK) {
		ret = subcommands[k].fn(ctx, p, sel, n, &o);
	}
	protect_free(p);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_backup = {
	.name = "backup",
	.summary = "versioned backups of the web roots (create, list, verify, restore)",
	.help =
	    "usage: vigil backup create|list|verify|restore [--webroot NAME] [options]\n"
	    "\n"
	    "Backs up the web roots of the config (webroots:) into protect.backup_dir: file\n"
	    "bodies go into a content-addressed object store (objects/ab/cdef..., named by\n"
	    "SHA-256, stored once, written to a temp file, fsynced and renamed); each backup\n"
	    "is a snapshot manifest (path, type, mode, owner, size, mtime, SHA-256, symlink\n"
	    "target) in snapshots/NAME/ID.json. The newest snapshot is the baseline that\n"
	    "`vigil fim check` and `vigil fim watch` compare against.\n"
	    "\n"
	    "  create            snapshot every web root (or --webroot NAME)\n"
	    "  list              list snapshots, newest last (the baseline)\n"
	    "  verify            re-hash every stored object; report corrupted objects and\n"
	    "                    objects a snapshot needs that are missing\n"
	    "  restore           put a snapshot back (needs --webroot when several exist):\n"
	    "                    changed and deleted files are restored atomically, added\n"
	    "                    files are moved into BACKUP_DIR/removed/ (never deleted);\n"
	    "                    paths are resolved below the root, never through a\n"
	    "                    symlink; a running watcher waits (restore lock); the tree\n"
	    "                    is re-checked after and any failure or leftover exits 3\n"
	    "\n"
	    "options:\n"
	    "  --webroot NAME    only this web root\n"
	    "  --snapshot ID     restore this snapshot instead of the newest\n"
	    "  --path REL        restore only this file or directory (relative to the root)\n"
	    "  --to DIR          restore into DIR instead of over the web root\n"
	    "  --dry-run         restore: only show what would change\n"
	    "  --threads N       create: hashing/copying threads (default 2)\n"
	    "  --json            one JSON object per snapshot / finding / change\n"
	    "\n"
	    "A corrupted object is never restored: the file is reported and left alone;\n"
	    "the next create with the good file present replaces the object.\n"
	    "exit: 0 ok, 1 verify found corrupted or missing objects, 2 usage or config\n"
	    "error, 3 runtime error.\n",
	.run = run,
};
