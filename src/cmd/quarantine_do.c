/* The verbs of `vigil quarantine` (see quarantine.h): list the vault's records, put
 * a file back, quarantine one by hand. Paths and ids are attacker-chosen text: every
 * one goes through the terminal sanitiser or lossy JSON. */
#include "cmd/quarantine.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/event.h"
#include "respond/quarantine.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *
entry_to_json(const struct quarantine_entry *e)
{
	char mode[8];
	snprintf(mode, sizeof(mode), "%04o", (unsigned)(e->mode & 07777));
	return json_pack("{s:s, s:o, s:s, s:s, s:I, s:I, s:I, s:i, s:s, s:s, s:s?}", "id", e->id,
	    "original_path", vg_json_string_lossy(e->original_path, strlen(e->original_path)),
	    "sha256", e->sha256, "mode", mode, "size", (json_int_t)e->size, "mtime",
	    (json_int_t)e->mtime, "quarantined_at", (json_int_t)e->quarantined_at, "score",
	    e->score, "rules", e->rules, "families", e->families, "restored_to",
	    e->restored_to[0] ? e->restored_to : NULL);
}

int
qcmd_list(struct vg_ctx *ctx, const char *vault)
{
	struct quarantine_entry *v = NULL;
	size_t n = 0, bad = 0;
	int rc = quarantine_list(vault, &v, &n, &bad);

	if (rc != VG_OK) {
		cmd_eprintf("vigil quarantine: %s: %s\n", vault, vg_strerror(rc));
		return VG_EXIT_RUNTIME;
	}
	if (!ctx->json && n)
		printf("%-30s %-20s %5s  %-9s %s\n", "ID", "QUARANTINED (UTC)", "SCORE", "STATE",
		    "ORIGINAL PATH");
	for (size_t i = 0; i < n; i++) {
		const struct quarantine_entry *e = &v[i];
		if (ctx->json) {
			json_t *j = entry_to_json(e);
			if (j) {
				json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
				fputc('\n', stdout);
				json_decref(j);
			}
			continue;
		}
		char when[32];
		time_t t = (time_t)e->quarantined_at;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		printf("%-30s %-20s %5d  %-9s ", e->id, when, e->score,
		    e->restored_to[0] ? "restored" : "held");
		/* Attacker-chosen name: through the one terminal sanitiser. */
		vg_esc_fwrite(stdout, e->original_path, strlen(e->original_path));
		putchar('\n');
	}
	if (!ctx->json && n == 0)
		printf("quarantine vault %s is empty\n", vault);
	if (bad)
		cmd_eprintf("vigil quarantine: %zu unsound records in %s/vault.db skipped\n", bad,
		    vault);
	free(v);
	return VG_EXIT_OK;
}

int
qcmd_restore(const char *vault, const char *id, const char *to, bool force)
{
	struct quarantine_entry e;
	char err[1024], safe[VG_ESC_MAX];
	int rc = quarantine_restore(vault, id, to, force, &e, err, sizeof(err));

	/* messages and paths name attacker-chosen files: cmd_eprintf escapes */
	if (rc != VG_OK) {
		cmd_eprintf("vigil quarantine: %s\n", err[0] ? err : vg_strerror(rc));
		return rc == VG_ERR_NOTFOUND || rc == VG_ERR_INVAL || rc == VG_ERR_BUSY ?
		    VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	if (err[0])
		cmd_eprintf("vigil quarantine: %s\n", err);
	printf("restored %s to ", vg_esc_s(safe, sizeof(safe), e.id));
	vg_esc_fwrite(stdout, e.restored_to, strlen(e.restored_to));
	putchar('\n');
	return VG_EXIT_OK;
}

int
qcmd_add(const char *vault, const char *path)
{
	char err[1024], safe[VG_ESC_MAX], id[QUARANTINE_ID_MAX];
	int rc = quarantine_file(vault, path, NULL, id, err, sizeof(err));

	if (rc != VG_OK) {
		cmd_eprintf("vigil quarantine: %s\n", err[0] ? err : vg_strerror(rc));
		return VG_EXIT_RUNTIME;
	}
	if (err[0])
		cmd_eprintf("vigil quarantine: warning: %s\n", err);
	printf("quarantined %s as %s\n", vg_esc_s(safe, sizeof(safe), path), id);
	return VG_EXIT_OK;
}
