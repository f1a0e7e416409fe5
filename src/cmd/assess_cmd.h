/* What the `vigil assess` files share: the parsed options and the run verbs. */
#ifndef VG_ASSESS_CMD_H
#define VG_ASSESS_CMD_H

#include "assess/assess.h"
#include "cmd/cases_cmd.h"

#define ASSESS_CMD_MAX_POLICIES 64
#define ASSESS_CMD_MAX_IDS 1024

struct assess_opts {
	struct assess_filter f;
	const char *owner, *deadline, *by, *note, *approver, *reason, *format, *output;
	const char *title, *ref, *evidence, *remediation, *from_notice;
	const char *root, *dpkg_status;
	const char *policies[ASSESS_CMD_MAX_POLICIES];
	size_t n_policies;
	int severity;		/* -1 = not given */
	int64_t deadline_us;
	bool print, no_services;
};

/* What recheck and the runs hand the families as ctx->arg. */
struct assess_run_args {
	const struct assess_opts *opts;
};

/* Subcommands that parse their own options (webcheck's web, tls, checklist):
 * rows of assess_subcmds in cmd/assess.c; run gets argv[0] = the subcommand and
 * returns a VG_EXIT_* code. */
struct assess_subcmd {
	const char *name;
	const char *summary;
	int (*run)(struct vg_ctx *ctx, int argc, char **argv);
};

/* Parses the options of every verb (argv[0] is the verb) into o. VG_EXIT_*; operands
 * are left at argv[optind..]. */
int assess_cmd_parse_opts(int argc, char **argv, struct assess_opts *o);
/* The list verbs (cmd/assess_do.c); argv holds the operands. VG_EXIT_*. */
int assess_cmd_list(struct vg_ctx *ctx, struct vg_store *st, const struct assess_opts *o);
int assess_cmd_export(struct vg_store *st, const struct assess_opts *o);
int assess_cmd_recheck(struct vg_ctx *ctx, struct vg_store *st, const struct vg_config *cfg,
    const struct assess_opts *o, int argc, char **argv);
int assess_cmd_add(struct vg_ctx *ctx, struct cases_cmd *cc, const struct assess_opts *o);
/* One item as a row of the list (cmd/assess_print.c). */
void assess_cmd_print_row(const json_t *n);
/* One recheck outcome (id, PASS/FAIL/SKIPPED, from -> to, error or evidence). */
void assess_cmd_print_recheck(const json_t *it);
/* Shows item id (detail or JSON). VG_EXIT_*. */
int assess_cmd_show(struct vg_ctx *ctx, struct vg_store *st, int64_t id);
/* baseline, vulns, fix (cmd/assess_run.c); argv holds the operands. VG_EXIT_*. */
int assess_cmd_run(struct vg_ctx *ctx, struct cases_cmd *cc, const char *verb,
    const struct assess_opts *o, int argc, char **argv);

/* fix --print (cmd/assess_fix.c). VG_EXIT_*. */
int assess_cmd_fix(struct cases_cmd *cc, const struct assess_opts *o, int argc, char **argv);
/* vulns (cmd/assess_vulns.c). VG_EXIT_*. */
int assess_cmd_vulns(struct vg_ctx *ctx, struct cases_cmd *cc, const struct assess_opts *o,
    int argc, char **argv);

#endif
