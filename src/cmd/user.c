/* `vigil user add|passwd|role|del|list`: the console's accounts. A password is
 * generated (and printed once) unless --password-stdin gives one. */
#include "cmd/cmd.h"
#include "core/err.h"
#include "core/store.h"
#include "web/auth.h"
#include "web/wdb.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct cmd_ops cmd_user;

struct uopts {
	const char *verb, *name, *role;
	bool password_stdin;
};

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

static int
act(struct vg_ctx *ctx, struct wdb *db, const struct uopts *o)
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

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "password-stdin", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const verbs[] = { "add", "passwd", "role", "del", "list", NULL };
	struct uopts o = { 0 };
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	struct wdb *db = NULL;
	char err[512];
	int c, r, ret;
	bool known = false;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o.role = optarg; break;
		case 's': o.password_stdin = true; break;
		case ':': return cmd_usage_error(&cmd_user, "%s needs a value", argv[optind - 1]);
		default: return cmd_usage_error(&cmd_user, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o.verb = argv[optind++];
	for (size_t i = 0; o.verb && verbs[i]; i++)
		known |= strcmp(o.verb, verbs[i]) == 0;
	if (!known)
		return cmd_usage_error(&cmd_user, "expected add, passwd, role, del or list");
	if (strcmp(o.verb, "list") != 0) {
		if (optind >= argc)
			return cmd_usage_error(&cmd_user, "%s needs a user name", o.verb);
		o.name = argv[optind++];
		if (!auth_valid_user(o.name))
			return cmd_usage_error(&cmd_user, "user names are 1-64 of A-Z a-z 0-9 . _ -");
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_user, "unexpected argument '%s'", argv[optind]);
	if (auth_init() != VG_OK)
		return VG_EXIT_RUNTIME;
	if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
		return ret;
	r = store_open(cfg->store.backend, cfg->store.path, &ctx->log, &st, err, sizeof(err));
	if (r != VG_OK) {
		cmd_eprintf("vigil user: %s\n", err[0] ? err : vg_strerror(r));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if ((r = wdb_open(st, &db)) != VG_OK) {
		cmd_eprintf("vigil user: store: %s\n", vg_strerror(r));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	ret = act(ctx, db, &o);
out:
	wdb_close(db);
	store_close(st);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_user = {
	.name = "user",
	.summary = "manage the web console's users (admin, analyst, viewer)",
	.help =
	    "usage: vigil user add NAME [--role admin|analyst|viewer] [--password-stdin]\n"
	    "       vigil user passwd NAME [--password-stdin]\n"
	    "       vigil user role NAME --role ROLE\n"
	    "       vigil user del NAME\n"
	    "       vigil user list [--json]\n"
	    "\n"
	    "Console accounts live in the store. add and passwd generate a random password\n"
	    "and print it once (only its argon2id hash is kept), unless --password-stdin\n"
	    "reads one line (10 to 1024 characters) from stdin. The default role is viewer:\n"
	    "viewers read, analysts also act on incidents and read the audit log, admins\n"
	    "also manage users. passwd and del end the user's sessions. Every change is\n"
	    "written to the audit log.\n"
	    "\n"
	    "exit: 0 ok, 2 usage error or unknown user, 3 store error.\n",
	.run = run,
};
