/* Judging one SCA check against a host tree: each rule is true, false or invalid
 * (could not be judged here: a command on a copied tree, an unreadable file), and
 * the condition folds them as Wazuh does: a decided outcome wins over invalid
 * rules, otherwise the check is "not applicable". The evidence names, per rule,
 * the line that matched or what was missing, so a failure can be read without
 * opening the host. */
#include "assess/sca.h"
#include "core/err.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define SCA_DIR_MAX_FILES 4096
#define SCA_DIR_MAX_DEPTH 4
#define SCA_EV_LINE 160

enum tri { T_FALSE = 0, T_TRUE, T_INVALID };

static bool
op_match(const struct sca_op *o, const char *line, size_t len)
{
	bool hit;

	if (o->kind == SCA_OP_EQUAL)
		hit = strlen(o->text) == len && memcmp(o->text, line, len) == 0;
	else {
		int rc = pcre2_match(o->re, (PCRE2_SPTR)line, len, 0, 0, o->md, NULL);
		hit = rc > 0;
		if (hit && o->kind == SCA_OP_NUMERIC) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(o->md);
			char num[32];
			long long v;
			size_t nl = ov[3] - ov[2];
			hit = false;
			if (rc >= 2 && ov[2] != PCRE2_UNSET && nl > 0 && nl < sizeof(num)) {
				memcpy(num, line + ov[2], nl);
				num[nl] = '\0';
				if (vg_parse_ll(num, -(1LL << 62), 1LL << 62, &v) == VG_OK) {
					switch (o->cmp) {
					case SCA_LT: hit = v < o->value; break;
					case SCA_LE: hit = v <= o->value; break;
					case SCA_EQ: hit = v == o->value; break;
					case SCA_NE: hit = v != o->value; break;
					case SCA_GE: hit = v >= o->value; break;
					case SCA_GT: hit = v > o->value; break;
					}
				}
			}
		}
	}
	return o->negate ? !hit : hit;
}

/* True when one line of text satisfies every op; *where gets that line. */
static bool
text_match(const struct sca_op *ops, size_t n, const char *text, size_t len, const char **where,
    size_t *wlen)
{
	const char *p = text, *end = text + len;

	/* an empty file or output has no line, so even "!r:x" finds none */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t ml = ll && p[ll - 1] == '\r' ? ll - 1 : ll;
		size_t i;
		for (i = 0; i < n && op_match(&ops[i], p, ml); i++)
			;
		if (i == n) {
			*where = p;
			*wlen = ml;
			return true;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

static void
ev_line(struct vg_buf *ev, const char *what, const char *line, size_t len)
{
	if (!ev)
		return;
	vg_buf_puts(ev, what);
	if (line) {
		vg_buf_puts(ev, " '");
		vg_buf_put(ev, line, len > SCA_EV_LINE ? SCA_EV_LINE : len);
		vg_buf_puts(ev, len > SCA_EV_LINE ? "...'" : "'");
	}
}

/* The line starting with the literal word the first operator's pattern starts
 * with ("^permitrootlogin no$" -> a "permitrootlogin ..." line), or the only line. */
static bool
hint_line(const struct sca_rule *r, const char *text, size_t len, const char **w, size_t *wl)
{
	const char *pat = r->n_ops ? r->ops[0].text : "", *p = text, *end = text + len;
	size_t kl;

	if (*pat == '^')
		pat++;
	for (kl = 0; pat[kl] && (isalnum((unsigned char)pat[kl]) || strchr("_.-/", pat[kl])); kl++)
		;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool only = !nl || nl + 1 >= end;
		if ((kl >= 3 && ll >= kl && strncasecmp(p, pat, kl) == 0) || (p == text && only)) {
			*w = p;
			*wl = ll;
			return ll > 0;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

static enum tri
judge_text(const struct sca_rule *r, const char *text, size_t len, struct vg_buf *ev)
{
	const char *w = NULL;
	size_t wl = 0;

	if (text_match(r->ops, r->n_ops, text, len, &w, &wl)) {
		ev_line(ev, "matched", w, wl);
		return T_TRUE;
	}
	/* say what was there instead: the line about the same key, or a short output */
	if (ev && hint_line(r, text, len, &w, &wl))
		ev_line(ev, "no line matches; saw", w, wl);
	else
		ev_line(ev, "no line matches", NULL, 0);
	return T_FALSE;
}

static enum tri
rule_file(const struct sca_env *env, const struct sca_rule *r, struct vg_buf *ev)
{
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	enum tri t = T_FALSE;
	int rc;

	/* "f:/a,/b": true when any of the files satisfies the rule */
	const char *p = r->location;
	for (;;) {
		char path[1024];
		const char *comma = strchr(p, ',');
		size_t pl = comma ? (size_t)(comma - p) : strlen(p);
		while (pl && *p == ' ')
			p++, pl--;
		if (pl >= sizeof(path))
			return T_INVALID;
		memcpy(path, p, pl);
		path[pl] = '\0';
		if (ev)
			vg_buf_putf(ev, "%s: ", path);
		if (r->n_ops == 0) {
			rc = rootfs_stat(env->rf, path, &st);
			ev_line(ev, rc == VG_OK ? "exists" : "missing", NULL, 0);
			t = rc == VG_OK ? T_TRUE : t;
		} else if ((rc = rootfs_read(env->rf, path, ROOTFS_READ_MAX, &text, &len)) == VG_OK) {
			t = judge_text(r, text, len, ev) == T_TRUE ? T_TRUE : t;
			free(text);
		} else
			ev_line(ev, rc == VG_ERR_NOTFOUND ? "missing" : "unreadable", NULL, 0);
		if (t == T_TRUE || !comma)
			break;
		if (ev)
			vg_buf_puts(ev, "; ");
		p = comma + 1;
	}
	return t;
}

struct dir_walk {
	const struct sca_env *env;
	const struct sca_rule *r;
	struct vg_buf *ev;
	size_t files;
	bool found;
};

static bool
name_ok(const struct sca_rule *r, const char *name)
{
	for (size_t i = 0; i < r->n_name; i++)
		if (!op_match(&r->name_ops[i], name, strlen(name)))
			return false;
	return true;
}

/* Files beneath dirfd (path for messages), depth-limited, links not followed. */
static void
dir_scan(struct dir_walk *w, int dirfd, const char *path, int depth)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *de;

	if (!d) {
		close(dirfd);
		return;
	}
	while (!w->found && (de = readdir(d)) && w->files < SCA_DIR_MAX_FILES) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		char sub[1024];
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (S_ISDIR(st.st_mode) && depth < SCA_DIR_MAX_DEPTH) {
			int fd = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0)
				dir_scan(w, fd, sub, depth + 1);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !name_ok(w->r, de->d_name))
			continue;
		w->files++;
		if (w->r->n_ops == 0) {
			w->found = true;
			ev_line(w->ev, sub, NULL, 0);
			return (void)closedir(d);
		}
		char *text = NULL;
		size_t len = 0;
		if (rootfs_read(w->env->rf, sub, ROOTFS_READ_MAX, &text, &len) != VG_OK)
			continue;
		const char *wh;
		size_t wl;
		if (text_match(w->r->ops, w->r->n_ops, text, len, &wh, &wl)) {
			w->found = true;
			if (w->ev)
				vg_buf_putf(w->ev, "%s: ", sub);
			ev_line(w->ev, "matched", wh, wl);
		}
		free(text);
	}
	closedir(d);
}

static enum tri
rule_dir(const struct sca_env *env, const struct sca_rule *r, struct vg_buf *ev)
{
	struct dir_walk w = { .env = env, .r = r, .ev = ev };
	int fd = rootfs_openat(env->rf, r->location, O_RDONLY | O_DIRECTORY);

	if (fd < 0) {
		if (ev)
			vg_buf_putf(ev, "%s: missing", r->location);
		return T_FALSE;
	}
	if (r->n_name == 0 && r->n_ops == 0) {
		close(fd);
		if (ev)
			vg_buf_putf(ev, "%s: exists", r->location);
		return T_TRUE;
	}
	dir_scan(&w, fd, r->location, 0);
	if (!w.found && ev)
		vg_buf_putf(ev, "%s: no file matches", r->location);
	return w.found ? T_TRUE : T_FALSE;
}

/* True when a process named name runs: proc/PID/comm of the tree. */
static enum tri
rule_process(const struct sca_env *env, const struct sca_rule *r, struct vg_buf *ev)
{
	int fd = rootfs_openat(env->rf, "/proc", O_RDONLY | O_DIRECTORY);
	struct dirent *de;
	DIR *d;
	enum tri t = T_FALSE;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		if (ev)
			vg_buf_puts(ev, "no /proc in this tree: processes not judged");
		return T_INVALID;
	}
	while (t == T_FALSE && (de = readdir(d))) {
		char path[300], *text = NULL;
		size_t len = 0;
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		if (rootfs_read(env->rf, path, 4096, &text, &len) != VG_OK)
			continue;
		while (len && (text[len - 1] == '\n'))
			text[--len] = '\0';
		if (strcmp(text, r->location) == 0) {
			t = T_TRUE;
			if (ev)
				vg_buf_putf(ev, "%s runs as pid %s", r->location, de->d_name);
		}
		free(text);
	}
	closedir(d);
	if (t == T_FALSE && ev)
		vg_buf_putf(ev, "%s does not run", r->location);
	return t;
}

static enum tri
rule_output(const struct sca_env *env, const struct sca_rule *r, struct vg_buf *ev)
{
	struct vg_buf *out = NULL;
	const char *why = NULL;
	enum tri t;
	int rc;

	if (r->type == 'c') {
		if (!env->run_commands) {
			if (ev)
				vg_buf_putf(ev, "command '%s' skipped: the tree is not the running system",
				    r->location);
			return T_INVALID;
		}
		rc = sca_command(r->location, env->cmd_timeout_ms, &out);
		if (rc != VG_OK)
			why = "the command could not run";
	} else
		rc = sca_probe(env, r->location, &out, &why);
	if (rc != VG_OK || !out) {
		if (ev)
			vg_buf_putf(ev, "%s: %s", r->location, why ? why : vg_strerror(rc));
		vg_buf_free(out);
		return T_INVALID;
	}
	if (ev)
		vg_buf_putf(ev, "%s: ", r->location);
	if (r->n_ops == 0)
		t = vg_buf_len(out) ? T_TRUE : T_FALSE;
	else
		t = judge_text(r, vg_buf_ptr(out), vg_buf_len(out), ev);
	vg_buf_free(out);
	return t;
}

static enum tri
rule_eval(const struct sca_env *env, const struct sca_rule *r, struct vg_buf *ev)
{
	enum tri t;

	switch (r->type) {
	case 'f': t = rule_file(env, r, ev); break;
	case 'd': t = rule_dir(env, r, ev); break;
	case 'p': t = rule_process(env, r, ev); break;
	default: t = rule_output(env, r, ev); break;
	}
	if (r->negate && t != T_INVALID)
		t = t == T_TRUE ? T_FALSE : T_TRUE;
	return t;
}

int
sca_check_eval(const struct sca_env *env, const struct sca_check *c, enum sca_result *res,
    struct vg_buf *ev)
{
	size_t n_true = 0, n_false = 0, n_invalid = 0;

	for (size_t i = 0; i < c->n_rules; i++) {
		if (ev)
			vg_buf_putf(ev, "%s[%.100s%s] ", i ? "\n" : "", c->rules[i].text,
			    strlen(c->rules[i].text) > 100 ? "..." : "");
		enum tri t = rule_eval(env, &c->rules[i], ev);
		if (ev)
			vg_buf_puts(ev, t == T_TRUE ? " => true" : t == T_FALSE ? " => false"
										 : " => not judged");
		n_true += t == T_TRUE;
		n_false += t == T_FALSE;
		n_invalid += t == T_INVALID;
	}
	switch (c->cond) {
	case SCA_ALL:
		*res = n_false ? SCA_FAILED : n_invalid ? SCA_NA : SCA_PASSED;
		break;
	case SCA_ANY:
		*res = n_true ? SCA_PASSED : n_invalid ? SCA_NA : SCA_FAILED;
		break;
	case SCA_NONE:
		*res = n_true ? SCA_FAILED : n_invalid ? SCA_NA : SCA_PASSED;
		break;
	}
	return VG_OK;
}
