/* `vigil store info|migrate`: opens the configured store (migrating it) and reports
 * its schema version and row counts. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "core/store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

extern const struct cmd_ops cmd_store;

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	json_t *stats = NULL;
	char err[512];
	int version = 0, ret, r;
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	const char *path;

	optind = 0;	/* glibc: full re-initialisation */
	if (cmd_getopt(&cmd_store, argc, argv, ":", opts) != -1)
		return VG_EXIT_USAGE;
	argc -= optind - 1;	/* positionals now at argv[1..] */
	argv += optind - 1;
	if (argc < 2 || (strcmp(argv[1], "info") != 0 && strcmp(argv[1], "migrate") != 0))
		return cmd_usage_error(&cmd_store, "expected 'info' or 'migrate'");
	if (argc > 3)
		return cmd_usage_error(&cmd_store, "too many arguments");
	if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
		return ret;
	path = argc == 3 ? argv[2] : cfg->store.path;
	r = store_open(cfg->store.backend, path, &ctx->log, &st, err, sizeof(err));
	if (r != VG_OK) {
		cmd_eprintf("vigil store: %s\n", err[0] ? err : vg_strerror(r));
		ret = r == VG_ERR_INVAL ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
		goto out;
	}
	if (store_schema_version(st, &version) != VG_OK || store_stats(st, &stats) != VG_OK) {
		cmd_eprintf("vigil store: %s: %s\n", path, store_errmsg(st));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (ctx->json) {
		json_t *o = json_pack("{s:s, s:s, s:i, s:O}", "path", path, "backend",
		    cfg->store.backend, "schema_version", version, "rows", stats);
		json_dumpf(o, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(o);
	} else {
		const char *key;
		json_t *val;
		printf("store %s (%s), schema version %d\n", path, cfg->store.backend, version);
		json_object_foreach(stats, key, val)
			printf("  %-15s %lld\n", key, (long long)json_integer_value(val));
	}
	ret = VG_EXIT_OK;
out:
	json_decref(stats);
	store_close(st);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_store = {
	.name = "store",
	.summary = "create or migrate the store and show what it holds",
	.help =
	    "usage: vigil store info|migrate [PATH] [--json]\n"
	    "\n"
	    "Opens the store (store.path from the config, or PATH), creating it and applying\n"
	    "any pending schema migrations, then prints the schema version and the number of\n"
	    "rows per table. A store written by a newer vigil is refused, never modified.\n"
	    "\n"
	    "exit: 0 ok, 2 usage/config error, 3 store cannot be opened (not a store,\n"
	    "newer schema, unreadable).\n",
	.run = run,
};
