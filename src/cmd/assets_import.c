/* The importing verbs of `vigil assets`: the declared inventory, a scan from JSON
 * lines, connection observations. Reading and checking are src/inventory's. */
#include "cmd/assets.h"
#include "core/buf.h"
#include "core/err.h"
#include "inventory/import.h"
#include "inventory/import_obs.h"
#include "inventory/import_scan.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
assets_print_errors(const struct vg_buf *b)
{
	const char *p = vg_buf_ptr(b);

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		cmd_eprintf("%.*s", n, p);
		p += n + (nl ? 1 : 0);
	}
}

/* Bad input is the user's to fix (2); anything else is ours or the store's (3). */
static int
exit_for(int r, struct vg_buf *errs, const char *what)
{
	if (vg_buf_len(errs))
		assets_print_errors(errs);
	else
		cmd_eprintf("vigil assets: %s: %s", what, vg_strerror(r));
	return r == VG_ERR_PARSE || r == VG_ERR_IO || r == VG_ERR_LIMIT ? VG_EXIT_USAGE :
									     VG_EXIT_RUNTIME;
}

static const char *
actor(const char *by)
{
	const char *s = getenv("SUDO_USER");
	struct passwd *pw;

	if (by && *by)
		return by;
	if (s && *s)
		return s;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

int
assets_do_import(struct assets_env *e, const char *path)
{
	struct vg_buf *errs = vg_buf_new(64 * 1024);
	struct import_result res;
	int r, ret = VG_EXIT_OK;

	if (!errs)
		return VG_EXIT_RUNTIME;
	if ((r = import_file(e->st, path, actor(e->by), e->replace, &res, errs)) != VG_OK)
		ret = exit_for(r, errs, "import");
	else if (e->ctx->json)
		cmd_print_json_new(json_pack("{s:I, s:I, s:I, s:I}", "rows", (json_int_t)res.rows,
		    "added", (json_int_t)res.added, "updated", (json_int_t)res.updated,
		    "undeclared", (json_int_t)res.undeclared));
	else if (e->replace)
		printf("%zu declared assets: %zu added, %zu updated, %zu no longer declared\n",
		    res.rows, res.added, res.updated, res.undeclared);
	else
		printf("%zu declared assets: %zu added, %zu updated\n", res.rows, res.added,
		    res.updated);
	vg_buf_free(errs);
	return ret;
}

int
assets_do_import_scan(struct assets_env *e, const char *path)
{
	struct vg_buf *errs = vg_buf_new(64 * 1024);
	int64_t id = 0;
	size_t n = 0;
	int r, ret = VG_EXIT_OK;

	if (!errs)
		return VG_EXIT_RUNTIME;
	if ((r = import_scan_path(e->st, path, e->spec, errs, &id, &n)) != VG_OK)
		ret = exit_for(r, errs, "import-scan");
	else if (e->ctx->json)
		cmd_print_json_new(json_pack("{s:I, s:I}", "scan", (json_int_t)id, "observations",
		    (json_int_t)n));
	else
		printf("scan #%lld recorded: %zu observations\n", (long long)id, n);
	vg_buf_free(errs);
	return ret;
}

int
assets_do_observe(struct assets_env *e, int argc, char **argv)
{
	struct vg_buf *errs = vg_buf_new(64 * 1024);
	struct obs_result res;
	size_t links = 0, lines = 0;
	int r;

	if (!errs)
		return VG_EXIT_RUNTIME;
	for (int i = 0; i < argc; i++) {
		if ((r = import_obs_path(e->st, argv[i], errs, &res)) != VG_OK) {
			r = exit_for(r, errs, "observe");
			vg_buf_free(errs);
			return r;
		}
		links += res.links;
		lines += res.lines;
	}
	if (e->ctx->json)
		cmd_print_json_new(json_pack("{s:I, s:I}", "lines", (json_int_t)lines, "links",
		    (json_int_t)links));
	else
		printf("%zu connections recorded from %zu lines\n", links, lines);
	vg_buf_free(errs);
	return VG_EXIT_OK;
}
