/* `vigil report`'s verbs (report.h): the period a report covers, its default file
 * name, and the writing of the report through report/ with what it prints. */
#include "cmd/report.h"
#include "cases/cases.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The period and the default file name's stem ("vigil-daily-2026-11-30-en"). */
int
report_do_period(const char *kind, const struct report_cmd_opts *o, struct report_opts *ro, char *stem, size_t n)
{
	char day[16];
	struct tm tm;
	time_t t;

	if (strcmp(kind, "daily") == 0) {
		int64_t at = ro->now_us;
		if (o->from || o->to || o->exports)
			return cmd_usage_error(&cmd_report, "daily takes --date, not --from/--to/--exports");
		if (o->date && (strlen(o->date) != 10 || cases_parse_time(o->date, ro->now_us, &at) != VG_OK))
			return cmd_usage_error(&cmd_report, "bad --date '%s' (YYYY-MM-DD)", o->date);
		ro->kind = REPORT_DAILY;
		report_day_range(at, &ro->from_us, &ro->to_us);
	} else if (strcmp(kind, "final") == 0) {
		if (o->date)
			return cmd_usage_error(&cmd_report, "final takes --from and --to, not --date");
		if (!o->from || !o->to)
			return cmd_usage_error(&cmd_report, "final needs --from and --to");
		if (cases_parse_time(o->from, ro->now_us, &ro->from_us) != VG_OK ||
		    cases_parse_time(o->to, ro->now_us, &ro->to_us) != VG_OK)
			return cmd_usage_error(&cmd_report, "bad --from/--to (YYYY-MM-DD[ HH:MM])");
		if (ro->to_us <= ro->from_us)
			return cmd_usage_error(&cmd_report, "--to must be after --from");
		ro->kind = REPORT_FINAL;
	} else {
		return cmd_usage_error(&cmd_report, "unknown report '%s' (daily or final)", kind);
	}
	t = (time_t)(ro->from_us / 1000000);
	localtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	snprintf(stem, n, "vigil-%s-%s-%s", kind, day, ro->lang == REPORT_ZH ? "zh" : "en");
	return VG_EXIT_OK;
}

int
report_do_write(struct vg_ctx *ctx, struct report_opts *ro, const struct report_files *f)
{
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	json_t *res = NULL;
	char err[1024];
	int ret, r;

	if ((ret = cmd_open_store(ctx, "report", &cfg, &st)) != VG_EXIT_OK)
		goto out;
	ro->cfg = cfg;
	if ((r = report_write(st, ro, f, &res, err, sizeof(err))) != VG_OK) {
		cmd_eprintf("vigil report: %s", err);
		if (f->pdf && access(f->html, F_OK) == 0)
			cmd_eprintf("vigil report: the HTML report is at %s", f->html);
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (ctx->json) {
		cmd_print_json(res);
	} else {
		printf("%s\n", f->html);
		if (f->pdf)
			printf("%s\n", f->pdf);
		if (f->exports_dir)
			printf("%s/ (%zu deliverables, SHA256SUMS)\n", f->exports_dir,
			    json_array_size(json_object_get(res, "exports")));
	}
	ret = VG_EXIT_OK;
out:
	json_decref(res);
	store_close(st);
	vg_config_free(cfg);
	return ret;
}
