/* The `vigil assess` subcommands of the web, TLS and checklist families (their
 * rows sit in cmd/assess.c's table). argv[0] is the subcommand's name; each
 * returns an enum vg_exit value. */
#ifndef VG_ASSESS_SUB_H
#define VG_ASSESS_SUB_H

#include "cmd/cmd.h"

int cmd_assess_web(struct vg_ctx *ctx, int argc, char **argv);
int cmd_assess_tls(struct vg_ctx *ctx, int argc, char **argv);
int cmd_assess_checklist(struct vg_ctx *ctx, int argc, char **argv);

struct wc_finding;
/* Makes each finding an item of the rectification list (when st is set) and prints
 * it: text blocks, or one JSON object per line with --json; counts them. */
struct wc_printer {
	struct vg_ctx *ctx;
	struct vg_store *st;	/* NULL: print only */
	const char *actor;
	size_t count, created;
};
/* A wc_finding_fn; arg is a struct wc_printer. 0, or the store's error. */
int cmd_assess_print_finding(void *arg, const struct wc_finding *f);

struct wc_target;
struct vg_store;
/* The targets of `assess web|tls`: argv[0..argc) as given, or with assets the
 * register's targets in scope (webcheck_asset_targets). *out is freed with
 * webcheck_targets_free. VG_EXIT_*, printing why. */
int cmd_assess_targets(struct vg_store *st, bool tls, bool assets, int argc, char **argv,
    struct wc_target **out, size_t *n);

struct web_tmpl_set;
struct web_http_opts;
/* `assess web`'s templates into ts: templates (a file or directory; NULL: the shipped
 * rules/web), and only, when set, must name one of them. VG_EXIT_OK, or
 * VG_EXIT_USAGE with why printed (ts then holds nothing). */
int cmd_assess_web_templates(const struct cmd_ops *cmd, const char *templates, const char *only,
    struct web_tmpl_set *ts);
/* `assess web`: runs ts (only the template only, when set) against each target,
 * printing each finding through pr and a summary line per site. VG_EXIT_OK, or
 * VG_EXIT_RUNTIME when a site could not be checked (the store failing stops). */
int cmd_assess_web_sites(struct vg_ctx *ctx, const struct web_tmpl_set *ts,
    const struct web_http_opts *http, const char *only, const struct wc_target *tg, size_t ntg,
    struct wc_printer *pr);

struct checklist;
struct cases_cmd;
/* `assess checklist show` (file_gaps false: every item with its answer) and `score`
 * (file_gaps: the gaps as items of the list for asset, default 'organisation', by
 * by); then the score. VG_EXIT_OK; VG_EXIT_FOUND: score found gaps. */
int cmd_assess_checklist_judge(struct vg_ctx *ctx, struct cases_cmd *cc, const struct checklist *c,
    const char *by, const char *asset, bool file_gaps);

/* Usage and help lines of the three, for `vigil assess --help`. */
extern const char cmd_assess_web_help[];
extern const char cmd_assess_tls_help[];
extern const char cmd_assess_checklist_help[];

#endif
