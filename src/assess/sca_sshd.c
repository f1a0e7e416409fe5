/* The OpenSSH server's effective configuration, judged as `sshd -T` prints it
 * (what the daemon would run with, not what a file happens to say): sshd -T on the
 * running system, else sshd_config and its Includes read from the tree with sshd's
 * own rules (first value wins, Match blocks are not global, defaults fill the
 * rest). Also the c: rule runner (no shell, a timeout, bounded output). */
#include "assess/sca.h"
#include "core/err.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CMD_OUT_MAX (1u << 20)
#define CMD_ARGV_MAX 32
#define SSHD_MAX_KEYS 256
#define SSHD_MAX_DEPTH 8

int
sca_command(const char *cmdline, int timeout_ms, struct vg_buf **out)
{
	char copy[1024], *argv[CMD_ARGV_MAX + 1];
	int pfd[2] = { -1, -1 }, status = 0, r = VG_ERR_IO, n = 0;
	pid_t pid = -1;

	*out = NULL;
	if (vg_strlcpy(copy, cmdline, sizeof(copy)) != VG_OK)
		return VG_ERR_LIMIT;
	/* words split on blanks; quotes and shell syntax are not interpreted */
	for (char *p = copy; *p && n < CMD_ARGV_MAX;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		argv[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	argv[n] = NULL;
	if (!n || !(*out = vg_buf_new(CMD_OUT_MAX)) || pipe2(pfd, O_CLOEXEC) != 0)
		goto out;
	if ((pid = fork()) < 0)
		goto out;
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(pfd[1], 1) < 0 || dup2(pfd[1], 2) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	pfd[1] = -1;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		char buf[8192];
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long left = timeout_ms - ((t1.tv_sec - t0.tv_sec) * 1000 +
					     (t1.tv_nsec - t0.tv_nsec) / 1000000);
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		if (left <= 0 || poll(&p, 1, (int)left) == 0) {
			kill(pid, SIGKILL);
			break;
		}
		ssize_t got = read(pfd[0], buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		/* past the cap the rest is drained and dropped, so the child can finish */
		if (vg_buf_len(*out) + (size_t)got <= CMD_OUT_MAX)
			vg_buf_put(*out, buf, (size_t)got);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) < 126)
		r = VG_OK;
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	if (r != VG_OK) {
		vg_buf_free(*out);
		*out = NULL;
	}
	return r;
}

/* OpenSSH's defaults for the settings the shipped policies judge (sshd -T names). */
static const char *const sshd_defaults[][2] = {
	{ "port", "22" }, { "permitrootlogin", "without-password" },
	{ "passwordauthentication", "yes" }, { "permitemptypasswords", "no" },
	{ "pubkeyauthentication", "yes" }, { "kbdinteractiveauthentication", "yes" },
	{ "hostbasedauthentication", "no" }, { "ignorerhosts", "yes" },
	{ "x11forwarding", "no" }, { "maxauthtries", "6" }, { "logingracetime", "120" },
	{ "clientaliveinterval", "0" }, { "clientalivecountmax", "3" }, { "maxsessions", "10" },
	{ "allowtcpforwarding", "yes" }, { "allowagentforwarding", "yes" },
	{ "permituserenvironment", "no" }, { "loglevel", "INFO" }, { "strictmodes", "yes" },
	{ "usepam", "no" }, { "gatewayports", "no" }, { "permittunnel", "no" },
	{ "maxstartups", "10:30:100" }, { "banner", "none" }, { "usedns", "no" },
};

struct sshd_conf {
	char *key[SSHD_MAX_KEYS], *val[SSHD_MAX_KEYS];
	size_t n;
};

static void
conf_set(struct sshd_conf *c, const char *k, size_t kl, const char *v, size_t vl)
{
	char key[64];

	if (kl == 0 || kl >= sizeof(key) || c->n >= SSHD_MAX_KEYS)
		return;
	for (size_t i = 0; i < kl; i++)
		key[i] = (char)tolower((unsigned char)k[i]);
	key[kl] = '\0';
	if (strcmp(key, "challengeresponseauthentication") == 0)
		snprintf(key, sizeof(key), "kbdinteractiveauthentication");
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->key[i], key) == 0 && strcmp(key, "port") != 0)
			return;	/* sshd: the first obtained value wins */
	char *val = strndup(v, vl);
	if (!val)
		return;
	if (strcmp(key, "loglevel") != 0 && strcmp(key, "banner") != 0)
		for (char *p = val; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	if (strcmp(val, "prohibit-password") == 0) {
		free(val);
		val = strdup("without-password");	/* the name sshd -T prints */
	}
	if (!val || !(c->key[c->n] = strdup(key))) {
		free(val);
		return;
	}
	c->val[c->n++] = val;
}

static void conf_file(const struct sca_env *env, struct sshd_conf *c, const char *path, int depth);

static bool
glob_keep(void *arg, const char *name)
{
	return name[0] != '.' && fnmatch(arg, name, 0) == 0;
}

/* Include PATTERN...: relative to /etc/ssh, globs in the last component only. */
static void
conf_include(const struct sca_env *env, struct sshd_conf *c, const char *pat, int depth)
{
	char full[1024], dir[1024];
	const char *slash;

	if (snprintf(full, sizeof(full), "%s%.512s", pat[0] == '/' ? "" : "/etc/ssh/", pat) < 0)
		return;
	slash = strrchr(full, '/');
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - full), full);
	if (!strpbrk(slash + 1, "*?[")) {
		conf_file(env, c, full, depth + 1);
		return;
	}
	char **names = NULL;
	size_t n = 0;
	rootfs_list(env->rf, dir[0] ? dir : "/", glob_keep, (void *)(slash + 1), 128, &names, &n);
	for (size_t i = 0; i < n; i++) {
		char p[1400];
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		conf_file(env, c, p, depth + 1);
	}
	rootfs_names_free(names, n);
}

static void
conf_file(const struct sca_env *env, struct sshd_conf *c, const char *path, int depth)
{
	char *text = NULL;
	size_t len = 0;
	bool in_match = false;

	if (depth > SSHD_MAX_DEPTH || rootfs_read(env->rf, path, 1u << 20, &text, &len) != VG_OK)
		return;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		size_t kl = strcspn(line, " \t=");
		char *v = line + kl;
		while (*v == ' ' || *v == '\t' || *v == '=')
			v++;
		size_t vl = strcspn(v, "\r");
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			vl--;
		if (kl && line[0] != '#') {
			if (kl == 5 && strncasecmp(line, "match", 5) == 0)
				in_match = !(vl == 3 && strncasecmp(v, "all", 3) == 0);
			else if (kl == 7 && strncasecmp(line, "include", 7) == 0) {
				char pats[512];
				snprintf(pats, sizeof(pats), "%.*s", (int)vl, v);
				for (char *p = pats; *p;) {
					size_t pl = strcspn(p, " \t");
					char one[512];
					snprintf(one, sizeof(one), "%.*s", (int)pl, p);
					if (*one)
						conf_include(env, c, one, depth);
					p += pl;
					while (*p == ' ' || *p == '\t')
						p++;
				}
			} else if (!in_match)
				conf_set(c, line, kl, v, vl);
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
}

int
sca_sshd_effective(const struct sca_env *env, struct vg_buf **out, const char **source)
{
	struct sshd_conf c = { .n = 0 };
	struct stat st;
	int r = VG_OK;

	*out = NULL;
	*source = NULL;
	if (env->run_commands && rootfs_stat(env->rf, "/usr/sbin/sshd", &st) == VG_OK &&
	    sca_command("/usr/sbin/sshd -T", env->cmd_timeout_ms, out) == VG_OK &&
	    strstr(vg_buf_ptr(*out), "permitrootlogin ")) {
		*source = "sshd -T";
		return VG_OK;
	}
	vg_buf_free(*out);
	*out = NULL;
	if (rootfs_stat(env->rf, "/etc/ssh/sshd_config", &st) != VG_OK) {
		*source = "no /etc/ssh/sshd_config: OpenSSH server not installed";
		return VG_ERR_NOTFOUND;
	}
	conf_file(env, &c, "/etc/ssh/sshd_config", 0);
	for (size_t i = 0; i < sizeof(sshd_defaults) / sizeof(sshd_defaults[0]); i++)
		conf_set(&c, sshd_defaults[i][0], strlen(sshd_defaults[i][0]), sshd_defaults[i][1],
		    strlen(sshd_defaults[i][1]));
	if (!(*out = vg_buf_new(1u << 20)))
		r = VG_ERR_NOMEM;
	for (size_t i = 0; i < c.n; i++) {
		if (r == VG_OK)
			r = vg_buf_putf(*out, "%s %s\n", c.key[i], c.val[i]);
		free(c.key[i]);
		free(c.val[i]);
	}
	*source = "sshd_config read from the tree";
	return r;
}
