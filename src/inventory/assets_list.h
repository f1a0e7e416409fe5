/* Choosing assets for a listing: the filters of `vigil assets` over the
 * assets_load view, and finding one asset by address or name. */
#ifndef VG_INV_ASSETS_LIST_H
#define VG_INV_ASSETS_LIST_H

#include <jansson.h>
#include <stdbool.h>

struct assets_filter {
	const char *cls;	/* has this class */
	const char *service;	/* an open service whose name or product matches (ERE, any case) */
	bool shadow, stale, declared;
	long long port;		/* an open port; 0 = any */
	long long min_risk;
};

/* The assets of all that pass f, as a new array (caller decrefs) holding
 * references to all's objects. 0, VG_ERR_INVAL (a bad service pattern) or
 * VG_ERR_NOMEM. */
int assets_select(json_t *all, const struct assets_filter *f, json_t **out);

/* The asset whose address or host name is key (borrowed from all), or NULL. */
json_t *assets_find(json_t *all, const char *key);

#endif
