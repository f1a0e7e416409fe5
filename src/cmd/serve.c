/* `vigil serve`: the duty team's web console on its own (vigil watch serves it too
 * when console.enabled). Options, then src/web does the work. */
#include "cmd/cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/loop.h"
#include "core/store.h"
#include "web/web.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>

extern const struct cmd_ops cmd_serve;

static int
write_ready(const char *path, const struct web *w)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return VG_ERR_IO;
	fprintf(f, "%s://127.0.0.1:%u/\n%u\n", web_scheme(w), web_port(w), web_port(w));
	return fclose(f) == 0 ? VG_OK : VG_ERR_IO;
}

struct serve_opts {
	const char *listen, *port, *ready;
};

static int
set_opt(void *arg, int val, const char *value)
{
	struct serve_opts *o = arg;
	if (val == 'l')
		o->listen = value;
	else if (val == 'p')
		o->port = value;
	else
		o->ready = value;
	return VG_EXIT_OK;
}

static void
on_stop(struct loop *l, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	loop_stop(l);
}

static int
run(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct serve_opts o = { 0 };
	const char *listen_opt, *port_opt, *ready;
	struct vg_config *cfg = NULL;
	struct vg_store *st = NULL;
	struct web *w = NULL;
	char err[512];
	struct loop *l = NULL;
	int r, ret;
	long long port;

	if ((ret = cmd_parse_options(&cmd_serve, argc, argv, opts, set_opt, &o)) != VG_EXIT_OK)
		return ret;
	listen_opt = o.listen;
	port_opt = o.port;
	ready = o.ready;
	if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
		return ret;
	if (listen_opt) {
		char *dup = strdup(listen_opt);
		if (!dup) {
			ret = VG_EXIT_RUNTIME;
			goto out;
		}
		free(cfg->console.listen);
		cfg->console.listen = dup;
	}
	if (port_opt) {
		if (vg_parse_ll(port_opt, 0, 65535, &port) != VG_OK) {
			ret = cmd_usage_error(&cmd_serve, "--port: expected 0..65535");
			goto out;
		}
		cfg->console.port = port;
	}
	r = store_open(cfg->store.backend, cfg->store.path, &ctx->log, &st, err, sizeof(err));
	if (r != VG_OK) {
		cmd_eprintf("vigil serve: %s\n", err[0] ? err : vg_strerror(r));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (loop_new(&l) != VG_OK || loop_add_signal(l, SIGINT, on_stop, NULL) != VG_OK ||
	    loop_add_signal(l, SIGTERM, on_stop, NULL) != VG_OK) {
		cmd_eprintf("vigil serve: cannot set up the event loop: %s\n", strerror(errno));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	r = web_open(cfg, st, &ctx->log, &w, err, sizeof(err));
	if (r != VG_OK) {
		cmd_eprintf("vigil serve: %s\n", err[0] ? err : vg_strerror(r));
		ret = r == VG_ERR_CONFIG ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
		goto out;
	}
	vg_info(&ctx->log, "console listening on %s://%s:%u/", web_scheme(w),
	    cfg->console.listen, web_port(w));
	if (ready && write_ready(ready, w) != VG_OK)
		vg_warn(&ctx->log, "serve: cannot write %s: %s", ready, strerror(errno));
	if ((r = web_attach(w, l)) != VG_OK) {
		cmd_eprintf("vigil serve: %s\n", vg_strerror(r));
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	ret = loop_run(l) == VG_OK ? VG_EXIT_OK : VG_EXIT_RUNTIME;
out:
	web_close(w);
	loop_free(l);
	store_close(st);
	vg_config_free(cfg);
	return ret;
}

const struct cmd_ops cmd_serve = {
	.name = "serve",
	.summary = "the duty team's web console (overview, live alerts, wall screen)",
	.help =
	    "usage: vigil serve [--listen ADDR] [--port N] [--ready-file FILE]\n"
	    "\n"
	    "Serves the web console and its JSON API (docs/api.md) on console.listen and\n"
	    "console.port (127.0.0.1:8470 by default; --listen/--port override them, port 0\n"
	    "picks a free port). HTTPS when console.tls_cert and console.tls_key are set.\n"
	    "Users are managed with `vigil user`; without any, nobody can log in.\n"
	    "Pages: / (overview, live feed, incidents, notices, duty roster, audit log)\n"
	    "and /wall (the duty room's wall screen). --ready-file FILE is written once\n"
	    "listening: the URL, then the port.\n"
	    "Runs until SIGINT or SIGTERM.\n"
	    "\n"
	    "exit: 0 stopped by a signal, 2 usage/config error, 3 cannot listen or open the\n"
	    "store.\n",
	.run = run,
};
