/* vigil's x: probes: facts Wazuh's SCA gets from commands (sysctl -a, stat, ss,
 * find -perm, logrotate's arithmetic), computed here from the tree itself so a
 * copied system under --root is judged the same way as the running one, and
 * nothing from the judged tree is executed. Each probe prints text lines the
 * rule's content operators judge. */
#include "assess/dpkg.h"
#include "assess/sca.h"
#include "core/err.h"
#include "core/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROBE_OUT_MAX (4u << 20)
#define PROBE_WALK_MAX 400000	/* entries one suid/world-writable walk may visit */

typedef int (*probe_fn)(const struct sca_env *env, const char *args, struct vg_buf *out,
    const char **why);

/* Calls fn for each blank-separated word of args. */
static int
each_word(const char *args, int (*fn)(void *arg, const char *w), void *arg)
{
	char w[1024];
	int r;

	while (*args) {
		while (*args == ' ')
			args++;
		size_t n = strcspn(args, " ");
		if (!n)
			break;
		if (n >= sizeof(w))
			return VG_ERR_LIMIT;
		memcpy(w, args, n);
		w[n] = '\0';
		if ((r = fn(arg, w)) != VG_OK)
			return r;
		args += n;
	}
	return VG_OK;
}

/* ---- sysctl KEY...: the live value (/proc/sys of the tree) or the configured one ---- */

struct sysctl_ctx {
	const struct sca_env *env;
	struct vg_buf *out;
};

#define SYSCTL_MAX_FILES 256

static bool
conf_keep(void *arg, const char *name)
{
	size_t l = strlen(name);
	(void)arg;
	return name[0] != '.' && l > 5 && strcmp(name + l - 5, ".conf") == 0;
}

/* sysctl --system reads the files in the order of their names, whatever directory */
static int
cmp_base(const void *a, const void *b)
{
	return strcmp(strrchr(*(char *const *)a, '/'), strrchr(*(char *const *)b, '/'));
}

/* The last "key = value" for key in the sysctl.d files and sysctl.conf, in the
 * order sysctl --system reads them (sorted by name, /etc/sysctl.conf last). */
static void
sysctl_configured(const struct sca_env *env, const char *key, char *val, size_t vsize,
    char *from, size_t fsize)
{
	static const char *const dirs[] = { "/usr/lib/sysctl.d", "/lib/sysctl.d", "/run/sysctl.d",
		"/etc/sysctl.d" };
	char *files[SYSCTL_MAX_FILES + 1];
	size_t nf = 0;

	val[0] = from[0] = '\0';
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		char **names = NULL;
		size_t n = 0;
		rootfs_list(env->rf, dirs[d], conf_keep, NULL, SYSCTL_MAX_FILES, &names, &n);
		for (size_t i = 0; i < n; i++) {
			char path[600];
			size_t k;
			snprintf(path, sizeof(path), "%s/%s", dirs[d], names[i]);
			/* a later directory's file of the same name replaces the earlier one */
			for (k = 0; k < nf && strcmp(strrchr(files[k], '/') + 1, names[i]) != 0; k++)
				;
			if (k == nf && nf >= SYSCTL_MAX_FILES)
				continue;
			char *dup = strdup(path);
			if (!dup)
				continue;
			if (k < nf)
				free(files[k]);
			else
				nf++;
			files[k] = dup;
		}
		rootfs_names_free(names, n);
	}
	qsort(files, nf, sizeof(files[0]), cmp_base);
	files[nf++] = strdup("/etc/sysctl.conf");
	for (size_t i = 0; i < nf; i++) {
		char *text = NULL;
		size_t len = 0, kl = strlen(key);
		if (!files[i] || rootfs_read(env->rf, files[i], 1u << 20, &text, &len) != VG_OK) {
			free(files[i]);
			continue;
		}
		for (char *line = text; line && *line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			while (*line == ' ' || *line == '\t' || *line == '-')
				line++;
			/* keys may be written with / for . (sysctl.d(5)) */
			size_t i2;
			for (i2 = 0; i2 < kl && line[i2] &&
			     (line[i2] == key[i2] || (line[i2] == '/' && key[i2] == '.'));
			     i2++)
				;
			char *rest = line + i2;
			while (i2 == kl && (*rest == ' ' || *rest == '\t'))
				rest++;
			if (i2 == kl && *rest == '=') {
				rest++;
				while (*rest == ' ' || *rest == '\t')
					rest++;
				size_t vl = strcspn(rest, "\r#");
				while (vl && (rest[vl - 1] == ' ' || rest[vl - 1] == '\t'))
					vl--;
				snprintf(val, vsize, "%.*s", (int)vl, rest);
				snprintf(from, fsize, "%s", files[i]);
			}
			line = nl ? nl + 1 : NULL;
		}
		free(text);
		free(files[i]);
	}
}

static int
sysctl_one(void *arg, const char *key)
{
	struct sysctl_ctx *c = arg;
	char path[512], val[256], from[600];
	char *text = NULL;
	size_t len = 0, i;

	if (strchr(key, '/') || strstr(key, ".."))
		return VG_ERR_INVAL;
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	for (i = 10; path[i]; i++)
		if (path[i] == '.')
			path[i] = '/';
	if (rootfs_read(c->env->rf, path, 65536, &text, &len) == VG_OK) {
		while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
			text[--len] = '\0';
		for (i = 0; i < len; i++)
			if (text[i] == '\t')
				text[i] = ' ';
		vg_buf_putf(c->out, "%s = %s (live)\n", key, text);
		free(text);
		return VG_OK;
	}
	sysctl_configured(c->env, key, val, sizeof(val), from, sizeof(from));
	if (from[0])
		vg_buf_putf(c->out, "%s = %s (configured in %s)\n", key, val, from);
	else
		vg_buf_putf(c->out, "%s unset (not live, not configured)\n", key);
	return VG_OK;
}

static int
probe_sysctl(const struct sca_env *env, const char *args, struct vg_buf *out, const char **why)
{
	struct sysctl_ctx c = { env, out };
	(void)why;
	return each_word(args, sysctl_one, &c);
}

/* ---- mode PATH...: permissions and owner ---- */

struct mode_ctx {
	const struct sca_env *env;
	struct vg_buf *out;
};

static void
rwx(char *b, unsigned m, unsigned special, char sc)
{
	b[0] = (m & 4) ? 'r' : '-';
	b[1] = (m & 2) ? 'w' : '-';
	b[2] = (m & 1) ? (special ? sc : 'x') : (special ? (char)(sc - 32) : '-');
	b[3] = '\0';
}

static int
mode_one(void *arg, const char *path)
{
	struct mode_ctx *c = arg;
	struct stat st;
	char u[4], g[4], o[4];

	if (rootfs_stat(c->env->rf, path, &st) != VG_OK) {
		vg_buf_putf(c->out, "%s missing\n", path);
		return VG_OK;
	}
	rwx(u, (st.st_mode >> 6) & 7, st.st_mode & S_ISUID, 's');
	rwx(g, (st.st_mode >> 3) & 7, st.st_mode & S_ISGID, 's');
	rwx(o, st.st_mode & 7, st.st_mode & S_ISVTX, 't');
	vg_buf_putf(c->out, "%s mode=%04o uid=%u gid=%u u=%s g=%s o=%s\n", path,
	    (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, (unsigned)st.st_gid, u, g, o);
	return VG_OK;
}

static int
probe_mode(const struct sca_env *env, const char *args, struct vg_buf *out, const char **why)
{
	struct mode_ctx c = { env, out };
	(void)why;
	return each_word(args, mode_one, &c);
}

/* ---- suid DIR... / worldwritable DIR...: files found by a walk ---- */

struct perm_walk {
	struct vg_buf *out;
	const char *top;
	size_t seen;
	dev_t dev;
};

/* One walk records both kinds: "S path mode uid" (set-id) and "W path mode uid"
 * (writable by others), so suid and worldwritable share it through the cache. */
static int
perm_cb(void *arg, const struct vg_walk_entry *e)
{
	struct perm_walk *w = arg;
	struct stat st;

	if (++w->seen > PROBE_WALK_MAX)
		return VG_ERR_LIMIT;
	if (e->event != VG_WALK_ENTRY || (e->type && e->type != S_IFREG && e->type != S_IFDIR))
		return 0;
	if (e->st)
		st = *e->st;
	else if (fstatat(e->dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return 0;
	if (e->depth == 0)
		w->dev = st.st_dev;
	/* other file systems mounted below (/proc, /sys under /) are not the tree's files */
	if (S_ISDIR(st.st_mode) && st.st_dev != w->dev)
		return VG_WALK_SKIP;
	char kind = 0;
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID)))
		kind = 'S';
	if ((st.st_mode & S_IWOTH) && e->depth > 0 &&
	    (S_ISREG(st.st_mode) || (S_ISDIR(st.st_mode) && !(st.st_mode & S_ISVTX))))
		kind = kind ? 'B' : 'W';
	if (kind)
		vg_buf_putf(w->out, "%c %s%s%s mode=%04o uid=%u\n", kind, w->top,
		    e->rel_len && e->rel[0] != '/' ? "/" : "", e->rel,
		    (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid);
	return 0;
}

static struct vg_buf *
cache_get(const struct sca_env *env, const char *key)
{
	for (size_t i = 0; env->cache && i < env->cache->n; i++)
		if (strcmp(env->cache->key[i], key) == 0)
			return env->cache->val[i];
	return NULL;
}

/* Keeps a copy of b under key (silently not, when the cache is full or absent). */
static void
cache_put(const struct sca_env *env, const char *key, const struct vg_buf *b)
{
	struct sca_cache *c = env->cache;
	struct vg_buf *copy;

	if (!c || c->n >= SCA_CACHE_MAX || !(copy = vg_buf_new(vg_buf_max(b))))
		return;
	if (vg_buf_put(copy, vg_buf_ptr(b), vg_buf_len(b)) != VG_OK ||
	    !(c->key[c->n] = strdup(key))) {
		vg_buf_free(copy);
		return;
	}
	c->val[c->n++] = copy;
}

void
sca_cache_clear(struct sca_cache *c)
{
	for (size_t i = 0; c && i < c->n; i++) {
		free(c->key[i]);
		vg_buf_free(c->val[i]);
	}
	if (c)
		c->n = 0;
}

/* The set-id and other-writable files beneath dir, walked once per run. */
static int
perm_walk_dir(const struct sca_env *env, const char *dir, const struct vg_buf **out,
    struct vg_buf **own)
{
	char key[600];
	int fd, r;

	*own = NULL;
	snprintf(key, sizeof(key), "walk:%s", dir);
	if ((*out = cache_get(env, key)))
		return VG_OK;
	if (!(*own = vg_buf_new(PROBE_OUT_MAX)))
		return VG_ERR_NOMEM;
	*out = *own;
	if ((fd = rootfs_openat(env->rf, dir, O_RDONLY | O_DIRECTORY)) < 0)
		return VG_OK;	/* a directory the system does not have holds nothing */
	struct perm_walk w = { .out = *own, .top = dir };
	r = vg_walk(fd, ".", "", 0, 0, perm_cb, &w);
	close(fd);
	if (r == VG_OK)
		cache_put(env, key, *own);
	return r;
}

struct perm_args {
	const struct sca_env *env;
	struct vg_buf *out;
	bool suid;
};

static int
perm_one(void *arg, const char *dir)
{
	struct perm_args *a = arg;
	const struct vg_buf *b;
	struct vg_buf *own;
	int r = perm_walk_dir(a->env, strcmp(dir, "/") == 0 ? "" : dir, &b, &own);

	for (const char *p = r == VG_OK ? vg_buf_ptr(b) : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t ll = nl ? (size_t)(nl - p) + 1 : strlen(p);
		bool want = p[0] == 'B' || p[0] == (a->suid ? 'S' : 'W');
		if (want && ll > 2 && (r = vg_buf_put(a->out, p + 2, ll - 2)) != VG_OK)
			break;
		p += ll;
	}
	vg_buf_free(own);
	return r;
}

static int
probe_suid(const struct sca_env *env, const char *args, struct vg_buf *out, const char **why)
{
	struct perm_args a = { env, out, true };
	(void)why;
	return each_word(args, perm_one, &a);
}

static int
probe_ww(const struct sca_env *env, const char *args, struct vg_buf *out, const char **why)
{
	struct perm_args a = { env, out, false };
	(void)why;
	return each_word(args, perm_one, &a);
}

/* ---- listening: sockets from /proc/net of the tree ---- */

static void
addr_text(const char *hex, bool v6, char *buf, size_t size)
{
	unsigned port = 0;
	const char *colon = strchr(hex, ':');

	if (!colon) {
		snprintf(buf, size, "?");
		return;
	}
	port = (unsigned)strtoul(colon + 1, NULL, 16);
	if (!v6) {
		unsigned long a = strtoul(hex, NULL, 16);
		/* /proc prints the address in host (little-endian) order */
		snprintf(buf, size, "%lu.%lu.%lu.%lu:%u", a & 255, (a >> 8) & 255, (a >> 16) & 255,
		    (a >> 24) & 255, port);
	} else {
		bool any = strspn(hex, "0") == (size_t)(colon - hex);
		bool lo = strncmp(hex, "000000000000000000000000010000000", 32) == 0;
		snprintf(buf, size, "[%s]:%u", any ? "::" : lo ? "::1" : "v6", port);
	}
}

static int
probe_listening(const struct sca_env *env, const char *args, struct vg_buf *out, const char **why)
{
	static const struct { const char *file, *proto; bool v6; const char *state; } t[] = {
		{ "/proc/net/tcp", "tcp", false, "0A" }, { "/proc/net/tcp6", "tcp", true, "0A" },
		{ "/proc/net/udp", "udp", false, "07" }, { "/proc/net/udp6", "udp", true, "07" },
	};
	bool any = false;
	(void)args;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *text = NULL, local[64], rem[64], st[8], addr[80];
		size_t len = 0;
		if (rootfs_read(env->rf, t[i].file, 16u << 20, &text, &len) != VG_OK)
			continue;
		any = true;
		for (char *line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
			if (sscanf(line + 1, "%*s %63s %63s %7s", local, rem, st) != 3 ||
			    strcmp(st, t[i].state) != 0)
				continue;
			addr_text(local, t[i].v6, addr, sizeof(addr));
			vg_buf_putf(out, "%s %s\n", t[i].proto, addr);
		}
		free(text);
	}
	if (!any) {
		*why = "no /proc/net in this tree: listening sockets not judged";
		return VG_ERR_NOTFOUND;
	}
	return VG_OK;
}

/* ---- packages: installed dpkg packages, "name version" ---- */

static int
probe_packages(const struct sca_env *env, const char *args, struct vg_buf *out, const char **why)
{
	struct dpkg_db db;
	char *text = NULL;
	size_t len = 0;
	int r;
	(void)args;

	if ((r = rootfs_read(env->rf, "/var/lib/dpkg/status", 256u << 20, &text, &len)) != VG_OK) {
		*why = "no dpkg status database in this tree";
		return VG_ERR_NOTFOUND;
	}
	r = dpkg_status_parse(text, len, &db);
	free(text);
	for (size_t i = 0; r == VG_OK && i < db.n; i++)
		r = vg_buf_putf(out, "%s %s\n", db.pkgs[i].name, db.pkgs[i].version);
	dpkg_db_free(&db);
	return r;
}

int sca_probe_logrotate(const struct sca_env *env, const char *args, struct vg_buf *out,
    const char **why);
static int
probe_sshd(const struct sca_env *env, const char *args, struct vg_buf *out, const char **why)
{
	struct vg_buf *b = NULL;
	int r;
	(void)args;

	if ((r = sca_sshd_effective(env, &b, why)) != VG_OK)
		return r;
	r = vg_buf_put(out, vg_buf_ptr(b), vg_buf_len(b));
	vg_buf_free(b);
	return r;
}

static const struct {
	const char *name;
	probe_fn fn;
	bool needs_args;
} probes[] = {
	{ "sysctl", probe_sysctl, true }, { "mode", probe_mode, true },
	{ "suid", probe_suid, true }, { "worldwritable", probe_ww, true },
	{ "listening", probe_listening, false }, { "packages", probe_packages, false },
	{ "logrotate", sca_probe_logrotate, false }, { "sshd", probe_sshd, false },
};

static int
find(const char *spec, const char **args)
{
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		size_t n = strlen(probes[i].name);
		if (strncmp(spec, probes[i].name, n) == 0 && (spec[n] == '\0' || spec[n] == ' ')) {
			*args = spec + n;
			while (**args == ' ')
				(*args)++;
			if (probes[i].needs_args && !**args)
				return -1;
			return (int)i;
		}
	}
	return -1;
}

bool
sca_probe_known(const char *spec)
{
	const char *args;
	return find(spec, &args) >= 0;
}

int
sca_probe(const struct sca_env *env, const char *spec, struct vg_buf **out, const char **why)
{
	const char *args;
	int i = find(spec, &args), r;

	*out = NULL;
	*why = NULL;
	if (i < 0)
		return VG_ERR_NOTFOUND;
	const struct vg_buf *hit = cache_get(env, spec);
	if (!(*out = vg_buf_new(PROBE_OUT_MAX)))
		return VG_ERR_NOMEM;
	if (hit)
		return vg_buf_put(*out, vg_buf_ptr(hit), vg_buf_len(hit));
	if ((r = probes[i].fn(env, args, *out, why)) == VG_OK)
		cache_put(env, spec, *out);
	else {
		vg_buf_free(*out);
		*out = NULL;
		if (!*why)
			*why = r == VG_ERR_LIMIT ? "too much to judge (limit hit)" : vg_strerror(r);
	}
	return r;
}
