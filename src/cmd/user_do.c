/* `vigil user` actions on the console's accounts, each audited; a new password is
 * generated and shown once unless --password-stdin gives one. */
#include "cmd/user.h"
#include "core/err.h"
#include "web/auth.h"

#include <stdio.h>
#include <string.h>

/* Reads one line from stdin into pw (newline removed). */
static int
read_password(char pw[1026])
{
	size_t n;
	if (!fgets(pw, 1026, stdin))
		return VG_ERR_IO;
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
	return auth_valid_password(pw) ? VG_OK : VG_ERR_INVAL;
}

/* The password to set: from stdin, or generated and printed. */
static int
new_password(const struct uopts *o, char out[AUTH_HASH_MAX], char shown[1026])
{
	int r;
	if (o->password_stdin) {
		if ((r = read_password(shown)) != VG_OK) {
			cmd_eprintf("vigil user: password must be %d to 1024 characters\n",
			    AUTH_PASSWORD_MIN);
			return r;
		}
	} else {
		auth_gen_password(shown);
	}
	return auth_hash_password(shown, out);
}

static void
audit(struct vg_store *st, const char *action, const char *name)
{
	char detail[128];
	snprintf(detail, sizeof(detail), "user=%s", name);
	store_audit(st, "cli", action, detail);
}

int
user_act(struct vg_ctx *ctx, struct wdb *db, const struct uopts *o)
{
	char hash[AUTH_HASH_MAX], pw[1026] = "";
	enum web_role role = WEB_ROLE_VIEWER;
	struct vg_store *st = wdb_store(db);
	json_t *list = NULL;
	int r;

	if (o->role && web_role_parse(o->role, &role) != VG_OK)
		return cmd_usage_error(&cmd_user, "--role: expected admin, analyst or viewer");
	if (strcmp(o->verb, "list") == 0) {
		size_t i;
		json_t *u;
		if ((r = wdb_user_list(db, &list)) != VG_OK)
			goto fail;
		if (ctx->json) {
			json_dumpf(list, stdout, JSON_COMPACT);
			fputc('\n', stdout);
		} else {
			json_array_foreach(list, i, u)
				printf("%-24s %-8s %s\n", json_string_value(json_object_get(u, "name")),
				    json_string_value(json_object_get(u, "role")),
				    json_string_value(json_object_get(u, "created_at")));
		}
		json_decref(list);
		return VG_EXIT_OK;
	}
	if (strcmp(o->verb, "add") == 0 || strcmp(o->verb, "passwd") == 0) {
		bool add = o->verb[0] == 'a';
		if ((r = new_password(o, hash, pw)) != VG_OK)
			return r == VG_ERR_INVAL ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
		if (add)
			r = wdb_user_add(db, o->name, role, hash);
		else if ((r = wdb_user_set_password(db, o->name, hash)) == VG_OK)
			r = wdb_session_del_user(db, o->name);
		if (r == VG_ERR_INVAL) {
			cmd_eprintf("vigil user: '%s' already exists\n", o->name);
			return VG_EXIT_USAGE;
		}
		if (r != VG_OK)
			goto fail;
		audit(st, add ? "user.add" : "user.passwd", o->name);
		if (!o->password_stdin) {
			/* Shown once: only its argon2id hash is kept. */
			if (ctx->json)
				printf("{\"user\":\"%s\",\"password\":\"%s\"}\n", o->name, pw);
			else
				printf("user %s %s; password (shown once): %s\n", o->name,
				    add ? "added" : "updated", pw);
		}
		memset(pw, 0, sizeof(pw));
		return VG_EXIT_OK;
	}
	if (strcmp(o->verb, "role") == 0) {
		if (!o->role)
			return cmd_usage_error(&cmd_user, "role needs --role");
		if ((r = wdb_user_set_role(db, o->name, role)) != VG_OK)
			goto fail;
		audit(st, "user.role", o->name);
		return VG_EXIT_OK;
	}
	if ((r = wdb_session_del_user(db, o->name)) != VG_OK ||
	    (r = wdb_user_del(db, o->name)) != VG_OK)
		goto fail;
	audit(st, "user.del", o->name);
	return VG_EXIT_OK;
fail:
	if (r == VG_ERR_NOTFOUND) {
		cmd_eprintf("vigil user: no user '%s'\n", o->name);
		return VG_EXIT_USAGE;
	}
	cmd_eprintf("vigil user: store: %s\n", store_errmsg(st));
	return VG_EXIT_RUNTIME;
}
