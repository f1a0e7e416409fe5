/* Publish-commit gate; see pubgate.h. Only what differs from the baseline is scanned:
 * a window touching ten files of a 50,000-file root costs ten scans. */
#include "monitor/pubgate.h"
#include "backup/objstore.h"
#include "core/err.h"
#include "monitor/fimwatch.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static bool
accepted(const struct pubgate_opts *o, const char *path)
{
	if (o->force)
		return true;
	for (size_t i = 0; i < o->n_accept; i++)
		if (strcmp(o->accept[i], path) == 0 || fnmatch(o->accept[i], path, 0) == 0)
			return true;
	return false;
}

static void
item(const struct pubgate_opts *o, struct pubgate_result *res, struct pubgate_item *it)
{
	it->accepted = accepted(o, it->path);
	if (it->accepted)
		res->accepted++;
	else
		res->blocking++;
	if (o->fn)
		o->fn(o->arg, it);
}

int
pubgate_check(const struct pubgate_opts *o, const struct manifest *next,
    struct pubgate_result *res)
{
	struct webshell_finding *f = malloc(sizeof(*f));
	int ret = VG_OK;

	memset(res, 0, sizeof(*res));
	if (!f)
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < next->n; i++) {
		const struct mf_entry *e = &next->e[i];
		if (e->type != MF_FILE)
			continue;
		const struct mf_entry *b = o->base ? manifest_find(o->base, e->path) : NULL;
		if (b && b->type == MF_FILE && e->sha256[0] && strcmp(b->sha256, e->sha256) == 0)
			continue;	/* unchanged since the window opened */
		struct pubgate_item it = { .path = e->path, .size = (long long)e->size };
		char *data = NULL;
		size_t len = 0;
		int r = e->sha256[0] ? objstore_read(o->backup_dir, e->sha256,
		    (size_t)WEBSHELL_DEFAULT_MAX_SIZE, &data, &len) : VG_ERR_IO;
		if (r == VG_ERR_LIMIT) {
			/* a padded script is exactly what must not slip through unscanned;
			 * a large image or archive is not run by the server */
			if (fimwatch_server_script(e->path)) {
				it.kind = PUBGATE_TOO_BIG;
				item(o, res, &it);
			} else {
				res->big_other++;
			}
			continue;
		}
		if (r == VG_ERR_NOMEM) {
			ret = r;
			break;
		}
		if (r != VG_OK) {
			it.kind = PUBGATE_UNREADABLE;
			item(o, res, &it);
			continue;
		}
		r = webshell_scan_mem(o->ws, e->path, (const unsigned char *)data, len, f);
		free(data);
		if (r == VG_ERR_NOMEM) {
			ret = r;
			break;
		}
		res->scanned++;
		if (r != VG_OK) {
			it.kind = PUBGATE_UNREADABLE;
			item(o, res, &it);
		} else if (f->score >= WEBSHELL_SUSPICIOUS) {
			it.kind = PUBGATE_FINDING;
			it.f = f;
			item(o, res, &it);
		}
	}
	free(f);
	return ret;
}
