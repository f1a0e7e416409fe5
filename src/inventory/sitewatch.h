/* Website watch from outside: for each configured site, a check (sitewatch_fetch)
 * compared with the site's baseline (its first check, or the last one accepted
 * with --rebaseline): down, status change, slow, certificate invalid or expiring,
 * DNS answers changed (A/AAAA: hijack; NS: delegation hijack), defacement, hidden
 * spam links (黑链), injected redirects and scripts. Findings go to a callback;
 * the caller turns them into alerts through the one alert path. */
#ifndef VG_INV_SITEWATCH_H
#define VG_INV_SITEWATCH_H

#include "core/config.h"
#include "core/event.h"

#include <jansson.h>
#include <stdbool.h>

struct vg_store;
struct sitewatch;

struct site_finding {
	const char *rule_id;	/* site.down, site.defaced, site.hidden_link, ... */
	const char *category;	/* availability, defacement, dns, tls, injection */
	const char *mitre;	/* ATT&CK technique or NULL */
	enum vg_severity severity;
	const char *site;	/* the site's name */
	const char *url;
	char title[256];
	char evidence[1024];
	bool is_new;		/* not among the previous check's findings */
};

typedef void (*sitewatch_fn)(void *arg, const struct site_finding *f);

/* A watch over cfg's sitewatch section, recording into st. The keyword list is
 * cfg's sitewatch.keywords, else rules_dir/assets/spamlinks.txt (rules_dir may be
 * NULL: no keywords). 0; VG_ERR_IO with err filled; VG_ERR_NOMEM. */
int sitewatch_open(struct vg_store *st, const struct vg_config *cfg, const char *rules_dir,
    struct sitewatch **out, char *err, size_t err_size);
void sitewatch_close(struct sitewatch *sw);

/* Checks one site now, records the check (site_checks; the baseline when there is
 * none or rebaseline is set) and calls fn for each finding. *result (if not NULL)
 * becomes {url, name, status, ms, ok, dns_a, dns_ns, tls_not_after, baseline,
 * findings: [...]} (caller decrefs). 0 or VG_ERR_* (store or memory; a site that
 * is down is a finding, not an error). The caller must not hold a transaction. */
int sitewatch_check(struct sitewatch *sw, const struct vg_site_cfg *site, bool rebaseline,
    sitewatch_fn fn, void *arg, json_t **result);

/* The daemon's website watch: a thread of its own with its own store connection
 * checks each site every sitewatch.interval (a check may wait seconds on a slow
 * site; the event loop must not), and hands the findings back through a
 * descriptor the loop polls, so the loop thread raises the alerts. */
struct sitewatch_runner;
struct vg_logger;

/* Starts the thread over cfg's sites (cfg and log must outlive the runner). 0;
 * VG_ERR_IO with err filled (store, keyword list); VG_ERR_NOMEM. */
int sitewatch_runner_start(const struct vg_config *cfg, const char *rules_dir,
    const struct vg_logger *log, struct sitewatch_runner **out, char *err, size_t err_size);
/* Readable when findings wait (an eventfd). */
int sitewatch_runner_fd(const struct sitewatch_runner *r);
/* Hands every waiting finding to fn, on the caller's thread. */
void sitewatch_runner_drain(struct sitewatch_runner *r, sitewatch_fn fn, void *arg);
/* Findings dropped because the loop did not drain them in time. */
size_t sitewatch_runner_dropped(const struct sitewatch_runner *r);
/* Stops and joins the thread (idempotent; accepts NULL): what it found before
 * stopping is still there for sitewatch_runner_drain. */
void sitewatch_runner_halt(struct sitewatch_runner *r);
/* Stops and joins the thread (a check in progress finishes first, bounded by
 * sitewatch.timeout); accepts NULL. */
void sitewatch_runner_stop(struct sitewatch_runner *r);

#endif
