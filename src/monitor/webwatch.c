/* Web-root watcher source (see webroot.h). The webshell engine sits in protect's
 * file hook, so a script an attacker drops is scanned before the root's policy moves
 * it, and a malicious one goes to the quarantine vault with its evidence instead of
 * a plain "removed". */
#include "monitor/webwatch.h"
#include "core/err.h"
#include "core/loop.h"
#include "monitor/fimagg.h"
#include "backup/snapshot.h"
#include "respond/quarantine.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct webroot {
	struct protect *p;
	bool own_p;		/* opened by webroot_open_config */
	struct fimwatch *fw;
	struct webshell_scanner *ws;
	bool own_ws;
	char *vault;
	struct alerts *alerts;
	struct fimagg *agg;	/* one alert per (root, path, kind, action) window */
	const struct vg_logger *lg;
};

static void
on_change(void *arg, const struct fim_change *ch)
{
	struct webroot *w = arg;
	struct alert_in in = { .kind = ALERT_FIM, .state = ALERT_ONCE, .change = ch };
	/* a change recorded in a publish window is an audit row, not an alert */
	if (ch->action == ACT_RECORDED)
		alert_emit(w->alerts, &in);
	else
		fimagg_change(w->agg, ch, vg_now_us());
}

/* Scan (and quarantine) rel beneath the root's directory descriptor, never by the
 * absolute path: a parent swapped for a symlink to a decoy is not followed, so nothing
 * outside the root is read or moved. */
static int
scan_beneath(struct webroot *w, const char *vault, const struct protect_root *root,
    const char *rel, const char *shown, struct webshell_finding *f, char *qid, char *err,
    size_t err_size)
{
	int rootfd = open(root->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;
	if (rootfd < 0) {
		qid[0] = err[0] = '\0';
		return VG_ERR_IO;
	}
	r = quarantine_scan_and_act_at(w->ws, vault, rootfd, root->path, rel, shown, f, qid,
	    err, err_size);
	close(rootfd);
	return r;
}

/* Detector + response: webshell scan of a new or changed file, quarantine if malicious.
 * Returns 1 when the file was moved (the policy then has nothing left to do). */
static int
file_hook(void *arg, const struct protect_root *root, const char *abs_path, const char *rel,
    unsigned kinds)
{
	struct webroot *w = arg;
	struct webshell_finding f;
	char qid[128] = "", err[512] = "";
	(void)kinds;
	/* a publishing window: alert, leave the file for `publish commit` to refuse */
	bool window = protect_publish_active(w->p, root);
	int r = scan_beneath(w, window ? NULL : w->vault, root, rel, abs_path, &f, qid, err,
	    sizeof(err));
	if (window && r >= 0)
		snprintf(err, sizeof(err), "publishing window open: left in place; `vigil "
		    "publish commit` refuses it unless accepted");
	if (r < 0)
		return 0;	/* vanished or unreadable: the policy decides */
	if (strcmp(f.level, "clean") != 0) {
		struct alert_in in = { .kind = ALERT_WEBSHELL, .state = ALERT_ONCE,
			.finding = &f, .root_name = root->name, .qid = r == 1 ? qid : NULL,
			.qerr = err };
		alert_emit(w->alerts, &in);
	}
	return r == 1;
}

/* A server-side script in an excluded path (an upload directory): exclude silences
 * tamper alerts, not webshell scanning. A malicious one is quarantined; any other is
 * still an alert, since a new script where uploads land is itself suspicious. */
static void
excluded_script(void *arg, const struct protect_root *root, const char *rel)
{
	struct webroot *w = arg;
	struct webshell_finding f;
	char full[PATH_MAX], qid[128] = "", err[512] = "";

	if (!w->ws || protect_path_join(full, sizeof(full), root->path, rel) != VG_OK)
		return;
	int r = scan_beneath(w, w->vault, root, rel, full, &f, qid, err, sizeof(err));
	if (r < 0)
		return;	/* vanished, unreadable or not a regular file */
	if (strcmp(f.level, "malicious") != 0) {
		size_t n = strlen(f.families);
		f.level = "suspicious";
		snprintf(f.families + n, sizeof(f.families) - n, "%sscript-in-excluded-path",
		    n ? "," : "");
	}
	struct alert_in in = { .kind = ALERT_WEBSHELL, .state = ALERT_ONCE, .finding = &f,
		.root_name = root->name, .qid = r == 1 ? qid : NULL, .qerr = err };
	alert_emit(w->alerts, &in);
}

/* Response: the quarantine policy of a root. */
static int
quarantine_hook(void *arg, const struct protect_root *root, const char *abs_path, const char *rel)
{
	struct webroot *w = arg;
	char qid[128], err[512];
	int rootfd = open(root->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = VG_ERR_IO;

	if (rootfd >= 0) {
		r = quarantine_file_at(w->vault, rootfd, root->path, rel, NULL, qid, err,
		    sizeof(err));
		close(rootfd);
	} else {
		snprintf(err, sizeof(err), "%s: %s", root->path, strerror(errno));
	}
	if (r != VG_OK) {
		vg_warn(w->lg, "quarantine %s: %s", abs_path, err);
		return -1;
	}
	return 0;
}

int
webroot_new(const struct webroot_opts *o, struct webroot **out)
{
	struct webroot *w = calloc(1, sizeof(*w));
	struct fimwatch_opts fo = {
		.debounce_ms = o->debounce_ms,
		.scan_interval_s = o->scan_interval_s,
		.max_watches = o->max_watches,
		.fn = on_change,
		.excluded_script = o->ws ? excluded_script : NULL,
	};
	int r;

	*out = NULL;
	if (!w)
		return VG_ERR_NOMEM;
	w->p = o->p;
	w->ws = o->ws;
	w->alerts = o->alerts;
	w->lg = o->log;
	if (o->vault && !(w->vault = strdup(o->vault))) {
		free(w);
		return VG_ERR_NOMEM;
	}
	if (w->ws) {
		w->p->file_hook = file_hook;
		w->p->file_hook_arg = w;
		w->p->quarantine = quarantine_hook;
		w->p->quarantine_arg = w;
	}
	fo.arg = w;
	r = fimagg_new(&(struct fimagg_opts){ .alerts = w->alerts }, &w->agg);
	if (r != VG_OK || (r = fimwatch_new(w->p, &fo, &w->fw)) != VG_OK) {
		fimagg_free(w->agg);
		free(w->vault);
		free(w);
		return r;
	}
	*out = w;
	return VG_OK;
}

void
webroot_free(struct webroot *w)
{
	if (!w)
		return;
	fimwatch_free(w->fw);
	fimagg_free(w->agg);	/* summaries of the windows still open */
	if (w->own_p)
		protect_free(w->p);
	if (w->own_ws)
		webshell_scanner_free(w->ws);
	free(w->vault);
	free(w);
}

int
webroot_open_config(const struct vg_config *cfg, const struct vg_logger *lg,
    struct alerts *al, struct webroot **out, char *err, size_t err_size)
{
	struct webshell_scanner *ws = NULL;
	struct protect *p = NULL;
	char rules[4096];
	int r;

	*out = NULL;
	if (webshell_find_rules(rules, sizeof(rules)) != VG_OK) {
		snprintf(err, err_size, "webshell rules not found (set $VIGIL_WEBSHELL_RULES)");
		return VG_ERR_CONFIG;
	}
	if (webshell_scanner_new(rules, lg, &ws, err, err_size) != VG_OK)
		return VG_ERR_CONFIG;
	r = VG_ERR_IO;
	if (protect_open(cfg, lg, &p) != VG_OK) {
		snprintf(err, err_size, "cannot open web roots");
		goto fail;
	}
	for (size_t i = 0; i < p->n_roots; i++)
		if (protect_load_baseline(p, &p->roots[i], err, err_size) != VG_OK) {
			r = VG_ERR_CONFIG;
			goto fail;
		}
	struct webroot_opts o = {
		.p = p,
		.debounce_ms = (int)cfg->protect.debounce_ms,
		.scan_interval_s = (int)cfg->protect.scan_interval,
		.alerts = al,
		.ws = ws,
		.vault = cfg->protect.quarantine_dir,
		.log = lg,
	};
	if (webroot_new(&o, out) != VG_OK) {
		snprintf(err, err_size, "cannot watch the web roots");
		goto fail;
	}
	(*out)->own_p = (*out)->own_ws = true;
	return VG_OK;
fail:
	protect_free(p);
	webshell_scanner_free(ws);
	return r;
}

size_t
webroot_count(const struct webroot *w)
{
	return w->p->n_roots;
}

const struct protect *
webroot_protect(const struct webroot *w)
{
	return w->p;
}

void
webroot_get_stats(const struct webroot *w, struct fimwatch_stats *out)
{
	fimwatch_get_stats(w->fw, out);
}

static int
webroot_fd(const void *st)
{
	return fimwatch_fd(((const struct webroot *)st)->fw);
}

static int
webroot_fd2(const void *st)
{
	return fimwatch_hash_fd(((const struct webroot *)st)->fw);
}

static int
webroot_read(void *st, bool ready, bool poll, source_line_fn fn, void *arg)
{
	struct webroot *w = st;
	(void)fn;
	(void)arg;
	/* Web-root changes: restore, quarantine and their alerts share the round. */
	if ((ready ? fimwatch_process(w->fw) : fimwatch_tick(w->fw, loop_now_ms())) != VG_OK)
		return VG_ERR_IO;
	if (poll)
		fimagg_expire(w->agg, vg_now_us());
	return VG_OK;
}

static int
webroot_timeout(const void *st)
{
	return fimwatch_timeout_ms(((const struct webroot *)st)->fw, loop_now_ms());
}

const struct source_ops source_webroot = {
	.name = "web-root watcher",
	.fd = webroot_fd,
	.fd2 = webroot_fd2,
	.read = webroot_read,
	.timeout_ms = webroot_timeout,
};
