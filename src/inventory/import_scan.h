/* Recording a scan from JSON lines: one object per line whose keys are
 * struct inv_obs's field names (what `vigil discover --json` prints, or another
 * scanner's results converted), so results from elsewhere join the register and
 * its diffs. */
#ifndef VG_INV_IMPORT_SCAN_H
#define VG_INV_IMPORT_SCAN_H

#include <stdint.h>
#include <stdio.h>

struct vg_store;
struct vg_buf;

/* Reads f (name for messages) and records it as one scan (spec: what to call
 * it; NULL = "import:NAME"), closed with status "done". A bad line ("name:line:
 * message" in errs, at most 20) records nothing: VG_ERR_PARSE. Objects without
 * an "address" (a summary line, say) are skipped. *scan_id and *count are set
 * on success. The caller must not hold a transaction. 0 or VG_ERR_*. */
int import_scan_file(struct vg_store *st, FILE *f, const char *name, const char *spec,
    struct vg_buf *errs, int64_t *scan_id, size_t *count);

/* import_scan_file on a path ("-" is stdin); a file that cannot be opened is
 * VG_ERR_IO with a line in errs. */
int import_scan_path(struct vg_store *st, const char *path, const char *spec,
    struct vg_buf *errs, int64_t *scan_id, size_t *count);

#endif
