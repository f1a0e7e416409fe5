/* Web roots under protection: the list built from the configuration, each root's
 * policy and baseline slot, and the backup directory layout shared by the backup and
 * respond stages. A publishing window is a row of the backup directory's store
 * (backup_dir/backup.db); an older vigil's backup_dir/publish/<root>.json still counts
 * until the window is closed. */
#include "backup/webroot.h"
#include "backup/objstore.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/store.h"
#include "core/store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *
protect_policy_name(enum protect_policy pol)
{
	switch (pol) {
	case POLICY_RESTORE:	return "restore";
	case POLICY_QUARANTINE:	return "quarantine";
	default:		return "alert";
	}
}

static enum protect_policy
policy_parse(const char *s)
{
	if (s && strcmp(s, "restore") == 0)
		return POLICY_RESTORE;
	if (s && strcmp(s, "quarantine") == 0)
		return POLICY_QUARANTINE;
	return POLICY_ALERT;
}

/* A web-root name usable as a file name: [A-Za-z0-9._-], others become '_'. */
static char *
safe_name(const char *name, const char *path)
{
	char tmp[PATH_MAX];
	const char *src = name;
	if (!src) {
		vg_strlcpy(tmp, path, sizeof(tmp));
		size_t n = strlen(tmp);
		while (n > 1 && tmp[n - 1] == '/')
			tmp[--n] = '\0';
		src = basename(tmp);
	}
	char *s = strdup(*src && strcmp(src, ".") && strcmp(src, "..") ? src : "webroot");
	for (char *c = s; c && *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '_'))
			*c = '_';
	if (s && s[0] == '.')
		s[0] = '_';
	return s;
}

int
protect_open(const struct vg_config *cfg, const struct vg_logger *log, struct protect **out)
{
	struct protect *p = calloc(1, sizeof(*p));
	int ret;

	*out = NULL;
	if (!p)
		return VG_ERR_NOMEM;
	p->log = log;
	if (!(p->backup_dir = strdup(cfg->protect.backup_dir)) ||
	    !(p->buf = malloc(OBJ_BUF_SIZE)) ||
	    !(p->roots = calloc(cfg->webroots.n + 1, sizeof(*p->roots)))) {
		ret = VG_ERR_NOMEM;
		goto fail;
	}
	if ((ret = objstore_init(p->backup_dir)) != VG_OK) {
		vg_error(log, "%s: cannot create backup directory: %s", p->backup_dir,
		    strerror(errno));
		goto fail;
	}
	{
		char path[PATH_MAX], err[PATH_MAX + 128];
		if (snprintf(path, sizeof(path), "%s/" PROTECT_STORE_FILE, p->backup_dir) >=
		    (int)sizeof(path)) {
			ret = VG_ERR_LIMIT;
			goto fail;
		}
		if ((ret = store_open("sqlite", path, log, &p->store, err, sizeof(err))) != VG_OK) {
			vg_error(log, "%s", err);
			goto fail;
		}
	}
	for (size_t i = 0; i < cfg->webroots.n; i++) {
		const struct vg_webroot_cfg *w = vg_config_webroot(cfg, i);
		struct protect_root *r = &p->roots[p->n_roots];
		if (!(r->name = safe_name(w->name, w->path)) || !(r->path = strdup(w->path))) {
			free(r->name);
			ret = VG_ERR_NOMEM;
			goto fail;
		}
		r->cfg = w;
		r->policy = policy_parse(w->policy);
		p->n_roots++;
		for (size_t j = 0; j + 1 < p->n_roots; j++)
			if (strcmp(p->roots[j].name, r->name) == 0) {
				vg_error(log, "web roots %s and %s share the name '%s'; give each a "
				    "distinct name:", p->roots[j].path, r->path, r->name);
				ret = VG_ERR_CONFIG;
				goto fail;
			}
	}
	*out = p;
	return VG_OK;
fail:
	protect_free(p);
	return ret;
}

void
protect_free(struct protect *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_roots; i++) {
		free(p->roots[i].name);
		free(p->roots[i].path);
		manifest_free(p->roots[i].base);
	}
	free(p->roots);
	if (p->tamper_free)
		p->tamper_free(p->tamper);
	free(p->buf);
	free(p->backup_dir);
	store_close(p->store);
	free(p);
}

void
protect_keep_root(struct protect *p, struct protect_root *r)
{
	struct protect_root keep = *r;

	for (size_t i = 0; i < p->n_roots; i++)
		if (&p->roots[i] != r) {
			free(p->roots[i].name);
			free(p->roots[i].path);
			manifest_free(p->roots[i].base);
		}
	p->roots[0] = keep;
	p->n_roots = 1;
}

struct protect_root *
protect_root_find(struct protect *p, const char *name)
{
	if (!name)
		return p->n_roots == 1 ? &p->roots[0] : NULL;
	for (size_t i = 0; i < p->n_roots; i++)
		if (strcmp(p->roots[i].name, name) == 0 ||
		    (p->roots[i].cfg->name && strcmp(p->roots[i].cfg->name, name) == 0))
			return &p->roots[i];
	return NULL;
}

enum protect_policy
protect_policy_for(const struct protect_root *r, const char *rel)
{
	const struct vg_cfg_array *a = &r->cfg->policies;
	for (size_t i = 0; i < a->n; i++) {
		const struct vg_webroot_policy_cfg *pc =
		    &((const struct vg_webroot_policy_cfg *)a->items)[i];
		const struct vg_cfg_strlist one = { .items = (char **)&pc->path, .n = 1 };
		if (mf_excluded(&one, rel) || mf_path_within(rel, pc->path))
			return policy_parse(pc->policy);
	}
	return r->policy;
}

int
protect_publish_state_path(const struct protect *p, const struct protect_root *r, char *out,
    size_t size)
{
	int n = snprintf(out, size, "%s/publish/%s.json", p->backup_dir, r->name);
	return n < 0 || (size_t)n >= size ? VG_ERR_LIMIT : VG_OK;
}

bool
protect_publish_active(const struct protect *p, const struct protect_root *r)
{
	struct store_publish w;
	char path[PATH_MAX];

	if (p->store) {
		int rc = store_publish_get(p->store, r->name, &w);
		if (rc == VG_OK || rc != VG_ERR_NOTFOUND)
			return true;
	}
	return protect_publish_state_path(p, r, path, sizeof(path)) == VG_OK &&
	    access(path, F_OK) == 0;
}

void
protect_make_id(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if (snprintf(out, size, "%04d%02d%02dT%02d%02d%02d.%06dZ", (tm.tm_year + 1900) % 10000,
	    (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
	    tm.tm_sec % 100, (int)(ts.tv_nsec / 1000) % 1000000) >= (int)size)
		out[size - 1] = '\0';
}

int
protect_path_join(char *out, size_t size, const char *root, const char *rel)
{
	int n = *rel ? snprintf(out, size, "%s/%s", root, rel) : snprintf(out, size, "%s", root);
	return n < 0 || (size_t)n >= size ? VG_ERR_LIMIT : VG_OK;
}

int
protect_restore_lock(const struct protect *p, const struct protect_root *r, bool wait,
    int *fd_out)
{
	char path[PATH_MAX];
	int fd;

	*fd_out = -1;
	if (snprintf(path, sizeof(path), "%s/locks", p->backup_dir) >= (int)sizeof(path))
		return VG_ERR_LIMIT;
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return VG_ERR_IO;
	if (snprintf(path, sizeof(path), "%s/locks/%s.restore", p->backup_dir, r->name) >=
	    (int)sizeof(path))
		return VG_ERR_LIMIT;
	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		return VG_ERR_IO;
	if (flock(fd, wait ? LOCK_EX : LOCK_SH | LOCK_NB) != 0) {
		int busy = errno == EWOULDBLOCK;
		close(fd);
		return busy ? VG_ERR_BUSY : VG_ERR_IO;
	}
	*fd_out = fd;
	return VG_OK;
}
