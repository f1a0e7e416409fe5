/* x:logrotate: how many days each log is kept, as logrotate would keep it: rotate
 * count × period (hourly, daily, weekly, monthly, yearly), capped by maxage, with
 * each stanza inheriting the global settings in force where it is defined and
 * include'd directories read in name order. One line per stanza:
 * "FILE: PATTERNS rotate=N period=P days=D" and one for the global defaults, so a
 * policy can require days >= 180 (the event rule: logs kept six months). */
#include "assess/sca.h"
#include "core/err.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define LR_MAX_DEPTH 4
#define LR_MAX_FILES 512

struct lr_set {
	long long rotate;	/* -1 = unset (logrotate: 0, old logs removed) */
	const char *period;	/* "daily", ...; NULL = unset (rotated each run: daily cron) */
	long long maxage;	/* -1 = unset */
};

static long long
days_of(const struct lr_set *s)
{
	const char *p = s->period ? s->period : "daily";
	long long r = s->rotate < 0 ? 0 : s->rotate, d;

	if (strcmp(p, "hourly") == 0)
		d = r / 24;
	else if (strcmp(p, "weekly") == 0)
		d = r * 7;
	else if (strcmp(p, "monthly") == 0)
		d = r * 30;
	else if (strcmp(p, "yearly") == 0)
		d = r * 365;
	else
		d = r;
	if (s->maxage >= 0 && s->maxage < d)
		d = s->maxage;
	return d;
}

static void lr_file(const struct sca_env *env, const char *path, struct lr_set *global,
    struct vg_buf *out, int depth);

/* A directive into s; true when the line was one of ours. */
static bool
directive(struct lr_set *s, const char *w, const char *arg)
{
	static const char *const periods[] = { "hourly", "daily", "weekly", "monthly", "yearly" };
	long long v;

	for (size_t i = 0; i < 5; i++)
		if (strcmp(w, periods[i]) == 0) {
			s->period = periods[i];
			return true;
		}
	if (strcmp(w, "rotate") == 0 && vg_parse_ll(arg, -1, 1000000, &v) == VG_OK) {
		s->rotate = v;
		return true;
	}
	if (strcmp(w, "maxage") == 0 && vg_parse_ll(arg, 0, 10000000, &v) == VG_OK) {
		s->maxage = v;
		return true;
	}
	return false;
}

/* logrotate's tabooext: package managers' leftovers in an included directory are not read */
static bool
lr_keep(void *arg, const char *name)
{
	static const char *const taboo[] = { ".dpkg-old", ".dpkg-dist", ".dpkg-new", ".rpmsave",
		".rpmnew", ".disabled" };
	const char *dot = strrchr(name, '.');
	(void)arg;

	if (name[0] == '.' || name[strlen(name) - 1] == '~')
		return false;
	for (size_t i = 0; dot && i < sizeof(taboo) / sizeof(taboo[0]); i++)
		if (strcmp(dot, taboo[i]) == 0)
			return false;
	return true;
}

static void
lr_include(const struct sca_env *env, const char *path, struct lr_set *global,
    struct vg_buf *out, int depth)
{
	char **names = NULL;
	size_t n = 0;

	if (rootfs_list(env->rf, path, lr_keep, NULL, LR_MAX_FILES, &names, &n) == VG_ERR_NOTFOUND) {
		lr_file(env, path, global, out, depth + 1);	/* "include FILE" */
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char p[1024];
		snprintf(p, sizeof(p), "%s/%s", path, names[i]);
		lr_file(env, p, global, out, depth + 1);
	}
	rootfs_names_free(names, n);
}

static void
lr_file(const struct sca_env *env, const char *path, struct lr_set *global, struct vg_buf *out,
    int depth)
{
	char *text = NULL, pats[256] = "";
	size_t len = 0;
	struct lr_set st;
	bool in_stanza = false, in_script = false;

	if (depth > LR_MAX_DEPTH || rootfs_read(env->rf, path, 1u << 20, &text, &len) != VG_OK)
		return;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n'), w[64], arg[256];
		if (nl)
			*nl = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		w[0] = arg[0] = '\0';
		sscanf(line, "%63s %255s", w, arg);
		if (in_script) {
			in_script = strcmp(w, "endscript") != 0;
		} else if (!w[0] || w[0] == '#') {
			;
		} else if (in_stanza && w[0] == '}') {
			vg_buf_putf(out, "%s: %s rotate=%lld period=%s days=%lld\n", path, pats,
			    st.rotate < 0 ? 0 : st.rotate, st.period ? st.period : "each-run",
			    days_of(&st));
			in_stanza = false;
		} else if (in_stanza) {
			if (strcmp(w, "postrotate") == 0 || strcmp(w, "prerotate") == 0 ||
			    strcmp(w, "firstaction") == 0 || strcmp(w, "lastaction") == 0 ||
			    strcmp(w, "preremove") == 0)
				in_script = true;
			else
				directive(&st, w, arg);
		} else if (strchr(line, '{')) {
			/* "PATTERN... {" starts a stanza with the global settings so far */
			st = *global;
			in_stanza = true;
			size_t pl = (size_t)(strchr(line, '{') - line);
			while (pl && (line[pl - 1] == ' ' || line[pl - 1] == '\t'))
				pl--;
			snprintf(pats, sizeof(pats), "%.*s", (int)pl, line);
			for (char *q = pats; *q; q++)
				if (*q == '\t')
					*q = ' ';
		} else if (strcmp(w, "include") == 0 && arg[0]) {
			lr_include(env, arg, global, out, depth);
		} else
			directive(global, w, arg);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
}

int sca_probe_logrotate(const struct sca_env *env, const char *args, struct vg_buf *out,
    const char **why);

int
sca_probe_logrotate(const struct sca_env *env, const char *args, struct vg_buf *out,
    const char **why)
{
	struct lr_set global = { .rotate = -1, .period = NULL, .maxage = -1 };
	struct stat st;
	(void)args;

	if (rootfs_stat(env->rf, "/etc/logrotate.conf", &st) != VG_OK) {
		*why = "no /etc/logrotate.conf: logrotate not installed";
		return VG_ERR_NOTFOUND;
	}
	lr_file(env, "/etc/logrotate.conf", &global, out, 0);
	/* the defaults last, so "global" lines show what a new stanza would get */
	return vg_buf_putf(out, "global: rotate=%lld period=%s days=%lld\n",
	    global.rotate < 0 ? 0 : global.rotate, global.period ? global.period : "each-run",
	    days_of(&global));
}
