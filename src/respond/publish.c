/* Publishing windows; see publish.h. A window is a row of the backup directory's store
 * (core/store_backup.h); an older vigil's state file counts until the window closes.
 * A commit's manifest is written first, then its index row and the window's row
 * change in one transaction, so a watcher never sees the window closed with the old
 * baseline current. */
#include "respond/publish.h"
#include "core/err.h"
#include "core/event.h"
#include "core/store.h"
#include "core/store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
publish_begin(struct protect *p, struct protect_root *r, const char *note, char *since,
    size_t since_size, char *err, size_t err_size)
{
	char path[PATH_MAX];
	int ret;

	err[0] = '\0';
	if (protect_load_baseline(p, r, err, err_size) != VG_OK)
		return VG_ERR_NOTFOUND;
	if (protect_publish_state_path(p, r, path, sizeof(path)) != VG_OK)
		return VG_ERR_LIMIT;
	if (access(path, F_OK) == 0) {
		snprintf(err, err_size, "%s", path);	/* an older vigil's window */
		return VG_ERR_BUSY;
	}
	vg_time_format(vg_now_us(), since, since_size);
	ret = store_publish_open(p->store, r->name, since, r->base_id, note);
	if (ret == VG_ERR_BUSY)
		snprintf(err, err_size, "%s/" PROTECT_STORE_FILE, p->backup_dir);
	else if (ret != VG_OK)
		snprintf(err, err_size, "%s/" PROTECT_STORE_FILE ": %s", p->backup_dir,
		    store_errmsg(p->store));
	return ret;
}

/* An older vigil's state file: {"since": "..."}; small, or not ours. */
static void
legacy_since(const char *path, char *out, size_t size)
{
	struct stat st;
	json_t *j;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 65536 ||
	    !(j = json_load_file(path, 0, NULL)))
		return;
	const char *s = json_string_value(json_object_get(j, "since"));
	snprintf(out, size, "%s", s ? s : "");
	json_decref(j);
}

void
publish_since(const struct protect *p, const struct protect_root *r, char *out, size_t size)
{
	struct store_publish w;
	char path[PATH_MAX];

	out[0] = '\0';
	if (store_publish_get(p->store, r->name, &w) == VG_OK) {
		snprintf(out, size, "%s", w.since);
		return;
	}
	if (protect_publish_state_path(p, r, path, sizeof(path)) == VG_OK)
		legacy_since(path, out, size);
}

/* Closes the window: its row, and an older vigil's state file if there is one. */
static int
close_window(const struct protect *p, const struct protect_root *r, char *err,
    size_t err_size)
{
	char path[PATH_MAX];
	int rc = store_publish_close(p->store, r->name);

	if (rc != VG_OK && rc != VG_ERR_NOTFOUND) {
		snprintf(err, err_size, "%s/" PROTECT_STORE_FILE ": %s", p->backup_dir,
		    store_errmsg(p->store));
		return rc;
	}
	protect_publish_state_path(p, r, path, sizeof(path));
	if (unlink(path) != 0 && errno != ENOENT) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return VG_ERR_IO;
	}
	return VG_OK;
}

struct gate {
	struct pubgate_opts go;
	struct pubgate_result *res;
	const struct protect *p;
	const struct protect_root *r;
};

/* In the transaction that indexes the commit's snapshot: the window's row goes with
 * it (a window an older vigil opened as a file has none; its file goes after). */
static int
close_row(void *arg)
{
	struct gate *g = arg;
	int rc = store_publish_close(g->p->store, g->r->name);
	return rc == VG_ERR_NOTFOUND ? VG_OK : rc;
}

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
	struct gate g = { .res = res, .p = p, .r = r };
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
	ret = protect_snapshot_create_gated(p, r, 2, false, gate_check, close_row, &g, id_out,
	    st);
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
