/* What the `vigil assets` files share (assets.c: dispatch and help; assets_opts.c:
 * options; assets_do.c: the register's verbs; assets_import.c: imports;
 * assets_watch.c: the website watch), and what `vigil watch` takes from them. */
#ifndef VG_CMD_ASSETS_H
#define VG_CMD_ASSETS_H

#include "cmd/cmd.h"
#include "inventory/assets_list.h"
#include "inventory/sitewatch.h"

#include <stdbool.h>

struct vg_store;

struct assets_env {
	struct vg_ctx *ctx;
	struct vg_config *cfg;
	struct vg_store *st;
	struct assets_filter filter;
	const char *format, *rules, *spec, *by;
	bool replace, once, rebaseline;
};

extern const struct cmd_ops cmd_assets;

/* assets_opts.c: the options into e (optind left at the first operand). VG_EXIT_*,
 * the usage error printed. */
int assets_parse(struct assets_env *e, int argc, char **argv);

/* The verbs; each returns a VG_EXIT_* code and prints what went wrong. */
int assets_do_list(struct assets_env *e, const char *show);	/* show: one asset */
int assets_do_classes(struct assets_env *e);
int assets_do_scans(struct assets_env *e);
int assets_do_diff(struct assets_env *e, int argc, char **argv);
int assets_do_import(struct assets_env *e, const char *path);
int assets_do_import_scan(struct assets_env *e, const char *path);
int assets_do_observe(struct assets_env *e, int argc, char **argv);

/* Error lines collected in b, each printed through the sanitiser. */
struct vg_buf;
void assets_print_errors(const struct vg_buf *b);

/* A sitewatch finding as a one-shot rule alert (rule site.*, sensor = the site)
 * through the one alert path; arg is a struct alerts *. A finding the previous
 * check already had (is_new false) raises nothing: one alert per problem. */
void cmd_sitewatch_alert(void *arg, const struct site_finding *f);

/* `vigil assets watch --once [--rebaseline]`. VG_EXIT_*. */
int cmd_assets_watch(struct vg_ctx *ctx, struct vg_config *cfg, struct vg_store *st, bool once,
    bool rebaseline);

#endif
