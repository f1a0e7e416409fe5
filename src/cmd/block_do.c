/* `vigil block` actions: list, add/del/flush through respond/block, import, and
 * what each prints. */
#include "cmd/block.h"
#include "core/err.h"

#include <sys/resource.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int
block_list_cmd(struct vg_ctx *ctx, struct vg_store *st, const struct opts *o)
{
	json_t *arr = NULL, *v;
	size_t i;

	if (block_list(st, o->all, &arr) != VG_OK) {
		cmd_eprintf("vigil block: cannot list: %s\n", store_errmsg(st));
		return VG_EXIT_RUNTIME;
	}
	if (ctx->json) {
		cmd_print_json_new(arr);
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

int
block_change(struct vg_ctx *ctx, struct blocker *b, const struct opts *o, const char *actor)
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
				cmd_print_json_new(json_pack("{s:s, s:s, s:I}", "target", o->arg, "outcome",
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
		cmd_print_json_new(json_pack("{s:s, s:I}", "action", o->verb, "removed", (json_int_t)n));
	else
		printf("%zu block%s lifted\n", n, n == 1 ? "" : "s");
	return VG_EXIT_OK;
}

int
block_import_cmd(struct vg_ctx *ctx, struct blocker *b, const struct opts *o, const char *by)
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
		cmd_print_json_new(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f}", "read",
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
