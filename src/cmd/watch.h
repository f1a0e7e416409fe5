/* What the `vigil watch` files share: the daemon's parts (struct watch), opened by
 * watch_open.c, the pieces plugged into the spine (watch_plug.c, watch_site.c) and
 * run (watch.c). */
#ifndef VG_CMD_WATCH_H
#define VG_CMD_WATCH_H

#include "cmd/cmd.h"
#include "core/loop.h"
#include "monitor/heartbeat.h"
#include "monitor/live.h"
#include "monitor/sources.h"

extern const struct cmd_ops cmd_watch;

struct watch {
	struct vg_ctx *ctx;
	struct vg_config *cfg;
	struct vg_store *store;
	struct pipeline *pipeline;
	struct ioc_set *ioc;		/* monitor.ioc_files; NULL when none */
	const char *rules_path;		/* what a reload loads again */
	struct alerts alerts;
	struct log_sources ls;
	struct webroot *webroot;	/* NULL when no web roots are configured */
	struct wsaccess *wsaccess;	/* scripts created in the web roots; with webroot */
	struct spine *spine;
	struct live live;
	struct blocker *blocker;	/* block.enabled; NULL otherwise */
	struct web *web;	/* the console, when console.enabled */
	struct casework *casework;	/* incidents, SLA clocks, notifications */
	struct sitewatch_runner *sitewatch;	/* sitewatch.sites; NULL when none */
	size_t sitewatch_dropped;	/* findings dropped, as last logged */
	int lock_fd;			/* held while running: one watch per store */
	struct heartbeat hb;		/* what `vigil status` reads */
};

struct ready_note {
	const char *path;	/* --ready-file, or NULL */
	const struct vg_logger *lg;
};

/* watch_open.c: everything up to the first round, printing what went wrong
 * (VG_EXIT_*); watch_close frees what it opened (the loop is the caller's). */
int watch_open(struct watch *w, const char *rules_path, bool keep_going, struct loop *l);
void watch_close(struct watch *w);

/* watch_guard.c: one watch per store (the lock, VG_EXIT_*); web roots the daemon
 * cannot write are reported at start. */
int watch_lock_store(struct watch *w);
void watch_check_writable(struct watch *w);

/* watch_site.c: the website watch as a source on the spine (VG_EXIT_*); closing
 * raises what its last check found and joins its thread. */
int watch_open_sitewatch(struct watch *w);
void watch_close_sitewatch(struct watch *w);

/* watch_plug.c: blocking as an alert sink and a loop timer, webshell.accessed as an
 * alert sink and a detector (VG_EXIT_*); the spine's ready and reload hooks. */
int watch_open_blocker(struct watch *w, struct loop *l);
int watch_open_wsaccess(struct watch *w);
void watch_on_ready(void *arg);	/* arg: struct ready_note */
void watch_on_reload(void *arg);	/* arg: struct watch */

#endif
