/* The baseline family: policies over a host tree into the rectification list (see
 * baseline.h). A finding's target records the policy file and the tree, so a
 * recheck re-runs exactly that check of that policy on that tree. */
#include "assess/baseline.h"
#include "core/err.h"
#include "core/buf.h"
#include "core/paths.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BASELINE_MAX_FILES 256
#define BASELINE_EV_MAX (64u << 10)
#define BASELINE_CMD_TIMEOUT_MS 10000

int
baseline_default_dir(char *out, size_t size)
{
	return vg_find_data_dir("rules/baseline", out, size);
}

static bool
is_policy_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && ((l > 4 && strcmp(n + l - 4, ".yml") == 0) ||
			       (l > 5 && strcmp(n + l - 5, ".yaml") == 0));
}

/* Policies may run commands as whoever runs vigil: refuse what others could edit. */
static int
trusted(const char *path, char *err, size_t err_size)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return VG_ERR_IO;
	}
	if ((st.st_mode & S_IWOTH) || (st.st_uid != 0 && st.st_uid != geteuid())) {
		snprintf(err, err_size, "%s: refused (mode %04o, uid %u): policies must be owned by "
		    "root or this user and not writable by others", path,
		    (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid);
		return VG_ERR_DENIED;
	}
	return VG_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands files and directories into a sorted list of policy files. */
static int
collect(const char *const *in, size_t n_in, char **files, size_t *n, char *err, size_t err_size)
{
	for (size_t i = 0; i < n_in; i++) {
		struct stat st;
		char real[PATH_MAX];
		if (!realpath(in[i], real) || stat(real, &st) != 0) {
			snprintf(err, err_size, "%s: %s", in[i], strerror(errno));
			return VG_ERR_IO;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (*n >= BASELINE_MAX_FILES || !(files[(*n)++] = strdup(real)))
				return VG_ERR_LIMIT;
			continue;
		}
		DIR *d = opendir(real);
		struct dirent *de;
		size_t first = *n;
		if (!d) {
			snprintf(err, err_size, "%s: %s", real, strerror(errno));
			return VG_ERR_IO;
		}
		while ((de = readdir(d))) {
			if (!is_policy_name(de->d_name))
				continue;
			char p[PATH_MAX + 256];
			snprintf(p, sizeof(p), "%s/%s", real, de->d_name);
			if (*n >= BASELINE_MAX_FILES || !(files[(*n)++] = strdup(p))) {
				closedir(d);
				return VG_ERR_LIMIT;
			}
		}
		closedir(d);
		qsort(files + first, *n - first, sizeof(files[0]), cmp_str);
	}
	return VG_OK;
}

static int
record(struct assess_ctx *ctx, const struct sca_policy *p, const struct sca_check *c,
    enum sca_result res, const char *evidence, const char *asset, const char *root,
    size_t *recorded)
{
	char check_id[256], key[600], target[PATH_MAX * 2 + 32];
	enum assess_state state;
	int64_t id;
	int r;

	snprintf(check_id, sizeof(check_id), "%s:%s", p->id, c->id);
	snprintf(key, sizeof(key), "baseline|%s|%s", check_id, asset);
	if (res == SCA_PASSED) {
		/* a full run re-runs the check: a pass verifies an item that was open */
		r = assess_item_by_key(ctx->st, key, &id, &state);
		if (r == VG_ERR_NOTFOUND || (r == VG_OK && (state == ASSESS_VERIFIED ||
							      state == ASSESS_ACCEPTED)))
			return VG_OK;
		return r == VG_OK ? assess_item_checked(ctx->st, id, true, evidence, ctx->actor, NULL)
				  : r;
	}
	if (res != SCA_FAILED)
		return VG_OK;
	snprintf(target, sizeof(target), "policy=%s\nroot=%s", p->path, root);
	struct assess_finding f = { .kind = ASSESS_BASELINE, .family = "baseline",
		.check_id = check_id, .asset = asset, .key = key, .target = target, .ref = p->id,
		.title = c->title, .severity = c->severity, .evidence = evidence,
		.remediation = c->remediation, .fix_script = c->fix, .actor = ctx->actor };
	if ((r = assess_finding_upsert(ctx->st, &f, NULL, NULL)) == VG_OK)
		(*recorded)++;
	return r;
}

static int
run_policy(struct assess_ctx *ctx, const struct sca_env *env, const struct sca_policy *p,
    const struct baseline_opts *o, baseline_cb cb, void *arg, struct baseline_summary *sum,
    struct vg_buf *ev, const char *root)
{
	enum sca_result res;
	int r;

	if (p->has_requirements) {
		vg_buf_reset(ev);
		if ((r = sca_check_eval(env, &p->requirements, &res, ev)) != VG_OK)
			return r;
		if (res != SCA_PASSED) {
			sum->policies_skipped++;
			if (cb)
				cb(arg, p, NULL, SCA_NA, vg_buf_ptr(ev));
			return VG_OK;
		}
	}
	sum->policies++;
	for (size_t i = 0; i < p->n_checks; i++) {
		const struct sca_check *c = &p->checks[i];
		vg_buf_reset(ev);
		if ((r = sca_check_eval(env, c, &res, ev)) != VG_OK)
			return r;
		sum->passed += res == SCA_PASSED;
		sum->failed += res == SCA_FAILED;
		sum->na += res == SCA_NA;
		for (size_t k = 0; !env->run_commands && k < c->n_rules; k++)
			sum->commands_skipped |= c->rules[k].type == 'c';
		if (cb)
			cb(arg, p, c, res, vg_buf_ptr(ev));
		if (o->record && ctx->st &&
		    (r = record(ctx, p, c, res, vg_buf_ptr(ev), sum->asset, root, &sum->recorded)) !=
			VG_OK)
			return r;
	}
	return VG_OK;
}

int
baseline_run(struct assess_ctx *ctx, const struct baseline_opts *o, baseline_cb cb, void *arg,
    struct baseline_summary *sum, char *err, size_t err_size)
{
	char *files[BASELINE_MAX_FILES], defdir[PATH_MAX], root[PATH_MAX];
	const char *def[1];
	const char *const *in = o->policies;
	size_t n_in = o->n_policies, n = 0;
	struct rootfs rf = { .fd = -1 };
	struct vg_buf *ev = NULL;
	struct sca_policy *p = NULL;
	struct sca_cache cache = { .n = 0 };
	int r;

	memset(sum, 0, sizeof(*sum));
	sum->index = -1;
	err[0] = '\0';
	if (!realpath(o->root ? o->root : "/", root) || (r = rootfs_open(root, &rf)) != VG_OK) {
		snprintf(err, err_size, "%s: %s", o->root ? o->root : "/", strerror(errno));
		return VG_ERR_IO;
	}
	if (n_in == 0) {
		if (baseline_default_dir(defdir, sizeof(defdir)) != VG_OK) {
			snprintf(err, err_size, "no shipped policies found (rules/baseline); use --policy");
			r = VG_ERR_NOTFOUND;
			goto out;
		}
		def[0] = defdir;
		in = def;
		n_in = 1;
	}
	if ((r = collect(in, n_in, files, &n, err, err_size)) != VG_OK)
		goto out;
	if (o->asset)
		snprintf(sum->asset, sizeof(sum->asset), "%s", o->asset);
	else
		rootfs_hostname(&rf, sum->asset, sizeof(sum->asset));
	struct sca_env env = { .rf = &rf, .run_commands = rf.is_slash,
		.cmd_timeout_ms = BASELINE_CMD_TIMEOUT_MS, .cache = &cache };
	if (!(ev = vg_buf_new(BASELINE_EV_MAX))) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if ((r = trusted(files[i], err, err_size)) != VG_OK ||
		    (r = sca_policy_load(files[i], &p, err, err_size)) != VG_OK)
			goto out;
		r = run_policy(ctx, &env, p, o, cb, arg, sum, ev, root);
		sca_policy_free(p);
		p = NULL;
		if (r != VG_OK) {
			snprintf(err, err_size, "%s: %s", files[i], vg_strerror(r));
			goto out;
		}
	}
	if (sum->passed + sum->failed)
		sum->index = (int)((sum->passed * 100 + (sum->passed + sum->failed) / 2) /
				   (sum->passed + sum->failed));
out:
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	vg_buf_free(ev);
	sca_cache_clear(&cache);
	rootfs_close(&rf);
	return r;
}

static int
family_run(struct assess_ctx *ctx, size_t *found)
{
	struct baseline_opts o = { .root = ctx->root, .record = true };
	struct baseline_summary sum;
	char err[512];
	int r = baseline_run(ctx, &o, NULL, NULL, &sum, err, sizeof(err));

	if (found)
		*found = sum.failed;
	if (r != VG_OK && ctx->log)
		vg_log(ctx->log, VG_LOG_ERROR, "baseline: %s", err);
	return r;
}

/* Reads "policy=PATH\nroot=DIR" back. */
static int
parse_target(const char *t, char *policy, size_t ps, char *root, size_t rs)
{
	const char *nl;

	if (!t || strncmp(t, "policy=", 7) != 0 || !(nl = strchr(t, '\n')) ||
	    strncmp(nl + 1, "root=", 5) != 0)
		return VG_ERR_FORMAT;
	snprintf(policy, ps, "%.*s", (int)(nl - t - 7), t + 7);
	snprintf(root, rs, "%s", nl + 6);
	return VG_OK;
}

static int
family_recheck(struct assess_ctx *ctx, const struct assess_item *item, bool *passed,
    char *evidence, size_t evidence_size)
{
	char policy[PATH_MAX], root[PATH_MAX], err[512];
	const char *colon = item->check_id ? strrchr(item->check_id, ':') : NULL;
	struct sca_policy *p = NULL;
	struct rootfs rf = { .fd = -1 };
	struct vg_buf *ev = NULL;
	enum sca_result res;
	int r;

	*passed = false;
	evidence[0] = '\0';
	if (!colon || parse_target(item->target, policy, sizeof(policy), root, sizeof(root)) != VG_OK)
		return VG_ERR_FORMAT;
	if ((r = trusted(policy, err, sizeof(err))) != VG_OK ||
	    (r = sca_policy_load(policy, &p, err, sizeof(err))) != VG_OK) {
		snprintf(evidence, evidence_size, "%s", err);
		return r == VG_ERR_IO ? VG_ERR_NOTFOUND : r;
	}
	const struct sca_check *c = sca_policy_check(p, colon + 1);
	if (!c) {
		r = VG_ERR_NOTFOUND;
		goto out;
	}
	if ((r = rootfs_open(root, &rf)) != VG_OK)
		goto out;
	struct sca_env env = { .rf = &rf, .run_commands = rf.is_slash,
		.cmd_timeout_ms = BASELINE_CMD_TIMEOUT_MS };
	(void)ctx;
	if (!(ev = vg_buf_new(BASELINE_EV_MAX))) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	if ((r = sca_check_eval(&env, c, &res, ev)) != VG_OK)
		goto out;
	snprintf(evidence, evidence_size, "%s", vg_buf_ptr(ev));
	if (res == SCA_NA)
		r = VG_ERR_DENIED;	/* not judged here: the item is left as it is */
	*passed = res == SCA_PASSED;
out:
	vg_buf_free(ev);
	rootfs_close(&rf);
	sca_policy_free(p);
	return r;
}

const struct assess_family_ops assess_baseline_family = {
	.name = "baseline",
	.kind = ASSESS_BASELINE,
	.doc = "host baseline: SCA-shaped YAML policies judged over a host tree",
	.run = family_run,
	.recheck = family_recheck,
};
