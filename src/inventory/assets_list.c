/* Listing filters (assets_list.h). */
#include "inventory/assets_list.h"

#include "core/err.h"

#include <regex.h>
#include <string.h>

static bool
keep(const struct assets_filter *o, json_t *a, regex_t *svc)
{
	json_t *sv;
	size_t i;
	bool port = o->port == 0, service = !svc, cls = !o->cls;

	if ((o->shadow && !json_is_true(json_object_get(a, "shadow"))) ||
	    (o->stale && !json_is_true(json_object_get(a, "stale"))) ||
	    (o->declared && !json_is_true(json_object_get(a, "declared"))) ||
	    json_integer_value(json_object_get(a, "risk")) < o->min_risk)
		return false;
	json_array_foreach(json_object_get(a, "classes"), i, sv)
		cls |= o->cls && strcmp(json_string_value(sv), o->cls) == 0;
	json_array_foreach(json_object_get(a, "services"), i, sv) {
		port |= json_integer_value(json_object_get(sv, "port")) == o->port;
		for (int k = 0; !service && k < 2; k++) {
			const char *t = json_string_value(json_object_get(sv, k ? "product" : "name"));
			service = t && regexec(svc, t, 0, NULL, 0) == 0;
		}
	}
	return port && service && cls;
}

int
assets_select(json_t *all, const struct assets_filter *f, json_t **out)
{
	regex_t svc;
	json_t *a;
	size_t i;

	*out = NULL;
	if (f->service && regcomp(&svc, f->service, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
		return VG_ERR_INVAL;
	if ((*out = json_array()))
		json_array_foreach(all, i, a)
			if (keep(f, a, f->service ? &svc : NULL))
				json_array_append(*out, a);
	if (f->service)
		regfree(&svc);
	return *out ? VG_OK : VG_ERR_NOMEM;
}

json_t *
assets_find(json_t *all, const char *key)
{
	json_t *a;
	size_t i;

	json_array_foreach(all, i, a) {
		const char *addr = json_string_value(json_object_get(a, "address"));
		const char *host = json_string_value(json_object_get(a, "hostname"));
		if ((addr && strcmp(addr, key) == 0) || (host && strcmp(host, key) == 0))
			return a;
	}
	return NULL;
}
