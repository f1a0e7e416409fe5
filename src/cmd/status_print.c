/* `vigil status`'s text lines: watch's state, the store, the sources and web roots of
 * the heartbeat, the last alert. Untrusted names and paths are printed escaped. */
#include "cmd/status.h"
#include "core/err.h"

#include <inttypes.h>
#include <stdio.h>

void
status_print_text(const char *store_path, const json_t *s)
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
