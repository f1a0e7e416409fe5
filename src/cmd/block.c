/* `vigil block add|del|list|flush|import|restore`: the analyst's side of blocking.
 * Every change is decided by respond/block (allowlist, caps) and recorded in the
 * store with an audit row, the same path `watch` takes for alerts. */
#include "cmd/block.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "for", required_argument, NULL, 'f' },
		{ "expire", required_argument, NULL, 'f' },
		{ "reason", required_argument, NULL, 'r' },
		{ "by", required_argument, NULL, 'b' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:r:b:a", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (vg_parse_duration(optarg, &o->duration) != VG_OK || o->duration <= 0)
				return cmd_usage_error(&cmd_block, "bad duration '%s'", optarg);
			break;
		case 'r':
			o->reason = optarg;
			break;
		case 'b':
			o->by = optarg;
			break;
		case 'a':
			o->all = true;
			break;
		default:
			return cmd_usage_error(&cmd_block, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->verb = argv[optind++];
	if (optind < argc)
		o->arg = argv[optind++];
	if (!o->verb)
		return cmd_usage_error(&cmd_block, "expected add, del, list, flush, import or restore");
	if (optind < argc)
		return cmd_usage_error(&cmd_block, "too many arguments");
	bool needs_arg = !strcmp(o->verb, "add") || !strcmp(o->verb, "del") ||
	    !strcmp(o->verb, "import");
	if (needs_arg != (o->arg != NULL))
		return cmd_usage_error(&cmd_block, needs_arg ? "%s needs an argument" :
		    "%s takes no argument", o->verb);
	return VG_EXIT_OK;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	struct opts o = { 0 };
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	struct blocker *b = NULL;
	char err[512], actor[160];
	int ret, r;

	if ((ret = parse(argc, argv, &o)) != VG_EXIT_OK)
		return ret;
	if (strcmp(o.verb, "add") && strcmp(o.verb, "del") && strcmp(o.verb, "list") &&
	    strcmp(o.verb, "flush") && strcmp(o.verb, "import") && strcmp(o.verb, "restore"))
		return cmd_usage_error(&cmd_block, "unknown action '%s'", o.verb);
	if ((ret = cmd_open_store(ctx, "block", &cfg, &st)) != VG_EXIT_OK)
		goto out;
	if (!strcmp(o.verb, "list")) {
		ret = block_list_cmd(ctx, st, &o);
		goto out;
	}
	if ((r = block_open(cfg, st, &ctx->log, &b, err, sizeof(err))) != VG_OK) {
		cmd_eprintf("vigil block: %s\n", err);
		ret = r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
		goto out;
	}
	if (!o.by) {
		const char *u = getenv("SUDO_USER") ? getenv("SUDO_USER") : getenv("USER");
		o.by = u ? u : "unknown";
	}
	snprintf(actor, sizeof(actor), "analyst:%s", o.by);
	if (!strcmp(o.verb, "import"))
		ret = block_import_cmd(ctx, b, &o, actor);
	else if (!strcmp(o.verb, "restore"))
		ret = block_restore(b) == VG_OK ? VG_EXIT_OK : VG_EXIT_RUNTIME;
	else
		ret = block_change(ctx, b, &o, actor);
out:
	block_close(b);
	store_close(st);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_block = {
	.name = "block",
	.summary = "block, unblock, list and import attacker addresses (nftables and others)",
	.help =
	    "usage: vigil block add ADDR|CIDR [--for DURATION] [--reason TEXT] [--by NAME]\n"
	    "       vigil block del ADDR|CIDR [--by NAME]\n"
	    "       vigil block list [--all] [--json]\n"
	    "       vigil block flush [--by NAME]\n"
	    "       vigil block import FILE [--expire DURATION] [--by NAME]\n"
	    "       vigil block restore\n"
	    "\n"
	    "add blocks an address or network through the adapters in block.adapters\n"
	    "(default: nftables table inet vigil, sets with per-element timeouts, so the\n"
	    "kernel lifts each block on time even when vigil is not running; the rules drop\n"
	    "the packets, or refuse them with block.action: reject). Without --for\n"
	    "the duration escalates with earlier blocks of the same target within\n"
	    "block.repeat_window (block.durations, default 10m, 1h, 24h). The allowlist\n"
	    "(block.allowlist) always wins; block.max_total caps active blocks; with\n"
	    "block.dry_run only the decision is recorded.\n"
	    "del lifts a block early; flush lifts every block; list shows the active blocks\n"
	    "(--all: the whole history, with expired and removed ones). import reads one\n"
	    "address or network per line ('#' and ';' start comments) and blocks them in one\n"
	    "batch and one store transaction: if the kernel or the store fails, neither keeps\n"
	    "any of it (default --expire 24h). restore re-applies the store's active blocks with\n"
	    "their remaining time, replacing what the adapters hold (watch does this at start).\n"
	    "Every change is a store record (actions, kind 'block') and an audit row; --by\n"
	    "names the analyst (default $SUDO_USER or $USER).\n"
	    "\n"
	    "exit: 0 ok, 1 not blocked (allowlisted, capped, or del of an unblocked target),\n"
	    "2 usage/config error, 3 runtime failure (store, nftables).\n",
	.run = run,
};
