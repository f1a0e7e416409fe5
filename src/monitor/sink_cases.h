/* The duty workflow inside the daemon: `cases` is an alert sink of the spine, and a
 * time event of the loop files new alerts into incidents, runs the SLA clocks and
 * kicks the notification sender thread (notify/), which delivers the outbox on its
 * own store connection so no receiver can stall the loop. */
#ifndef VG_SINK_CASES_H
#define VG_SINK_CASES_H

#include "core/config.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/store.h"
#include "monitor/alert.h"

struct casework;

/* Opens the workflow on st and registers its timer (every notify.interval) on l;
 * starts the sender thread. poll_alerts: look for new alerts on every tick (a
 * stand-alone sender, where another process stores them) instead of only after
 * the sink saw one. l, st, cfg and lg are borrowed and must outlive it.
 * 0 or VG_ERR_*. Close with casework_close (accepts NULL) before st and l go. */
int casework_open(struct loop *l, struct vg_store *st, const struct vg_config *cfg,
    const struct vg_logger *lg, bool poll_alerts, struct casework **out);
void casework_close(struct casework *cw);
/* The stand-alone sender (`vigil notify run`): the workflow on a loop of its own,
 * polling for alerts another process stores, until SIGINT/SIGTERM. 0 or VG_ERR_*
 * (logged). */
int casework_run(struct vg_store *st, const struct vg_config *cfg, const struct vg_logger *lg);

/* The sink row: its state is a struct casework *. Alerts are filed by the timer,
 * after the round that stored them has committed (a round is one transaction). */
extern const struct sink_ops sink_cases;

#endif
