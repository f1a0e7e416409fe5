/* Publishing windows; see publish.h. The commit's snapshot is written before the window
 * closes, so a watcher never sees the window closed with the old baseline current. */
#include "respond/publish.h"
#include "core/err.h"
#include "core/event.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
publish_begin(struct protect *p, struct protect_root *r, const char *note, char *since,
    size_t since_size, char *err, size_t err_size)
{
	char path[PATH_MAX];
	json_t *j = NULL;
	FILE *f;
	int fd, ret;

	err[0] = '\0';
	if (protect_load_baseline(p, r, err, err_size) != VG_OK)
		return VG_ERR_NOTFOUND;
	if (protect_publish_state_path(p, r, path, sizeof(path)) != VG_OK)
		return VG_ERR_LIMIT;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return errno == EEXIST ? VG_ERR_BUSY : VG_ERR_IO;
	}
	vg_time_format(vg_now_us(), since, since_size);
	j = json_pack("{s:s, s:s, s:s, s:s?}", "webroot", r->name, "since", since, "baseline",
	    r->base_id, "note", note);
	if (!j || !(f = fdopen(fd, "w"))) {
		close(fd);
		json_decref(j);
		unlink(path);
		return VG_ERR_NOMEM;
	}
	ret = json_dumpf(j, f, JSON_COMPACT) == 0 && fputc('\n', f) != EOF ? VG_OK : VG_ERR_IO;
	if (fclose(f) != 0)
		ret = VG_ERR_IO;
	json_decref(j);
	return ret;
}

void
publish_since(const struct protect *p, const struct protect_root *r, char *out, size_t size)
{
	char path[PATH_MAX];
	json_t *st;

	out[0] = '\0';
	if (!protect_publish_active(p, r) ||
	    protect_publish_state_path(p, r, path, sizeof(path)) != VG_OK)
		return;
	if ((st = json_load_file(path, 0, NULL))) {
		const char *s = json_string_value(json_object_get(st, "since"));
		snprintf(out, size, "%s", s ? s : "");
		json_decref(st);
	}
}

/* Closes the window (removes the state file). */
static int
close_window(const struct protect *p, const struct protect_root *r, char *err,
    size_t err_size)
{
	char path[PATH_MAX];
	protect_publish_state_path(p, r, path, sizeof(path));
	if (unlink(path) != 0) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return VG_ERR_IO;
	}
	return VG_OK;
}

struct gate {
	struct pubgate_opts go;
	struct pubgate_result *res;
};

static int
gate_check(void *arg, const struct manifest *next)
{
	struct gate *g = arg;
	int rr = pubgate_check(&g->go, next, g->res);
	if (rr != VG_OK)
		return rr;
	return g->res->blocking ? VG_ERR_DENIED : VG_OK;
}

int
publish_commit(struct protect *p, struct protect_root *r, const struct vg_logger *log,
    const struct publish_commit_opts *o, struct pubgate_result *res, char *id_out,
    struct protect_snapshot_stats *st, char *err, size_t err_size)
{
	struct gate g = { .res = res };
	char rules[4096];
	int ret;

	err[0] = '\0';
	memset(res, 0, sizeof(*res));
	if (!protect_publish_active(p, r))
		return VG_ERR_NOTFOUND;
	if (protect_load_baseline(p, r, err, err_size) != VG_OK)
		return VG_ERR_CONFIG;
	if (webshell_find_rules(rules, sizeof(rules)) != VG_OK) {
		snprintf(err, err_size, "webshell rules not found (set VIGIL_WEBSHELL_RULES); a "
		    "commit scans the window's files first");
		return VG_ERR_CONFIG;
	}
	if ((ret = webshell_scanner_new(rules, log, &g.go.ws, err, err_size)) != VG_OK)
		return ret == VG_ERR_NOMEM ? ret : VG_ERR_CONFIG;
	g.go.backup_dir = p->backup_dir;
	g.go.base = r->base;
	g.go.accept = o->accept;
	g.go.n_accept = o->n_accept;
	g.go.force = o->force;
	g.go.fn = o->fn;
	g.go.arg = o->arg;
	ret = protect_snapshot_create_gated(p, r, 2, false, gate_check, &g, id_out, st);
	webshell_scanner_free(g.go.ws);
	if (ret != VG_OK)
		return ret;
	return close_window(p, r, err, err_size);
}

int
publish_abort(struct protect *p, struct protect_root *r, fim_change_fn fn, void *arg,
    size_t *changes, char *err, size_t err_size)
{
	struct reconcile_opts ro = { .mode = RECONCILE_RESTORE, .threads = 2, .fn = fn,
		.arg = arg };
	int ret;

	err[0] = '\0';
	*changes = 0;
	if (!protect_publish_active(p, r))
		return VG_ERR_NOTFOUND;
	if (protect_load_baseline(p, r, err, err_size) != VG_OK)
		return VG_ERR_CONFIG;
	if ((ret = protect_reconcile(p, r, r->base, "", &ro, changes)) != VG_OK) {
		snprintf(err, err_size, "%s: %s", r->path, vg_strerror(ret));
		return ret;
	}
	return close_window(p, r, err, err_size);
}
