/* Line output of `vigil tail`: every line of a round as one JSON object
 *   {"source":..,"path":..,"offset":..,"line":..,"truncated":..}
 * written when the round commits. With an output file and a store, the file's
 * committed size is saved with the positions and a restart cuts it back, so even
 * after kill -9 every line is in the file exactly once. */
#ifndef VG_LINEOUT_H
#define VG_LINEOUT_H

#include "core/log.h"
#include "core/store.h"
#include "monitor/source.h"
#include "monitor/spine.h"

struct lineout;
struct tailer;

/* st (may be NULL) and t (may be NULL) are borrowed; output NULL = stdout. Opening
 * output prints why it failed (VG_ERR_IO). Caller frees with lineout_free. */
int lineout_new(const struct vg_logger *lg, struct vg_store *st, struct tailer *t,
    const char *output, struct lineout **out);
void lineout_free(struct lineout *lo);
/* The spine whose sources it commits; set before the first round. */
void lineout_set_spine(struct lineout *lo, struct spine *sp);

/* The spine consumer: line and round end (arg = the lineout). */
int lineout_line(const struct source_line *line, void *arg);
void lineout_round_end(void *arg, bool poll, bool stop);

#endif
