/* `vigil status`: is `watch` running on this store (its lock), since when, what it
 * follows and how fast (its heartbeat, monitor/heartbeat.h), the last alert and
 * the store's size. Printing is status_print.c. */
#include "cmd/status.h"
#include "core/err.h"
#include "core/lockfile.h"
#include "core/store.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

extern const struct cmd_ops cmd_status;

static int64_t
store_bytes(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	int64_t total = 0;
	char p[4096];
	struct stat sb;

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (snprintf(p, sizeof(p), "%s%s", path, sfx[i]) < (int)sizeof(p) &&
		    stat(p, &sb) == 0)
			total += (int64_t)sb.st_size;
	return total;
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct store_alert_filter f = { .limit = 1 };
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	json_t *s = NULL, *hb = NULL, *last = NULL;
	char lock[4096];
	long pid = 0;
	bool running;
	int ret, r;

	optind = 0;
	if (cmd_getopt(&cmd_status, argc, argv, ":", opts) != -1 || optind < argc)
		return cmd_usage_error(&cmd_status, "takes no arguments");
	if ((ret = cmd_open_store(ctx, "status", &cfg, &st)) != VG_EXIT_OK)
		goto out;
	ret = VG_EXIT_RUNTIME;
	running = vg_lockfile_path(cfg->store.path, lock, sizeof(lock)) == VG_OK &&
	    vg_lockfile_held(lock, &pid);
	r = store_heartbeat_get(st, "watch", &hb);
	if (r == VG_OK || r == VG_ERR_NOTFOUND)
		r = store_alerts_find(st, &f, &last);
	if (r != VG_OK) {
		cmd_eprintf("vigil status: %s\n", store_errmsg(st));
		goto out;
	}
	s = json_pack("{s:b, s:I, s:s, s:I, s:O?, s:O?}", "running", running, "pid",
	    (json_int_t)pid, "store", cfg->store.path, "store_bytes",
	    (json_int_t)store_bytes(cfg->store.path), "heartbeat", hb, "last_alert",
	    json_array_get(last, 0));
	if (!s) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (ctx->json) {
		json_dumpf(s, stdout, JSON_COMPACT);
		putchar('\n');
	} else {
		status_print_text(cfg->store.path, s);
	}
	ret = running ? VG_EXIT_OK : VG_EXIT_FOUND;
out:
	json_decref(s);
	json_decref(hb);
	json_decref(last);
	store_close(st);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_status = {
	.name = "status",
	.summary = "is watch running, what it follows and how fast, last alert",
	.help =
	    "usage: vigil status [--config FILE] [--json]\n"
	    "\n"
	    "Reports on the store of --config: whether `vigil watch` runs on it (its lock)\n"
	    "and since when, the sources it follows with lines, lines/s and drops, the web\n"
	    "roots it guards (from the heartbeat watch writes into the store every 5 s),\n"
	    "the last alert and the store's size on disk.\n"
	    "exit: 0 watch is running, 1 it is not, 2 usage/config error, 3 store error.\n",
	.run = run,
};
