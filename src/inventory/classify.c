/* Evaluating the classification rules (classify.h). Two passes: the first gives
 * every asset the classes its own facts earn; the second evaluates the rules that
 * look at other assets (talks_to, same_system_as) against those classes, so a
 * springboard is a host talking to a first-pass target. Classes earned in the
 * second pass do not feed it again: one hop, no fixpoint to reason about. */
#include "inventory/classify.h"
#include "inventory/classify_int.h"
#include "inventory/assets_view.h"

#include "core/err.h"
#include "core/esc.h"
#include "core/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVIDENCE_MAX 200

struct ctx {
	const struct classify_rules *r;
	int64_t now;
	json_t *by_addr;	/* address -> first-pass classes */
	json_t *by_system;	/* system name -> class -> [address, address] */
};

static bool
re_match(const struct ctx *c, const struct cond *k, const char *s, size_t *which)
{
	if (!s)
		return false;
	for (size_t i = 0; i < k->nv; i++)
		if (pcre2_match(k->re[i], (PCRE2_SPTR)s, strlen(s), 0, 0, c->r->md, c->r->mctx) >= 0) {
			*which = i;
			return true;
		}
	return false;
}

static bool
has_class(json_t *classes, const struct cond *k)
{
	json_t *v;
	size_t i;

	json_array_foreach(classes, i, v)
		for (size_t j = 0; j < k->nv; j++)
			if (json_string_value(v) && strcmp(json_string_value(v), k->names[j]) == 0)
				return true;
	return false;
}

static bool
asset_cond(const struct ctx *c, const struct cond *k, json_t *a)
{
	json_t *v = json_object_get(a, k->key->field);
	size_t which;

	switch (k->key->type) {
	case CT_BOOL:
		return json_is_true(v) == k->b;
	case CT_INT:
		return json_is_integer(v) && json_integer_value(v) >= k->n;
	case CT_REGEX:
		return re_match(c, k, json_string_value(v), &which);
	default:
		return false;
	}
}

/* One service satisfying every service condition of w; evidence names it. */
static bool
service_conds(const struct ctx *c, const struct when *w, json_t *s, char *ev, size_t evsz)
{
	int port = (int)json_integer_value(json_object_get(s, "port"));
	const char *proto = json_string_value(json_object_get(s, "proto"));
	char what[160] = "";

	for (size_t i = 0; i < w->n; i++) {
		const struct cond *k = &w->c[i];
		json_t *v = json_object_get(s, k->key->field);
		size_t which = 0;
		bool ok = false;
		if (k->key->scope != CS_SERVICE)
			continue;
		if (k->key->type == CT_PORTS) {
			for (size_t j = 0; j < k->nv && !ok; j++)
				ok = k->ports[j] == port;
		} else if (k->key->type == CT_AGE) {
			ok = json_is_integer(v) && json_integer_value(v) - c->now <= k->us;
			if (ok)
				snprintf(what, sizeof(what), " certificate expires in %lld days",
				    (long long)((json_integer_value(v) - c->now) / 86400000000LL));
		} else if (re_match(c, k, json_string_value(v), &which)) {
			char e[96];
			ok = true;
			snprintf(what, sizeof(what), " %s '%s'", k->key->name,
			    vg_esc_s(e, sizeof(e), json_string_value(v)));
		}
		if (!ok)
			return false;
	}
	snprintf(ev, evsz, "%d/%s%s", port, proto ? proto : "tcp", what);
	return true;
}

static bool
peer_cond(const struct ctx *c, const struct cond *k, json_t *a, char *ev, size_t evsz)
{
	const char *self = json_string_value(json_object_get(a, "address"));
	json_t *v;
	size_t i;

	if (strcmp(k->key->name, "talks_to") == 0) {
		json_array_foreach(json_object_get(a, "links"), i, v) {
			const char *dst = json_string_value(v);
			if (dst && strcmp(dst, self) != 0 &&
			    has_class(json_object_get(c->by_addr, dst), k)) {
				snprintf(ev, evsz, "connects to %s", dst);
				return true;
			}
		}
		return false;
	}
	/* by_system: system -> class -> up to two addresses having it (one may be self) */
	const char *sys = json_string_value(json_object_get(a, "system_name"));
	json_t *classes = sys ? json_object_get(c->by_system, sys) : NULL;
	for (size_t j = 0; classes && j < k->nv; j++)
		json_array_foreach(json_object_get(classes, k->names[j]), i, v) {
			const char *other = json_string_value(v);
			if (other && strcmp(other, self) != 0) {
				snprintf(ev, evsz, "same system as %s", other);
				return true;
			}
		}
	return false;
}

static bool
when_matches(const struct ctx *c, const struct when *w, json_t *a, char *ev, size_t evsz)
{
	bool want_service = false;
	json_t *s;
	size_t i;

	ev[0] = '\0';
	/* the asset's own facts first: they are cheap and reject most assets */
	for (size_t j = 0; j < w->n; j++) {
		const struct cond *k = &w->c[j];
		if (k->key->scope == CS_SERVICE)
			want_service = true;
		else if (k->key->scope == CS_ASSET && !asset_cond(c, k, a))
			return false;
	}
	for (size_t j = 0; j < w->n; j++)
		if (w->c[j].key->scope == CS_PEERS && !peer_cond(c, &w->c[j], a, ev, evsz))
			return false;
	if (!want_service)
		return true;
	json_array_foreach(json_object_get(a, "services"), i, s)
		if (service_conds(c, w, s, ev, evsz))
			return true;
	return false;
}

static int
add_unique(json_t *arr, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return VG_OK;
	return json_array_append_new(arr, json_string(s)) == 0 ? VG_OK : VG_ERR_NOMEM;
}

/* Applies the rules of one pass to a; returns VG_ERR_NOMEM or 0. */
static int
apply(const struct ctx *c, json_t *a, bool peers)
{
	json_t *classes = json_object_get(a, "classes"), *reasons = json_object_get(a, "reasons");
	char ev[EVIDENCE_MAX];

	for (size_t i = 0; i < c->r->n; i++) {
		const struct rule *x = &c->r->r[i];
		if (x->peers != peers)
			continue;
		for (size_t w = 0; w < x->nw; w++) {
			if (!when_matches(c, &x->w[w], a, ev, sizeof(ev)))
				continue;
			json_t *why = json_pack("{s:s, s:i}", "reason", x->reason, "score", x->score);
			if (!why)
				return VG_ERR_NOMEM;
			if (x->cls)
				json_object_set_new(why, "class", json_string(x->cls));
			if (ev[0])
				json_object_set_new(why, "evidence", json_string(ev));
			json_array_append_new(reasons, why);
			if (x->cls && add_unique(classes, x->cls) != VG_OK)
				return VG_ERR_NOMEM;
			break;	/* a rule counts once however many items match */
		}
	}
	return VG_OK;
}

/* Notes addr under each of its classes in its system (two addresses at most: a
 * rule asks for another asset than the one judged, and one other is enough). */
static int
remember_system(json_t *by_system, const char *sys, const char *addr, json_t *classes)
{
	json_t *m = json_object_get(by_system, sys), *cl;
	size_t i;

	if (!m && (json_object_set_new(by_system, sys, json_object()) != 0 ||
		      !(m = json_object_get(by_system, sys))))
		return VG_ERR_NOMEM;
	json_array_foreach(classes, i, cl) {
		json_t *list = json_object_get(m, json_string_value(cl));
		if (!list && (json_object_set_new(m, json_string_value(cl), json_array()) != 0 ||
				 !(list = json_object_get(m, json_string_value(cl)))))
			return VG_ERR_NOMEM;
		if (json_array_size(list) < 2 && json_array_append_new(list, json_string(addr)) != 0)
			return VG_ERR_NOMEM;
	}
	return VG_OK;
}

int
classify_assets(const struct classify_rules *r, json_t *assets, int64_t now_us)
{
	struct ctx c = { .r = r, .now = now_us, .by_addr = json_object(),
		.by_system = json_object() };
	json_t *a;
	size_t i;
	int ret = VG_ERR_NOMEM;

	if (!c.by_addr || !c.by_system)
		goto out;
	json_array_foreach(assets, i, a) {
		json_object_set_new(a, "classes", json_array());
		json_object_set_new(a, "reasons", json_array());
		if ((ret = apply(&c, a, false)) != VG_OK)
			goto out;
		const char *addr = json_string_value(json_object_get(a, "address"));
		const char *sys = json_string_value(json_object_get(a, "system_name"));
		json_t *cls = json_deep_copy(json_object_get(a, "classes"));
		if (!cls)
			goto nomem;
		if (addr)
			json_object_set(c.by_addr, addr, cls);
		if (sys && *sys && addr && remember_system(c.by_system, sys, addr, cls) != VG_OK) {
			json_decref(cls);
			goto nomem;
		}
		json_decref(cls);
	}
	json_array_foreach(assets, i, a) {
		json_int_t risk = 0;
		json_t *why;
		size_t j;
		if ((ret = apply(&c, a, true)) != VG_OK)
			goto out;
		json_array_foreach(json_object_get(a, "reasons"), j, why)
			risk += json_integer_value(json_object_get(why, "score"));
		json_object_set_new(a, "risk", json_integer(risk < 0 ? 0 : risk > 100 ? 100 : risk));
		json_t *first = json_array_get(json_object_get(a, "classes"), 0);
		json_object_set(a, "class", first ? first : json_null());
	}
	ret = VG_OK;
	goto out;
nomem:
	ret = VG_ERR_NOMEM;
out:
	json_decref(c.by_addr);
	json_decref(c.by_system);
	return ret;
}

static const char SQL_CLASSIFY_SET[] =
    "UPDATE assets SET class = $2, classes = $3, risk = $4, reasons = $5,"
    " classified_at = $6 WHERE id = $1";

int
classify_run(struct vg_store *st, const struct classify_rules *r, int64_t now_us,
    json_t **out)
{
	json_t *assets = NULL, *a;
	size_t i;
	int ret;

	if (out)
		*out = NULL;
	if ((ret = assets_load(st, 1, &assets)) != VG_OK)
		return ret;
	if ((ret = classify_assets(r, assets, now_us)) != VG_OK)
		goto out;
	if ((ret = store_begin(st)) != VG_OK)
		goto out;
	json_array_foreach(assets, i, a) {
		char *cls = json_dumps(json_object_get(a, "classes"), JSON_COMPACT);
		char *why = json_dumps(json_object_get(a, "reasons"), JSON_COMPACT);
		struct store_val b[] = { SV_INT(json_integer_value(json_object_get(a, "id"))),
			SV_TEXT(json_string_value(json_object_get(a, "class"))), SV_TEXT(cls),
			SV_INT(json_integer_value(json_object_get(a, "risk"))), SV_TEXT(why),
			SV_INT(now_us) };
		ret = cls && why ? store_exec(st, SQL_CLASSIFY_SET, b, 6, NULL, NULL) : VG_ERR_NOMEM;
		free(cls);
		free(why);
		if (ret != VG_OK) {
			store_rollback(st);
			goto out;
		}
	}
	if ((ret = store_commit(st)) == VG_OK && out) {
		*out = assets;
		assets = NULL;
	}
out:
	json_decref(assets);
	return ret;
}
