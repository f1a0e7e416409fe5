/* Web-root guard: the webshell engine sits in protect's file hook, so a script an
 * attacker drops is scanned before the root's policy moves it, and a malicious one
 * goes to the quarantine vault with its evidence instead of a plain "removed". */
#include "cmd/guard.h"
#include "cmd/protect_cmd.h"
#include "core/err.h"
#include "monitor/fimwatch.h"
#include "respond/quarantine.h"
#include "monitor/webshell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct guard {
	struct vg_ctx *ctx;
	struct vg_store *st;
	struct protect *p;
	struct fimwatch *fw;
	struct webshell_scanner *ws;
	char *vault;
};

static void
report_finding(struct guard *g, const struct protect_root *root, const struct webshell_finding *f,
    const char *qid, const char *err)
{
	bool malicious = strcmp(f->level, "malicious") == 0;
	char evidence[1024];
	struct vg_alert a = {
		.rule_id = "webshell.detected",
		.title = malicious ? "Webshell dropped in a web root" : "Suspicious script in a web root",
		.category = "webshell",
		.mitre = "T1505.003",
		.severity = malicious ? VG_SEV_CRITICAL : VG_SEV_MEDIUM,
		.sensor = root->name,
		.count = 1,
		.field = "file.path",
		.matched = f->families,
		.evidence = evidence,
	};
	a.first_seen_us = a.last_seen_us = vg_now_us();
	if (snprintf(evidence, sizeof(evidence), "%s score %d rules %s%s%s%s", f->path, f->score,
		f->rules, qid && *qid ? " quarantined as " : "", qid ? qid : "",
		err && *err ? err : "") >= (int)sizeof(evidence))
		evidence[sizeof(evidence) - 1] = '\0';	/* cut evidence is still evidence */
	if (g->st && store_alert_add(g->st, &a) == VG_OK && qid && *qid)
		store_audit(g->st, "vigil", "quarantine", evidence);
	if (g->ctx->json) {
		json_t *j = vg_alert_to_json(&a);
		vg_json_set_path(j, "file.path", vg_json_string_lossy(f->path, strlen(f->path)));
		vg_json_set_path(j, "vigil.webshell.score", json_integer(f->score));
		vg_json_set_path(j, "vigil.webshell.rules", json_string(f->rules));
		if (qid && *qid)
			vg_json_set_path(j, "vigil.quarantine.id", json_string(qid));
		json_dumpf(j, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(j);
	} else {
		printf("WEBSHELL %-10s %s: %s (score %d; %s)%s%s\n", f->level, root->name, f->path,
		    f->score, f->families, qid && *qid ? " -> quarantined " : "", qid ? qid : "");
	}
	fflush(stdout);
}

static int
file_hook(void *arg, const struct protect_root *root, const char *abs_path, const char *rel,
    unsigned kinds)
{
	struct guard *g = arg;
	struct webshell_finding f;
	char qid[128] = "", err[512] = "";
	(void)rel;
	(void)kinds;

	int r = quarantine_scan_and_act(g->ws, g->vault, abs_path, &f, qid, err, sizeof(err));
	if (r < 0)
		return 0;	/* vanished or unreadable: the policy decides */
	if (strcmp(f.level, "clean") != 0)
		report_finding(g, root, &f, r == 1 ? qid : NULL, err);
	return r == 1;
}

static int
quarantine_hook(void *arg, const struct protect_root *root, const char *abs_path, const char *rel)
{
	struct guard *g = arg;
	char qid[128], err[512];
	(void)root;
	(void)rel;
	if (quarantine_file(g->vault, abs_path, NULL, qid, err, sizeof(err)) != VG_OK) {
		vg_warn(&g->ctx->log, "quarantine %s: %s", abs_path, err);
		return -1;
	}
	return 0;
}

static void
on_change(void *arg, const struct fim_change *ch)
{
	struct guard *g = arg;
	pcmd_change_print(stdout, ch, g->ctx->json, false, ch->root->base_id);
	pcmd_change_store(g->st, ch);
	fflush(stdout);
}

int
guard_open(struct vg_ctx *ctx, const struct vg_config *cfg, struct vg_store *st,
    struct guard **out)
{
	struct guard *g = calloc(1, sizeof(*g));
	char rules[4096], err[512];
	int ret = VG_EXIT_RUNTIME;

	*out = NULL;
	if (!g)
		return VG_EXIT_RUNTIME;
	g->ctx = ctx;
	g->st = st;
	if (!(g->vault = strdup(cfg->protect.quarantine_dir)))
		goto fail;
	if (webshell_find_rules(rules, sizeof(rules)) != VG_OK) {
		fprintf(stderr, "vigil watch: webshell rules not found (set $VIGIL_WEBSHELL_RULES)\n");
		ret = VG_EXIT_USAGE;
		goto fail;
	}
	if (webshell_scanner_new(rules, &ctx->log, &g->ws, err, sizeof(err)) != VG_OK) {
		fprintf(stderr, "vigil watch: %s\n", err);
		ret = VG_EXIT_USAGE;
		goto fail;
	}
	if (protect_open(cfg, &ctx->log, &g->p) != VG_OK) {
		fprintf(stderr, "vigil watch: cannot open web roots\n");
		goto fail;
	}
	for (size_t i = 0; i < g->p->n_roots; i++) {
		if (protect_load_baseline(g->p, &g->p->roots[i], err, sizeof(err)) != VG_OK) {
			fprintf(stderr, "vigil watch: %s\n", err);
			ret = VG_EXIT_USAGE;
			goto fail;
		}
	}
	g->p->file_hook = file_hook;
	g->p->file_hook_arg = g;
	g->p->quarantine = quarantine_hook;
	g->p->quarantine_arg = g;
	struct fimwatch_opts fo = {
		.debounce_ms = (int)cfg->protect.debounce_ms,
		.scan_interval_s = (int)cfg->protect.scan_interval,
		.fn = on_change,
		.arg = g,
	};
	if (fimwatch_new(g->p, &fo, &g->fw) != VG_OK) {
		fprintf(stderr, "vigil watch: cannot watch the web roots\n");
		goto fail;
	}
	*out = g;
	return VG_EXIT_OK;
fail:
	guard_free(g);
	return ret;
}

void
guard_free(struct guard *g)
{
	if (!g)
		return;
	fimwatch_free(g->fw);
	protect_free(g->p);
	webshell_scanner_free(g->ws);
	free(g->vault);
	free(g);
}

int guard_fd(const struct guard *g) { return fimwatch_fd(g->fw); }
int guard_timeout_ms(const struct guard *g) { return fimwatch_timeout_ms(g->fw, fimwatch_now_ms()); }
int guard_process(struct guard *g) { return fimwatch_process(g->fw); }
int guard_tick(struct guard *g) { return fimwatch_tick(g->fw, fimwatch_now_ms()); }
size_t guard_roots(const struct guard *g) { return g->p->n_roots; }
