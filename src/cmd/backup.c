/* `vigil backup create|list|verify|restore`: versioned, content-addressed backups of
 * the configured web roots. The newest snapshot is the integrity baseline. */
#include "cmd/backup.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

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

static const struct {
	const char *name;
	backup_verb_fn *fn;
} subcommands[] = {
	{ "create", bcmd_create }, { "list", bcmd_list }, { "verify", bcmd_verify },
	{ "restore", bcmd_restore },
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
	    "target) in snapshots/NAME/ID.json, indexed in the backup directory's store,\n"
	    "backup.db. The newest snapshot of the index is the baseline that `vigil fim\n"
	    "check` and `vigil fim watch` compare against; a manifest the index lacks (an\n"
	    "older vigil's) is indexed on first use, with a log line.\n"
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
