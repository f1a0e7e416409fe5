/* `vigil user add|passwd|role|del|list`: the console's accounts. A password is
 * generated (and printed once) unless --password-stdin gives one. */
#include "cmd/user.h"
#include "core/err.h"
#include "core/store.h"
#include "web/auth.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if ((ret = cmd_open_store(ctx, "user", &cfg, &st)) != VG_EXIT_OK)
		goto out;
	if ((r = wdb_open(st, &db)) != VG_OK) {
		cmd_eprintf("vigil user: store: %s\n", vg_strerror(r));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	ret = user_act(ctx, db, &o);
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
