/* Private to assess/: helpers the rectification-list files share. */
#ifndef VG_ASSESS_INT_H
#define VG_ASSESS_INT_H

#include "assess/assess.h"

/* Rolls back after a failed step inside store_begin; returns r. */
int assess_fail(struct vg_store *st, int r);
/* Appends a history row (and an audit line) for item id, inside the caller's
 * transaction. from/to/comment may be NULL; actor NULL = "vigil". */
int assess_history(struct vg_store *st, int64_t id, const char *actor, const char *action,
    const char *from, const char *to, const char *comment);
/* Sets item id's state to `to` (stamps fixed_at/verified_at) and records it. */
int assess_set_state_tx(struct vg_store *st, int64_t id, const char *from, enum assess_state to,
    const char *actor, const char *action, const char *comment);
/* Rewrites a store row for people: µs fields as RFC 3339, severity as its name,
 * overdue computed from deadline and state. */
void assess_decorate(json_t *row, int64_t now_us);

#endif
