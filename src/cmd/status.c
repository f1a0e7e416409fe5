/* `vigil status`: is `watch` running on this store (its lock), since when, what it
 * follows and how fast (its heartbeat, monitor/heartbeat.h), the last alert and
 * the store's size. */
#include "cmd/cmd.h"
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

static void
print_text(const char *store_path, const json_t *s)
{
	/* absent parts are JSON null in s */
	const json_t *hb = json_is_object(json_object_get(s, "heartbeat")) ?
	    json_object_get(s, "heartbeat") : NULL;
	const json_t *last = json_is_object(json_object_get(s, "last_alert")) ?
	    json_object_get(s, "last_alert") : NULL;
	const json_t *info = json_object_get(hb, "info"), *v;
	char t[32];
	size_t i;

	cmd_local_time(cmd_jint(hb, "started_at"), t, sizeof(t));
	if (json_is_true(json_object_get(s, "running")))
		printf("watch: running (pid %" PRId64 ") since %s, last heartbeat %"
		    PRId64 " s ago\n", cmd_jint(s, "pid"), hb ? t : "?",
		    hb ? (vg_now_us() - cmd_jint(hb, "beat_at")) / 1000000 : -1);
	else if (hb) {
		char b[32];
		cmd_local_time(cmd_jint(hb, "beat_at"), b, sizeof(b));
		printf("watch: not running (last ran from %s to %s)\n", t, b);
	} else
		printf("watch: not running (never ran on this store)\n");
	printf("store: ");
	cmd_put_escaped(stdout, store_path);
	printf(", %.1f MiB\n", (double)cmd_jint(s, "store_bytes") / 1048576.0);
	json_array_foreach(json_object_get(info, "sources"), i, v) {
		printf("source: ");
		cmd_put_escaped(stdout, cmd_jstr(v, "name"));
		printf("  ");
		cmd_put_escaped(stdout, cmd_jstr(v, "path"));
		printf(" (%s)\n", cmd_jstr(v, "format"));
	}
	if ((v = json_object_get(info, "files")))
		printf("files: %" PRId64 " lines, %.1f lines/s, %" PRId64
		    " truncated, %" PRId64 " read errors\n", cmd_jint(v, "lines"),
		    json_real_value(json_object_get(v, "lines_per_s")), cmd_jint(v, "truncated"),
		    cmd_jint(v, "io_errors"));
	json_array_foreach(json_object_get(info, "syslog_listeners"), i, v) {
		printf("syslog: ");
		cmd_put_escaped(stdout, json_string_value(v));
		putchar('\n');
	}
	if ((v = json_object_get(info, "syslog")))
		printf("syslog: %" PRId64 " lines, %.1f lines/s, %" PRId64
		    " datagrams dropped by the kernel, %" PRId64
		    " connections refused\n", cmd_jint(v, "lines"),
		    json_real_value(json_object_get(v, "lines_per_s")), cmd_jint(v, "udp_kernel_drops"),
		    cmd_jint(v, "conns_dropped"));
	json_array_foreach(json_object_get(info, "webroots"), i, v) {
		printf("web root guarded: ");
		cmd_put_escaped(stdout, cmd_jstr(v, "name"));
		printf("  ");
		cmd_put_escaped(stdout, cmd_jstr(v, "path"));
		putchar('\n');
	}
	if (last) {
		cmd_local_time(cmd_jint(last, "last_seen"), t, sizeof(t));
		printf("last alert: #%" PRId64 " %s %s %s from ", cmd_jint(last, "id"), t,
		    vg_severity_name((enum vg_severity)cmd_jint(last, "severity")), cmd_jstr(last, "rule_id"));
		cmd_put_escaped(stdout, cmd_jstr(last, "source_ip")[0] ? cmd_jstr(last, "source_ip") : "-");
		printf(" (count %" PRId64 ")\n", cmd_jint(last, "count"));
	} else {
		printf("last alert: none\n");
	}
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
		print_text(cfg->store.path, s);
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
