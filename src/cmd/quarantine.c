/* `vigil quarantine list|restore|add`: look into the webshell vault and put a file
 * back when a quarantine was a mistake (the vault itself is in respond/quarantine.c). */
#include "cmd/cmd.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/event.h"
#include "respond/quarantine.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const struct cmd_ops cmd_quarantine;

static json_t *
entry_to_json(const struct quarantine_entry *e)
{
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(e->mode & 07777));
	return json_pack("{s:s, s:o, s:s, s:s, s:I, s:I, s:I, s:i, s:s, s:s, s:s?}", "id", e->id,
	    "original_path", vg_json_string_lossy(e->original_path, strlen(e->original_path)),
	    "sha256", e->sha256, "mode", mode, "size", (json_int_t)e->size, "mtime",
	    (json_int_t)e->mtime, "quarantined_at", (json_int_t)e->quarantined_at, "score",
	    e->score, "rules", e->rules, "families", e->families, "restored_to",
	    e->restored_to[0] ? e->restored_to : NULL);
}

static int
do_list(struct vg_ctx *ctx, const char *vault)
{
	struct quarantine_entry *v = NULL;
	size_t n = 0, bad = 0;
	int rc = quarantine_list(vault, &v, &n, &bad);

	if (rc != VG_OK) {
		cmd_eprintf("vigil quarantine: %s: %s\n", vault, vg_strerror(rc));
		return VG_EXIT_RUNTIME;
	}
	if (!ctx->json && n)
		printf("%-30s %-20s %5s  %-9s %s\n", "ID", "QUARANTINED (UTC)", "SCORE", "STATE",
		    "ORIGINAL PATH");
	for (size_t i = 0; i < n; i++) {
		const struct quarantine_entry *e = &v[i];
		if (ctx->json) {
			json_t *j = entry_to_json(e);
			if (j) {
				json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
				fputc('\n', stdout);
				json_decref(j);
			}
			continue;
		}
		char when[32];
		time_t t = (time_t)e->quarantined_at;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		printf("%-30s %-20s %5d  %-9s ", e->id, when, e->score,
		    e->restored_to[0] ? "restored" : "held");
		/* Attacker-chosen name: through the one terminal sanitiser. */
		vg_esc_fwrite(stdout, e->original_path, strlen(e->original_path));
		putchar('\n');
	}
	if (!ctx->json && n == 0)
		printf("quarantine vault %s is empty\n", vault);
	if (bad)
		cmd_eprintf("vigil quarantine: %zu unreadable records in %s/meta skipped\n", bad,
		    vault);
	free(v);
	return VG_EXIT_OK;
}

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
	char err[1024], safe[VG_ESC_MAX], id[QUARANTINE_ID_MAX];

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
	if (strcmp(sub, "list") == 0 && nargs == 1) {
		ret = do_list(ctx, vault);
	} else if (strcmp(sub, "restore") == 0 && nargs == 2) {
		struct quarantine_entry e;
		int rc = quarantine_restore(vault, args[1], to, force, &e, err, sizeof(err));
		/* messages and paths name attacker-chosen files: cmd_eprintf escapes */
		if (rc != VG_OK) {
			cmd_eprintf("vigil quarantine: %s\n", err[0] ? err : vg_strerror(rc));
			ret = rc == VG_ERR_NOTFOUND || rc == VG_ERR_INVAL || rc == VG_ERR_BUSY ?
			    VG_EXIT_USAGE : VG_EXIT_RUNTIME;
		} else {
			if (err[0])
				cmd_eprintf("vigil quarantine: %s\n", err);
			printf("restored %s to ", vg_esc_s(safe, sizeof(safe), e.id));
			vg_esc_fwrite(stdout, e.restored_to, strlen(e.restored_to));
			putchar('\n');
			ret = VG_EXIT_OK;
		}
	} else if (strcmp(sub, "add") == 0 && nargs == 2) {
		int rc = quarantine_file(vault, args[1], NULL, id, err, sizeof(err));
		if (rc != VG_OK) {
			cmd_eprintf("vigil quarantine: %s\n", err[0] ? err : vg_strerror(rc));
			ret = VG_EXIT_RUNTIME;
		} else {
			if (err[0])
				cmd_eprintf("vigil quarantine: warning: %s\n", err);
			printf("quarantined %s as %s\n", vg_esc_s(safe, sizeof(safe), args[1]), id);
			ret = VG_EXIT_OK;
		}
	} else {
		ret = cmd_usage_error(&cmd_quarantine, "expected: list | restore ID | add PATH");
	}
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
	    "and described by meta/ID.json (original path, mode, owner, mtime, size, score,\n"
	    "rules, families, time). `vigil scan --quarantine` fills it.\n"
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
