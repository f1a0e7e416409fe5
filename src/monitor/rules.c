/* Rules: the field table and the lifetime of a loaded ruleset. Loading, keyword
 * parsing, compilation and matching live beside this file (see rules_int.h). */
#include "monitor/rules_int.h"
#include "core/err.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *ecs;
} field_names[RULE_F_COUNT] = {
	[RULE_F_URL] = { "url", "url.original" },
	[RULE_F_URL_RAW] = { "url_raw", "url.original" },
	[RULE_F_USER_AGENT] = { "user_agent", "user_agent.original" },
	[RULE_F_REFERER] = { "referer", "http.request.referrer" },
	[RULE_F_METHOD] = { "method", "http.request.method" },
	[RULE_F_MESSAGE] = { "message", "message" },
	[RULE_F_USER] = { "user", "user.name" },
	[RULE_F_BODY] = { "body", "http.request.body.content" },
};

const char *
rule_field_name(enum rule_field f)
{
	return (unsigned)f < RULE_F_COUNT ? field_names[f].name : "?";
}

const char *
rule_field_ecs(enum rule_field f)
{
	return (unsigned)f < RULE_F_COUNT ? field_names[f].ecs : "?";
}

int
rules_field_parse(const char *name, enum rule_field *out)
{
	for (int f = 0; f < RULE_F_COUNT; f++) {
		if (strcmp(name, field_names[f].name) == 0) {
			*out = (enum rule_field)f;
			return VG_OK;
		}
	}
	return VG_ERR_INVAL;
}

void
rule_clear(struct rule *r)
{
	free((char *)r->info.id);
	free((char *)r->info.title);
	free((char *)r->info.category);
	free((char *)r->info.mitre);
	free(r->file);
	for (size_t i = 0; i < r->npats; i++) {
		free(r->pats[i].text);
		free(r->pats[i].hs_expr);
		free(r->pats[i].hs_norm_expr);
		free(r->pats[i].prefilter);
		pcre2_code_free(r->pats[i].re);
	}
	free(r->pats);
	free(r->pcre_text);
	pcre2_code_free(r->pcre);
	for (size_t i = 0; i < r->nex; i++)
		for (int f = 0; f < RULE_F_COUNT; f++)
			free(r->ex[i].v[f]);
	free(r->ex);
	memset(r, 0, sizeof(*r));
}

void
ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_clear(&rs->rules[i]);
	free(rs->rules);
	for (int f = 0; f < RULE_F_COUNT; f++) {
		hs_free_database(rs->dbs[f].db);
		free(rs->dbs[f].refs);
	}
	free(rs);
}

size_t
ruleset_count(const struct ruleset *rs)
{
	return rs ? rs->n : 0;
}

const struct rule_info *
ruleset_rule(const struct ruleset *rs, size_t index)
{
	return rs && index < rs->n ? &rs->rules[index].info : NULL;
}

int
ruleset_print(const struct ruleset *rs, bool json, FILE *out)
{
	json_t *arr = json ? json_array() : NULL;

	if (json && !arr)
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule_info *r = ruleset_rule(rs, i);
		if (json)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:s}", "id",
			    r->id, "severity", vg_severity_name(r->severity), "category",
			    r->category, "mitre", r->mitre, "title", r->title));
		else
			fprintf(out, "%-36s %-8s %-15s %-10s %s\n", r->id,
			    vg_severity_name(r->severity), r->category, r->mitre ? r->mitre : "-",
			    r->title);
	}
	if (json) {
		json_dumpf(arr, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(arr);
	}
	return VG_OK;
}
