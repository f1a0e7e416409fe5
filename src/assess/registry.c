/* The check-family table and the recheck driver. Adding a family = one file with
 * a const struct assess_family_ops and one row here; recheck, the list and the
 * export need nothing else. */
#include "assess/assess_int.h"
#include "assess/sql_assess.h"
#include "core/err.h"

#include <string.h>

extern const struct assess_family_ops assess_baseline_family;
extern const struct assess_family_ops assess_vuln_family;

/* Hand-entered items and imported notices: nothing to re-run, a person verifies. */
static const struct assess_family_ops manual_family = {
	.name = ASSESS_FAMILY_MANUAL,
	.kind = ASSESS_NOTICE,
	.doc = "items entered by hand or imported from notices; a person verifies them",
};

extern const struct assess_family_ops assess_family_web;
extern const struct assess_family_ops assess_family_tls;
extern const struct assess_family_ops assess_family_checklist;

const struct assess_family_ops *const assess_families[] = {
	&assess_baseline_family,
	&assess_family_web,
	&assess_family_tls,
	&assess_family_checklist,
	&assess_vuln_family,
	&manual_family,
	NULL,
};

const struct assess_family_ops *
assess_family_find(const struct assess_family_ops *const *table, const char *name)
{
	if (!table)
		table = assess_families;
	for (size_t i = 0; name && table[i]; i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}

/* Rechecks one item; appends its outcome object to out. */
static int
recheck_one(struct assess_ctx *ctx, const struct assess_family_ops *const *table, int64_t id,
    json_t *out)
{
	char evidence[2048] = "";
	json_t *row = NULL, *res;
	struct assess_item it;
	enum assess_state to;
	bool passed = false;
	int r;

	struct store_val b[] = { SV_INT(id) };
	if ((r = store_query_one(ctx->st, SQL_ASSESS_ITEM, b, 1, &row)) != VG_OK)
		return r;
	memset(&it, 0, sizeof(it));
	it.id = id;
	it.key = json_string_value(json_object_get(row, "key"));
	it.family = json_string_value(json_object_get(row, "family"));
	it.check_id = json_string_value(json_object_get(row, "check_id"));
	it.asset = json_string_value(json_object_get(row, "asset"));
	it.target = json_string_value(json_object_get(row, "target"));
	it.ref = json_string_value(json_object_get(row, "ref"));
	it.asset_id = json_integer_value(json_object_get(row, "asset_id"));
	assess_kind_parse(json_string_value(json_object_get(row, "kind")), &it.kind);
	assess_state_parse(json_string_value(json_object_get(row, "state")), &it.state);
	res = json_pack("{s:I, s:s?, s:s?, s:s}", "id", (json_int_t)id, "family", it.family,
	    "check", it.check_id, "from", assess_state_name(it.state));
	if (!res) {
		json_decref(row);
		return VG_ERR_NOMEM;
	}
	const struct assess_family_ops *fam = assess_family_find(table, it.family);
	if (!fam || !fam->recheck) {
		json_object_set_new(res, "passed", json_null());
		json_object_set_new(res, "to", json_string(assess_state_name(it.state)));
		json_object_set_new(res, "error", json_string(fam ? "verified by a person only"
								 : "unknown check family"));
		goto done;
	}
	r = fam->recheck(ctx, &it, &passed, evidence, sizeof(evidence));
	evidence[sizeof(evidence) - 1] = '\0';
	if (r != VG_OK) {
		json_object_set_new(res, "passed", json_null());
		json_object_set_new(res, "to", json_string(assess_state_name(it.state)));
		json_object_set_new(res, "error", json_string(r == VG_ERR_NOTFOUND
								 ? "the check no longer exists"
								 : vg_strerror(r)));
		goto done;
	}
	if ((r = assess_item_checked(ctx->st, id, passed, evidence, ctx->actor, &to)) != VG_OK) {
		json_decref(res);
		json_decref(row);
		return r;
	}
	json_object_set_new(res, "passed", json_boolean(passed));
	json_object_set_new(res, "to", json_string(assess_state_name(to)));
	json_object_set_new(res, "evidence", json_string(evidence));
done:
	json_array_append_new(out, res);
	json_decref(row);
	return VG_OK;
}

int
assess_recheck(struct assess_ctx *ctx, const struct assess_family_ops *const *table,
    const int64_t *ids, size_t n, json_t **out)
{
	json_t *res = json_array(), *all = NULL, *row;
	size_t i;
	int r = VG_OK;

	*out = NULL;
	if (!res)
		return VG_ERR_NOMEM;
	if (n == 0) {
		if ((r = store_query(ctx->st, SQL_ASSESS_RECHECK_ALL, NULL, 0, 0, &all)) != VG_OK)
			goto out;
		json_array_foreach(all, i, row)
			if ((r = recheck_one(ctx, table, json_integer_value(json_object_get(row, "id")),
				 res)) != VG_OK)
				goto out;
	}
	for (i = 0; i < n; i++)
		if ((r = recheck_one(ctx, table, ids[i], res)) != VG_OK)
			goto out;
out:
	json_decref(all);
	if (r != VG_OK) {
		json_decref(res);
		return r;
	}
	*out = res;
	return VG_OK;
}
