/* `vigil assets watch --once [--rebaseline]`: one website-watch pass over the
 * configured sites (inventory/sitewatch); each new finding becomes an alert
 * through the one alert path (monitor/alert) into the store. */
#include "cmd/assets.h"
#include "cmd/cmd.h"
#include "core/config.h"
#include "core/err.h"
#include "core/store.h"
#include "inventory/assets_print.h"
#include "inventory/sitewatch.h"
#include "monitor/alert.h"
#include "monitor/rules.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void
cmd_sitewatch_alert(void *arg, const struct site_finding *f)
{
	struct alerts *al = arg;
	int64_t now = vg_now_us();
	struct vg_alert a = { .rule_id = f->rule_id, .title = f->title, .category = f->category,
		.mitre = f->mitre, .severity = f->severity, .sensor = f->site, .count = 1,
		.first_seen_us = now, .last_seen_us = now, .field = "url.full", .matched = f->url,
		.evidence = f->evidence };
	struct alert_in in = { .kind = ALERT_RULE, .state = ALERT_OPENED, .rule = &a };

	/* a problem the previous check already reported is not a new alert */
	if (f->is_new)
		alert_emit(al, &in);
}

int
cmd_assets_watch(struct vg_ctx *ctx, struct vg_config *cfg, struct vg_store *st, bool once,
    bool rebaseline)
{
	struct sitewatch *sw = NULL;
	struct alerts al;
	char dir[4096], err[512];
	bool found = false;
	int r, ret = VG_EXIT_OK;

	if (!once) {
		cmd_eprintf("vigil assets: watch needs --once (vigil watch checks the sites "
		    "every sitewatch.interval)");
		return VG_EXIT_USAGE;
	}
	if (cfg->sitewatch.sites.n == 0) {
		cmd_eprintf("vigil assets: watch: no sitewatch.sites configured");
		return VG_EXIT_USAGE;
	}
	if ((r = sitewatch_open(st, cfg,
		 ruleset_default_path(NULL, dir, sizeof(dir)) == VG_OK ? dir : NULL, &sw, err,
		 sizeof(err))) != VG_OK) {
		cmd_eprintf("vigil assets: watch: %s", r == VG_ERR_IO ? err : vg_strerror(r));
		return r == VG_ERR_IO ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	alerts_init(&al, &(struct alerts_opts){ .store = st });
	for (size_t i = 0; i < cfg->sitewatch.sites.n; i++) {
		json_t *res = NULL;
		if ((r = sitewatch_check(sw, vg_config_site(cfg, i), rebaseline, cmd_sitewatch_alert, &al, &res)) !=
		    VG_OK) {
			cmd_eprintf("vigil assets: watch: %s: %s", vg_config_site(cfg, i)->url,
			    vg_strerror(r));
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		found |= json_array_size(json_object_get(res, "findings")) > 0;
		if (ctx->json)
			cmd_print_json(res);
		else
			assets_print_site(stdout, res);
		json_decref(res);
	}
	sitewatch_close(sw);
	return ret != VG_EXIT_OK ? ret : found ? VG_EXIT_FOUND : VG_EXIT_OK;
}
