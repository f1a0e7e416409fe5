/* Host baseline policies in the Wazuh SCA shape (policy, requirements, checks with
 * condition all|any|none and rules), loaded from YAML and judged against a host
 * tree. Rule kinds: f: file, d: directory, c: command, p: process (Wazuh's), and
 * vigil's x: probes (sysctl, sshd effective config, logrotate retention, SUID and
 * world-writable files, listening sockets, file modes), computed in-process so a
 * copied tree under --root can be judged without running anything from it.
 * Content operators after "->": r:REGEX (PCRE2), !r:REGEX, n:REGEX compare OP N,
 * plain text (the whole line), joined by " && " and judged per line. */
#ifndef VG_ASSESS_SCA_H
#define VG_ASSESS_SCA_H

#include "assess/rootfs.h"
#include "core/buf.h"

#include <stdbool.h>
#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum sca_cond { SCA_ALL = 0, SCA_ANY, SCA_NONE };

enum sca_op_kind { SCA_OP_REGEX = 0, SCA_OP_EQUAL, SCA_OP_NUMERIC };
enum sca_cmp { SCA_LT = 0, SCA_LE, SCA_EQ, SCA_NE, SCA_GE, SCA_GT };

struct sca_op {
	enum sca_op_kind kind;
	bool negate;			/* !r: */
	char *text;			/* the pattern or the line */
	pcre2_code *re;
	pcre2_match_data *md;
	enum sca_cmp cmp;
	long long value;
};

struct sca_rule {
	char *text;			/* as written (after variables), for evidence */
	bool negate;			/* "not " */
	char type;			/* 'f' 'd' 'c' 'p' 'x' */
	char *location;			/* path(s), command, process name or probe */
	struct sca_op *name_ops;	/* d: which files (none = all) */
	size_t n_name;
	struct sca_op *ops;		/* content; none = existence */
	size_t n_ops;
};

struct sca_check {
	char *id, *title, *description, *rationale, *remediation, *fix;
	int severity;			/* enum vg_severity; vigil's "severity:" key, else medium */
	enum sca_cond cond;
	struct sca_rule *rules;
	size_t n_rules;
};

struct sca_policy {
	char *path, *id, *name, *description;
	bool has_requirements;
	struct sca_check requirements;
	struct sca_check *checks;
	size_t n_checks;
};

/* Loads one policy file. 0; VG_ERR_PARSE / VG_ERR_FORMAT with a one-line reason in
 * err (file:line: what); VG_ERR_IO; VG_ERR_LIMIT (YAML node budget). Caller frees
 * *out with sca_policy_free (accepts NULL). */
int sca_policy_load(const char *path, struct sca_policy **out, char *err, size_t err_size);
/* Parses YAML text (for tests and the fuzzer); name is used in messages. */
int sca_policy_parse(const char *name, const char *text, size_t len, struct sca_policy **out,
    char *err, size_t err_size);
void sca_policy_free(struct sca_policy *p);
/* The check with this id, or NULL. */
const struct sca_check *sca_policy_check(const struct sca_policy *p, const char *id);

enum sca_result { SCA_PASSED = 0, SCA_FAILED, SCA_NA };
const char *sca_result_name(enum sca_result r);

/* Probe outputs and tree walks of one run, so twelve sshd checks run sshd -T once
 * and /usr is walked once for SUID and world-writable files together. */
#define SCA_CACHE_MAX 128
struct sca_cache {
	char *key[SCA_CACHE_MAX];
	struct vg_buf *val[SCA_CACHE_MAX];
	size_t n;
};
/* Frees what the cache holds (accepts an empty one) and empties it. */
void sca_cache_clear(struct sca_cache *c);

struct sca_env {
	const struct rootfs *rf;
	bool run_commands;		/* c: rules and sshd -T: only on the running system */
	int cmd_timeout_ms;
	struct sca_cache *cache;	/* may be NULL */
};

/* Judges check c in env. *res; ev (may be NULL) gets one line per rule saying what
 * was seen (matched line, missing file, skipped command). 0 or VG_ERR_NOMEM. */
int sca_check_eval(const struct sca_env *env, const struct sca_check *c, enum sca_result *res,
    struct vg_buf *ev);

/* Probes (x:NAME ARGS): text lines the content operators judge. *out is a new
 * buffer (caller frees) or NULL with *why set when the probe cannot run here.
 * VG_ERR_NOTFOUND for an unknown probe (refused at load time). */
int sca_probe(const struct sca_env *env, const char *spec, struct vg_buf **out, const char **why);
bool sca_probe_known(const char *spec);
/* The sshd effective configuration as `sshd -T` prints it (lowercase "key value"
 * lines): sshd -T itself on the running system, else sshd_config (+ Include) read
 * from the tree with OpenSSH's first-value-wins rule and its defaults. */
int sca_sshd_effective(const struct sca_env *env, struct vg_buf **out, const char **source);
/* Runs argv (split on blanks, no shell) with a timeout; stdout+stderr into *out
 * (capped at 1 MiB). VG_ERR_IO when it cannot run or times out. */
int sca_command(const char *cmdline, int timeout_ms, struct vg_buf **out);

#endif
