/* The overview's alert aggregates, kept in memory: one bucket per minute for the
 * last AGG_MINUTES, each with counts by severity and its busiest sources and sites.
 * Fed by the live feed's store poll (so a request never scans the alerts table) and
 * loaded once at start from the store. */
#ifndef VG_WEB_AGG_H
#define VG_WEB_AGG_H

#include <jansson.h>
#include <stdint.h>

#define AGG_MINUTES 60
#define AGG_TOP 128	/* distinct sources (and sites) kept per minute; the rest are counted */

struct agg_entry {
	char key[64];
	uint32_t alerts;
	uint64_t events;
};

struct agg_minute {
	int64_t minute;		/* created_at in minutes since the epoch; 0 = empty */
	uint32_t n;
	uint32_t sev[5];
	uint16_t n_src, n_site;
	struct agg_entry src[AGG_TOP];
	struct agg_entry site[AGG_TOP];
};

struct agg {
	struct agg_minute m[AGG_MINUTES];
	uint64_t overflow;	/* keys not kept because a minute's table was full */
};

/* Counts one alert (a list-shaped JSON object: created_at, severity, source_ip, site,
 * count) if it falls in the window ending at now_us. */
void agg_add(struct agg *g, const json_t *alert, int64_t now_us);
/* Sets per_minute [{t, n}], top_sources [{ip, alerts, events}], top_sites [{site,
 * alerts, events}] and by_severity {name: n} in obj for the last `minutes`
 * (1..AGG_MINUTES) ending at now_us. 0 or VG_ERR_NOMEM. */
int agg_overview(const struct agg *g, int64_t now_us, int minutes, json_t *obj);

#endif
