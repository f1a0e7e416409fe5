/* The security-management checklist: items defined as YAML data (rules/checklist),
 * answered yes / partial / no with evidence text or a file (kept in the store,
 * table checklist_answers, newest answer counts), a few judged automatically from
 * vigil's own store (the duty roster, the web-root backups), a weighted score and
 * the gaps, which become items of the rectification list. */
#ifndef VG_CHECKLIST_H
#define VG_CHECKLIST_H

#include "assess/webcheck.h"
#include "core/event.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CL_MAX_ITEMS 256
#define CL_MAX_TEXT (256 * 1024)
#define CL_FILE_MAX (4 << 20)	/* evidence files kept in the store up to this size */

enum cl_answer { CL_UNANSWERED = 0, CL_NO, CL_PARTIAL, CL_YES };

struct cl_item {
	char *id, *section, *question, *evidence, *remediation;
	char *autocheck;	/* "duty-roster", "backup-verify" or NULL */
	enum vg_severity severity;
	int weight;		/* 1..10 */
};

struct checklist {
	char *id, *name, *origin;
	struct cl_item *items;
	size_t n;
};

/* Parses a checklist from text (origin names it in messages). 0, VG_ERR_PARSE
 * (err says "origin:LINE:COL: what"), VG_ERR_LIMIT, VG_ERR_NOMEM. *out on success;
 * free with checklist_free. */
int checklist_parse(const char *text, size_t len, const char *origin, struct checklist **out,
    char *err, size_t errsz);
/* Reads and parses path, or the shipped rules/checklist/security-management.yaml
 * when path is NULL. */
int checklist_load(const char *path, struct checklist **out, char *err, size_t errsz);
void checklist_free(struct checklist *c);
const struct cl_item *checklist_item(const struct checklist *c, const char *id);

const char *cl_answer_name(enum cl_answer a);	/* "yes", ..., "unanswered" */
int cl_answer_parse(const char *s, enum cl_answer *out);	/* yes|no|partial */

struct vg_store;
struct vg_config;
struct vg_logger;

/* Records an answer (append-only). file (may be NULL) is read whole, refused over
 * CL_FILE_MAX (VG_ERR_LIMIT) and kept base64 with its base name and SHA-256.
 * VG_ERR_NOTFOUND for an item the checklist lacks. */
int checklist_answer(struct vg_store *st, const struct checklist *c, const char *item,
    enum cl_answer a, const char *evidence, const char *file, const char *actor);

/* Where auto items look: the store (duty roster), the configuration (web roots
 * and their backups). cfg may be NULL: backup-verify is then left to a person. */
struct cl_env {
	struct vg_store *st;
	const struct vg_config *cfg;
	const struct vg_logger *log;
};

/* One item's state: the automatic judgement when its probe could decide, else the
 * newest stored answer. */
struct cl_state {
	enum cl_answer answer;
	bool automatic;
	char evidence[1024];
	char actor[64];
	int64_t at_us;		/* when answered (0 for automatic or unanswered) */
	char file_name[256];
	char file_sha256[65];
};

/* Judges item it. 0 or VG_ERR_*. */
int checklist_judge(const struct cl_env *env, const struct checklist *c,
    const struct cl_item *it, struct cl_state *out);

/* The weighted score, 0..100 (yes 1, partial 0.5, no and unanswered 0). */
double checklist_score(const struct checklist *c, const struct cl_state *states);

/* Each gap (item not "yes") to fn as a finding (family "checklist", check = item id,
 * target = "checklist:ID", asset = asset). *gaps gets how many. */
int checklist_gaps(const struct checklist *c, const struct cl_state *states, const char *asset,
    wc_finding_fn fn, void *arg, size_t *gaps);

/* The auto probes (checklist_auto.c). 0, or an error (*out left unanswered then). */
int checklist_auto_duty(const struct cl_env *env, struct cl_state *out);
int checklist_auto_backup(const struct cl_env *env, struct cl_state *out);

#endif
