/* Backup verification: the object store re-hashed (objstore_foreach +
 * objstore_verify), then each snapshot's file entries looked up in it. */
#include "backup/verify.h"
#include "backup/objstore.h"
#include "backup/snapshot.h"
#include "core/err.h"

#include <string.h>

struct verify {
	struct protect *p;
	backup_finding_fn fn;
	void *arg;
	struct backup_verify_stats *stats;
};

static void
report(const struct verify *v, const struct backup_finding *f)
{
	if (v->fn)
		v->fn(v->arg, f);
}

static int
verify_object(void *arg, const char *hex, const char *path)
{
	struct verify *v = arg;
	int r = objstore_verify(v->p->backup_dir, hex, v->p->buf, OBJ_BUF_SIZE);

	v->stats->objects++;
	if (r == VG_OK)
		return 0;
	v->stats->corrupted++;
	report(v, &(struct backup_finding){ .problem = BACKUP_CORRUPTED, .object = hex,
	    .path = path, .err = r });
	return 0;
}

static void
verify_snapshot(struct verify *v, const struct protect_root *r, const char *id)
{
	struct manifest *m = NULL;
	char err[512];

	if (protect_snapshot_load(v->p, r, id, &m, NULL, err, sizeof(err)) != VG_OK) {
		v->stats->corrupted++;
		report(v, &(struct backup_finding){ .problem = BACKUP_UNREADABLE, .root = r,
		    .snapshot = id, .why = err });
		return;
	}
	for (size_t e = 0; e < m->n; e++) {
		const struct mf_entry *en = &m->e[e];
		if (en->type != MF_FILE || !en->sha256[0] ||
		    objstore_has(v->p->backup_dir, en->sha256))
			continue;
		v->stats->missing++;
		report(v, &(struct backup_finding){ .problem = BACKUP_MISSING, .root = r,
		    .snapshot = id, .object = en->sha256, .path = en->path });
	}
	manifest_free(m);
}

int
backup_verify(struct protect *p, struct protect_root *const *roots, size_t n,
    backup_finding_fn fn, void *arg, struct backup_verify_stats *stats)
{
	struct verify v = { .p = p, .fn = fn, .arg = arg, .stats = stats };

	memset(stats, 0, sizeof(*stats));
	if (objstore_foreach(p->backup_dir, verify_object, &v) == VG_ERR_NOTFOUND)
		return VG_ERR_NOTFOUND;
	for (size_t i = 0; i < n; i++) {
		char **ids = NULL;
		size_t cnt = 0;
		protect_snapshot_list(p, roots[i], &ids, &cnt);
		for (size_t k = 0; k < cnt; k++)
			verify_snapshot(&v, roots[i], ids[k]);
		protect_ids_free(ids, cnt);
	}
	return VG_OK;
}
