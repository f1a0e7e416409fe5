/* The web-root guard used by `vigil watch`: realtime FIM with each root's policy,
 * every new or changed file scanned for webshells, malicious ones quarantined, and
 * every change and finding reported and stored. Glue over protect/, fimwatch and
 * the webshell engine, so `watch` embeds it with an fd and two calls. */
#ifndef VG_GUARD_H
#define VG_GUARD_H

#include "cmd/cmd.h"
#include "core/store.h"

struct guard;

/* Opens every configured web root (each needs a baseline: `vigil backup create`)
 * and the webshell rules. st (may be NULL) must outlive the guard; the caller owns
 * the transaction around guard_process/guard_tick. Prints errors; VG_EXIT_*. */
int guard_open(struct vg_ctx *ctx, const struct vg_config *cfg, struct vg_store *st,
    struct guard **out);
void guard_free(struct guard *g);
int guard_fd(const struct guard *g);
/* Milliseconds until guard_tick has work, -1 for none. */
int guard_timeout_ms(const struct guard *g);
/* Reads inotify events and acts on what is due. */
int guard_process(struct guard *g);
int guard_tick(struct guard *g);
size_t guard_roots(const struct guard *g);

#endif
