/* `vigil block add|del|list|flush|import|restore`: the analyst's side of blocking.
 * Every change is decided by respond/block (allowlist, caps) and recorded in the
 * store with an audit row, the same path `watch` takes for alerts. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "core/store.h"
#include "respond/block.h"

#include <getopt.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern const struct cmd_ops cmd_block;

struct opts {
	const char *verb, *arg;
	long long duration;	/* seconds; 0 = default */
	const char *reason;
	const char *by;
	bool all;
};

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

static void
print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(j);
}

static int
do_list(struct vg_ctx *ctx, struct vg_store *st, const struct opts *o)
{
	json_t *arr = NULL, *v;
	size_t i;

	if (block_list(st, o->all, &arr) != VG_OK) {
		cmd_eprintf("vigil block: cannot list: %s\n", store_errmsg(st));
		return VG_EXIT_RUNTIME;
	}
	if (ctx->json) {
		print_json(arr);
		return VG_EXIT_OK;
	}
	json_array_foreach(arr, i, v) {
		const char *reason = json_string_value(json_object_get(v, "reason"));
		printf("%-6lld %-20s %-8s until %s  %s  %s\n",
		    (long long)json_integer_value(json_object_get(v, "id")),
		    json_string_value(json_object_get(v, "target")),
		    json_string_value(json_object_get(v, "state")),
		    json_string_value(json_object_get(v, "expires")),
		    json_string_value(json_object_get(v, "actor")), reason ? reason : "");
	}
	json_decref(arr);
	return VG_EXIT_OK;
}

static int
do_change(struct vg_ctx *ctx, struct blocker *b, const struct opts *o, const char *actor)
{
	struct block_target t;
	size_t n = 0;
	int r;

	if (!strcmp(o->verb, "flush")) {
		r = block_flush(b, actor, &n);
	} else if (block_target_parse(o->arg, &t) != VG_OK || t.prefix == 0) {
		return cmd_usage_error(&cmd_block, "'%s' is not an address or network", o->arg);
	} else if (!strcmp(o->verb, "del")) {
		r = block_del(b, &t, actor, &n);
	} else {
		struct block_request rq = { .t = t, .duration_s = o->duration,
			.reason = o->reason ? o->reason : "manual", .actor = actor };
		enum block_outcome out;
		int64_t id = 0;
		if ((r = block_add(b, &rq, &out, &id)) == VG_OK) {
			if (ctx->json)
				print_json(json_pack("{s:s, s:s, s:I}", "target", o->arg, "outcome",
				    block_outcome_name(out), "id", (json_int_t)id));
			else
				printf("%s: %s\n", o->arg, block_outcome_name(out));
			return out == BLOCK_DONE || out == BLOCK_DRY_RUN || out == BLOCK_ALREADY
			    ? VG_EXIT_OK : VG_EXIT_FOUND;
		}
	}
	if (r == VG_ERR_NOTFOUND) {
		cmd_eprintf("vigil block: %s is not blocked\n", o->arg);
		return VG_EXIT_FOUND;
	}
	if (r != VG_OK) {
		cmd_eprintf("vigil block: %s failed: %s\n", o->verb, vg_strerror(r));
		return VG_EXIT_RUNTIME;
	}
	if (ctx->json)
		print_json(json_pack("{s:s, s:I}", "action", o->verb, "removed", (json_int_t)n));
	else
		printf("%zu block%s lifted\n", n, n == 1 ? "" : "s");
	return VG_EXIT_OK;
}

static int
do_import(struct vg_ctx *ctx, struct blocker *b, const struct opts *o, const char *by)
{
	struct block_import_stats s;
	struct timespec t0, t1;
	struct rusage u0, u1;
	char actor[300];
	int r;

	snprintf(actor, sizeof(actor), "import:%s (%s)", o->arg, by);
	/* CPU time beside wall time: the kernel inserts the elements inside our
	 * sendmsg, so user + system time is the import's whole cost on a busy host. */
	getrusage(RUSAGE_SELF, &u0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = block_import(b, o->arg, o->duration ? o->duration : 86400, actor, &s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &u1);
	if (r != VG_OK) {
		cmd_eprintf("vigil block: import %s: %s\n", o->arg, vg_strerror(r));
		return r == VG_ERR_IO ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	double cpu = (double)(u1.ru_utime.tv_sec - u0.ru_utime.tv_sec + u1.ru_stime.tv_sec -
	    u0.ru_stime.tv_sec) + (double)(u1.ru_utime.tv_usec - u0.ru_utime.tv_usec +
	    u1.ru_stime.tv_usec - u0.ru_stime.tv_usec) / 1e6;
	if (ctx->json)
		print_json(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f}", "read",
		    (json_int_t)s.read, "added", (json_int_t)s.added, "invalid",
		    (json_int_t)s.invalid, "allowlisted", (json_int_t)s.allowlisted, "capped",
		    (json_int_t)s.capped, "nested", (json_int_t)s.nested, "seconds", secs,
		    "apply_seconds", s.apply_s, "store_seconds", s.store_s, "cpu_seconds", cpu));
	else
		printf("imported %zu of %zu (%zu invalid, %zu allowlisted, %zu capped, %zu "
		    "duplicate or covered) in %.3f s (%.3f s CPU)\n", s.added, s.read, s.invalid,
		    s.allowlisted, s.capped, s.nested, secs, cpu);
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
	if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
		return ret;
	r = store_open(cfg->store.backend, cfg->store.path, &ctx->log, &st, err, sizeof(err));
	if (r != VG_OK) {
		cmd_eprintf("vigil block: %s\n", err[0] ? err : vg_strerror(r));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (!strcmp(o.verb, "list")) {
		ret = do_list(ctx, st, &o);
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
		ret = do_import(ctx, b, &o, actor);
	else if (!strcmp(o.verb, "restore"))
		ret = block_restore(b) == VG_OK ? VG_EXIT_OK : VG_EXIT_RUNTIME;
	else
		ret = do_change(ctx, b, &o, actor);
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
