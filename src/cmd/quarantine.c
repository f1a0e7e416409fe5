/* `vigil quarantine list|restore|add`: options, dispatch and help; the verbs are in
 * quarantine_do.c, the vault itself in respond/quarantine.c. */
#include "cmd/quarantine.h"
#include "core/config.h"
#include "core/err.h"

#include <getopt.h>
#include <string.h>

static const struct option quarantine_options[] = {
	{ "to", required_argument, NULL, 't' },
	{ "vault", required_argument, NULL, 'V' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct vg_config *cfg = NULL;
	const char *vault = NULL, *to = NULL, *sub = NULL;
	const char *args[4];
	int nargs = 0, ret, c;
	bool force = false;

	opterr = 0;
	optind = 0;	/* glibc: full re-initialisation */
	while ((c = getopt_long(argc, argv, ":", quarantine_options, NULL)) != -1) {
		if (c == 't' || c == 'V')
			*(c == 't' ? &to : &vault) = optarg;
		else if (c == 'f')
			force = true;
		else if (c == ':')
			return cmd_usage_error(&cmd_quarantine, "%s needs a path",
			    argv[optind - 1]);
		else
			return cmd_usage_error(&cmd_quarantine, "unknown option '%s'",
			    argv[optind - 1]);
	}
	for (int i = optind; i < argc; i++) {
		if (nargs == 4)
			return cmd_usage_error(&cmd_quarantine, "too many arguments");
		args[nargs++] = argv[i];
	}
	if (nargs == 0)
		return cmd_usage_error(&cmd_quarantine, "expected list, restore or add");
	sub = args[0];
	if (!vault) {
		if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
			return ret;
		vault = cfg->protect.quarantine_dir;
	}
	if (strcmp(sub, "list") == 0 && nargs == 1)
		ret = qcmd_list(ctx, vault);
	else if (strcmp(sub, "restore") == 0 && nargs == 2)
		ret = qcmd_restore(vault, args[1], to, force);
	else if (strcmp(sub, "add") == 0 && nargs == 2)
		ret = qcmd_add(vault, args[1]);
	else
		ret = cmd_usage_error(&cmd_quarantine, "expected: list | restore ID | add PATH");
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_quarantine = {
	.name = "quarantine",
	.summary = "list, restore or add files in the webshell quarantine vault",
	.help =
	    "usage: vigil quarantine list | restore ID [--to PATH] [--force] | add PATH\n"
	    "                        [--vault DIR] [--json]\n"
	    "\n"
	    "The vault is protect.quarantine_dir from the config (default ./vigil-quarantine),\n"
	    "or --vault DIR. Each quarantined file is stored as objects/SHA256 with mode 000\n"
	    "and recorded in the vault's own store, vault.db (original path, mode, owner,\n"
	    "mtime, size, score, rules, families, time), so a vault works without the\n"
	    "daemon's store. A vault of an older vigil (meta/ID.json files) is imported\n"
	    "into vault.db once, on first use; meta/ is kept as meta.imported.\n"
	    "`vigil scan --quarantine` and `vigil watch` fill it.\n"
	    "\n"
	    "  list            one line per quarantined file (--json: one object per line)\n"
	    "  restore ID      put the file back at its original path (or --to PATH) with\n"
	    "                  its mode, owner and mtime; ID may be a unique prefix. The\n"
	    "                  object's SHA-256 is verified first: a corrupted object is\n"
	    "                  never restored. An existing target needs --force.\n"
	    "  add PATH        quarantine PATH by hand (no scan)\n"
	    "\n"
	    "exit: 0 ok, 2 usage error, unknown ID or target exists, 3 I/O error or\n"
	    "corrupted object.\n",
	.run = run,
};
