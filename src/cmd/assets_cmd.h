/* What `vigil assets` shares with `vigil watch`: the website watch's findings as
 * alerts (cmd/assets_watch.c). */
#ifndef VG_CMD_ASSETS_CMD_H
#define VG_CMD_ASSETS_CMD_H

#include "cmd/cmd.h"
#include "inventory/sitewatch.h"

#include <stdbool.h>

struct vg_store;

/* A sitewatch finding as a one-shot rule alert (rule site.*, sensor = the site)
 * through the one alert path; arg is a struct alerts *. A finding the previous
 * check already had (is_new false) raises nothing: one alert per problem. */
void cmd_sitewatch_alert(void *arg, const struct site_finding *f);

/* `vigil assets watch --once [--rebaseline]`. VG_EXIT_*. */
int cmd_assets_watch(struct vg_ctx *ctx, struct vg_config *cfg, struct vg_store *st, bool once,
    bool rebaseline);

#endif
