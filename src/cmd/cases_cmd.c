/* Shared plumbing of the workflow commands: store + cases handle + outbox. */
#include "cmd/cases_cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "notify/notify.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
cases_cmd_open(struct vg_ctx *ctx, const char *name, struct cases_cmd *cc)
{
	char err[512];
	int ret, r;

	memset(cc, 0, sizeof(*cc));
	if ((ret = cmd_load_config(ctx, &cc->cfg)) != VG_EXIT_OK)
		return ret;
	if ((r = notify_config_check(cc->cfg, err, sizeof(err))) != VG_OK) {
		cmd_eprintf("vigil %s: %s\n", name, err);
		return VG_EXIT_USAGE;
	}
	r = store_open(cc->cfg->store.backend, cc->cfg->store.path, &ctx->log, &cc->st, err,
	    sizeof(err));
	if (r != VG_OK) {
		cmd_eprintf("vigil %s: %s\n", name, err[0] ? err : vg_strerror(r));
		return r == VG_ERR_INVAL ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
	}
	if ((r = cases_open(cc->st, cc->cfg, &ctx->log, &cc->cs)) != VG_OK ||
	    (r = notify_open(cc->st, cc->cfg, &ctx->log, &cc->nt)) != VG_OK) {
		cmd_eprintf("vigil %s: %s\n", name, vg_strerror(r));
		return VG_EXIT_RUNTIME;
	}
	cases_set_notify(cc->cs, notify_cases_hook, cc->nt);
	return VG_EXIT_OK;
}

void
cases_cmd_close(struct cases_cmd *cc)
{
	cases_close(cc->cs);
	notify_close(cc->nt);
	store_close(cc->st);
	vg_config_free(cc->cfg);
	memset(cc, 0, sizeof(*cc));
}

const char *
cases_cmd_actor(const char *by)
{
	const char *s;
	struct passwd *pw;

	if (by && *by)
		return by;
	if ((s = getenv("SUDO_USER")) && *s)
		return s;
	if ((pw = getpwuid(getuid())) && pw->pw_name)
		return pw->pw_name;
	return "unknown";
}

int
cases_cmd_id(const char *s, int64_t *id)
{
	long long v;

	if (!s || vg_parse_ll(s, 1, INT64_MAX, &v) != VG_OK)
		return VG_ERR_PARSE;
	*id = v;
	return VG_OK;
}

void
cases_cmd_print_json(const json_t *j)
{
	cmd_print_json(j);
}

/* Through the one sanitiser (core/esc), as every other command prints outside text. */
void
cases_cmd_puts(FILE *f, const char *s)
{
	if (!s)
		fputc('-', f);
	else
		vg_esc_fwrite(f, s, strlen(s));
}

const char *
cases_cmd_str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "-";
}

int
cases_cmd_fail(const char *name, const char *what, int r)
{
	cmd_eprintf("vigil %s: %s: %s\n", name, what,
	    r == VG_ERR_INVAL ? "not allowed in this state, or a required option is missing"
			      : vg_strerror(r));
	if (r == VG_ERR_NOTFOUND || r == VG_ERR_INVAL || r == VG_ERR_PARSE)
		return VG_EXIT_USAGE;
	return VG_EXIT_RUNTIME;
}
