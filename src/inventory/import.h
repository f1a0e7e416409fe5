/* The declared inventory: what the organisation says it runs, imported from a
 * CSV file (columns in README "Asset register"). A file imports whole or not at
 * all: every bad row is reported as FILE:LINE:COLUMN: message and nothing is
 * written, so a typo never leaves half an inventory behind. */
#ifndef VG_INV_IMPORT_H
#define VG_INV_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

struct vg_store;
struct vg_buf;

/* One declared asset; strings are owned by the list (import_decls_free). */
struct import_decl {
	char *address;		/* IP literal (canonical form) or lower-case host name */
	char *hostname, *system, *owner, *role, *notes;
	int level;		/* 1..5, 0 = not given */
	int internet;		/* 1 yes, 0 no, -1 not given */
	size_t line;		/* where it came from */
};

struct import_decls {
	struct import_decl *v;
	size_t n, cap;
};

/* Parses and checks a whole file (name is only for messages). 0 with *out filled;
 * VG_ERR_PARSE when any row is bad, with one "name:line:col: message" line per
 * problem (at most 20, then a count) appended to errs; VG_ERR_NOMEM. *out is
 * empty on failure. */
int import_parse(const char *name, const char *data, size_t len, struct import_decls *out,
    struct vg_buf *errs);
void import_decls_free(struct import_decls *d);

/* What an import changed. */
struct import_result {
	size_t rows, added, updated, undeclared;
};

/* Writes the declarations in one transaction (the caller must not hold one):
 * each address becomes declared with the row's attributes (an asset a scan
 * found first keeps its history and stops being a shadow). With replace, assets
 * declared before but absent from d are no longer declared. actor and source
 * (the file name) go to the audit log. 0 or VG_ERR_*. */
int import_store(struct vg_store *st, const struct import_decls *d, const char *source,
    const char *actor, bool replace, struct import_result *res);

/* Reads, checks and stores a whole file (path "-" is stdin; at most 16 MiB): the
 * three steps above. Problems go to errs as lines (unreadable, too large, each bad
 * row, then "PATH: nothing imported"). 0; VG_ERR_IO, VG_ERR_LIMIT or
 * VG_ERR_PARSE (nothing imported); the store's VG_ERR_*. */
int import_file(struct vg_store *st, const char *path, const char *actor, bool replace,
    struct import_result *res, struct vg_buf *errs);

/* Level text as people write it ("3", "III", "三级", "等保3级", "L3", "level 3")
 * into 1..5: 0, or VG_ERR_PARSE. */
int import_parse_level(const char *s, int *level);

#endif
