/* The web-root watcher as a source of the spine: realtime FIM over the configured
 * web roots (protect/fimwatch) with each root's policy. Its detectors run on every
 * new or changed file (webshell scan; tamper analysis inside the reconcile), its
 * findings and changes go to the alert path, and its responses (quarantine of a
 * malicious script, the quarantine policy) are the hooks at the end of webroot.c. */
#ifndef VG_WEBWATCH_H
#define VG_WEBWATCH_H

#include "core/config.h"
#include "core/log.h"
#include "monitor/alert.h"
#include "monitor/source.h"
#include "monitor/fimwatch.h"

struct webroot;

struct webroot_opts {
	struct protect *p;		/* borrowed, baselines loaded; must outlive the watcher */
	int debounce_ms, scan_interval_s;
	size_t max_watches;		/* 0 = as many as the kernel allows */
	struct alerts *alerts;		/* where changes and findings go (borrowed) */
	struct webshell_scanner *ws;	/* NULL: no webshell scan (`fim watch`) */
	const char *vault;		/* quarantine directory (with ws, or the policy) */
	const struct vg_logger *log;
};

/* Starts watching. On failure nothing is kept. 0 or VG_ERR_*. */
int webroot_new(const struct webroot_opts *o, struct webroot **out);
void webroot_free(struct webroot *w);
void webroot_get_stats(const struct webroot *w, struct fimwatch_stats *out);

/* What `watch` runs: opens every configured root with its baseline and the webshell
 * rules, and starts watching them. On failure err says why; VG_ERR_CONFIG when the
 * configuration or a missing baseline/rule set is at fault, else VG_ERR_IO/NOMEM. */
int webroot_open_config(const struct vg_config *cfg, const struct vg_logger *lg,
    struct alerts *al, struct webroot **out, char *err, size_t err_size);
size_t webroot_count(const struct webroot *w);
/* The roots being watched, with their baselines (borrowed, lives as long as w). */
const struct protect *webroot_protect(const struct webroot *w);

extern const struct source_ops source_webroot;

#endif
