/* The host baseline family: SCA policies (assess/sca.h) run over a host tree, each
 * failed check an item of the rectification list, a passing one verifying its
 * item, and the hardening index (checks passed / checks judged × 100). */
#ifndef VG_ASSESS_BASELINE_H
#define VG_ASSESS_BASELINE_H

#include "assess/assess.h"
#include "assess/sca.h"

struct baseline_opts {
	const char *root;		/* NULL = "/" */
	const char *const *policies;	/* policy files, or directories of .yml/.yaml files; none = shipped */
	size_t n_policies;
	const char *asset;		/* NULL = the tree's host name */
	bool record;			/* upsert findings into ctx->st */
};

struct baseline_summary {
	size_t policies, policies_skipped, passed, failed, na, recorded;
	int index;			/* 0..100; -1 when nothing was judged */
	bool commands_skipped;		/* c: rules skipped: the tree is not the running system */
	char asset[256];
};

/* Called for each judged check (p->id skipped policies: c NULL and evidence says why). */
typedef void (*baseline_cb)(void *arg, const struct sca_policy *p, const struct sca_check *c,
    enum sca_result r, const char *evidence);

/* Runs the policies of o over the tree. Policy files must be owned by root or this
 * user and not writable by others (they may run commands). 0, or VG_ERR_* with a
 * reason in err (a policy that does not load stops the run: a baseline with a
 * silently missing policy reads as passed). */
int baseline_run(struct assess_ctx *ctx, const struct baseline_opts *o, baseline_cb cb, void *arg,
    struct baseline_summary *sum, char *err, size_t err_size);

/* The shipped policy directory (rules/baseline beside the binary or under
 * /usr/share/vigil). 0 or VG_ERR_NOTFOUND. */
int baseline_default_dir(char *out, size_t size);

extern const struct assess_family_ops assess_baseline_family;

#endif
