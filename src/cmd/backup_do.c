/* `vigil backup create|list|verify`: snapshots made, listed and re-hashed, printed. */
#include "cmd/backup.h"
#include "core/err.h"
#include "core/esc.h"
#include "backup/verify.h"

#include <stdio.h>
#include <time.h>

int
bcmd_create(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
    const struct bopts *o)
{
	int ret = VG_EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		struct protect_snapshot_stats s;
		char id[PROTECT_ID_SIZE];
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int r = protect_snapshot_create(p, sel[i], (int)o->threads, !ctx->json, id, &s);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (r != VG_OK) {
			cmd_eprintf("vigil backup: %s (%s): %s\n", sel[i]->name, sel[i]->path,
			    vg_strerror(r));
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		if (ctx->json)
			cmd_print_json_new(json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, "
			    "s:I, s:I, s:f}", "webroot", sel[i]->name, "path", sel[i]->path,
			    "snapshot", id, "files", (json_int_t)s.files, "dirs", (json_int_t)s.dirs,
			    "symlinks", (json_int_t)s.links, "other", (json_int_t)s.other, "bytes",
			    (json_int_t)s.bytes, "new_objects", (json_int_t)s.new_objects,
			    "new_bytes", (json_int_t)s.new_bytes, "unreadable",
			    (json_int_t)s.unreadable, "seconds", secs));
		else
			printf("%s: snapshot %s: %zu files (%.1f MiB), %zu dirs, %zu symlinks, %zu "
			    "other; %zu new objects (%.1f MiB) in %.2f s\n", sel[i]->name, id,
			    s.files, (double)s.bytes / 1048576.0, s.dirs, s.links, s.other,
			    s.new_objects, (double)s.new_bytes / 1048576.0, secs);
		if (s.unreadable)
			cmd_eprintf("vigil backup: %s: %zu entries could not be read and have "
			    "no backup copy\n", sel[i]->name, s.unreadable);
	}
	return ret;
}

int
bcmd_list(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
    const struct bopts *o)
{
	(void)o;
	for (size_t i = 0; i < n; i++) {
		char **ids = NULL, err[512];
		size_t cnt = 0;
		if (protect_snapshot_list(p, sel[i], &ids, &cnt) != VG_OK) {
			cmd_eprintf("vigil backup: %s: cannot list snapshots\n", sel[i]->name);
			return VG_EXIT_RUNTIME;
		}
		if (!ctx->json)
			printf("%s (%s): %zu snapshot%s\n", sel[i]->name, sel[i]->path, cnt,
			    cnt == 1 ? "" : "s");
		for (size_t k = 0; k < cnt; k++) {
			struct manifest *m = NULL;
			uint64_t bytes;
			size_t files;
			int r = protect_snapshot_load(p, sel[i], ids[k], &m, NULL, err, sizeof(err));
			manifest_file_totals(m, &files, &bytes);
			if (ctx->json)
				cmd_print_json_new(json_pack("{s:s, s:s, s:b, s:I, s:I, s:s?}",
				    "webroot", sel[i]->name, "snapshot", ids[k], "baseline",
				    k + 1 == cnt, "files", (json_int_t)files, "bytes",
				    (json_int_t)bytes, "error", r == VG_OK ? NULL : err));
			else if (r == VG_OK)
				printf("  %s  %8zu files %10.1f MiB%s\n", ids[k], files,
				    (double)bytes / 1048576.0, k + 1 == cnt ? "  (baseline)" : "");
			else {
				printf("  %s  unreadable: ", ids[k]);
				cmd_put_escaped(stdout, err);	/* may quote a manifest entry */
				putchar('\n');
			}
			manifest_free(m);
		}
		protect_ids_free(ids, cnt);
	}
	return VG_EXIT_OK;
}

static void
print_finding(void *arg, const struct backup_finding *f)
{
	const struct vg_ctx *ctx = arg;
	char epath[VG_ESC_MAX];

	if (f->problem == BACKUP_UNREADABLE) {
		printf("%s: snapshot %s unreadable: ", f->root->name, f->snapshot);
		cmd_put_escaped(stdout, f->why);
		putchar('\n');
	} else if (ctx->json && f->problem == BACKUP_CORRUPTED)
		cmd_print_json_new(json_pack("{s:s, s:s}", "object", f->object, "status",
		    "corrupted"));
	else if (ctx->json)
		cmd_print_json_new(json_pack("{s:s, s:s, s:s, s:s}", "webroot", f->root->name,
		    "snapshot", f->snapshot, "object", f->object, "status", "missing"));
	else if (f->problem == BACKUP_CORRUPTED)
		printf("corrupted object %s (%s)\n", f->path, vg_strerror(f->err));
	else	/* names in a snapshot are the site's */
		printf("%s: snapshot %s: %s: object %s missing\n", f->root->name, f->snapshot,
		    vg_esc_s(epath, sizeof(epath), f->path), f->object);
}

int
bcmd_verify(struct vg_ctx *ctx, struct protect *p, struct protect_root **sel, size_t n,
    const struct bopts *o)
{
	struct backup_verify_stats st;

	(void)o;
	if (backup_verify(p, sel, n, print_finding, ctx, &st) != VG_OK) {
		cmd_eprintf("vigil backup: %s/objects: cannot open\n", p->backup_dir);
		return VG_EXIT_RUNTIME;
	}
	if (!ctx->json)
		printf("%zu objects checked: %zu corrupted, %zu missing\n", st.objects,
		    st.corrupted, st.missing);
	return st.corrupted || st.missing ? VG_EXIT_FOUND : VG_EXIT_OK;
}