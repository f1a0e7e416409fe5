/* What the workflow commands (incident, notice, duty, notify) share: opening the
 * store with the cases handle, who the actor is, printing. */
#ifndef VG_CASES_CMD_H
#define VG_CASES_CMD_H

#include "cases/cases.h"
#include "cmd/cmd.h"

#include <stdio.h>

struct cases_cmd {
	struct vg_config *cfg;
	struct vg_store *st;
	struct cases *cs;
	struct notify *nt;	/* outbox the workflow's messages go to */
};

/* Loads the config, opens the store and the cases handle (and the outbox, wired
 * as the cases notify hook). Returns a VG_EXIT_* code, printing why on failure. */
int cases_cmd_open(struct vg_ctx *ctx, const char *name, struct cases_cmd *cc);
void cases_cmd_close(struct cases_cmd *cc);

/* by, else $SUDO_USER, else the login name of the uid; never NULL (borrowed). */
const char *cases_cmd_actor(const char *by);
/* Strict positive id; 0 or VG_ERR_PARSE. */
int cases_cmd_id(const char *s, int64_t *id);
/* Prints j compactly plus a newline on stdout. */
void cases_cmd_print_json(const json_t *j);
/* Prints s escaped by core/esc (controls, invalid bytes, bidi overrides as \xNN,
 * "\\" for a backslash; UTF-8 text passes). NULL prints "-". */
void cases_cmd_puts(FILE *f, const char *s);
/* String member k of o, or "-" (borrowed). */
const char *cases_cmd_str(const json_t *o, const char *k);
/* Maps a VG_ERR_* from the workflow to an exit code, printing msg and reason. */
int cases_cmd_fail(const char *name, const char *what, int r);

/* cases_print.c: one line per record; detail adds history, actions and alerts. */
void cases_print_incident(const json_t *i, bool detail);
/* "  key: value" for each of keys that o has as a string, values escaped. */
void cases_print_fields(const json_t *o, const char *const *keys, size_t n);
void cases_print_notice(const json_t *n, bool detail);
/* A duty shift, or with handover a handover record. */
void cases_print_duty(const json_t *s, bool handover);
void cases_print_outbox(const json_t *row);

#endif
