/* `vigil assess tls HOST:PORT...`: options and printing; the checks live in
 * assess/tls_check.c. */
#include "assess/tls.h"
#include "cmd/assess_sub.h"
#include "cmd/cases_cmd.h"
#include "core/buf.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char cmd_assess_tls_help[] =
    "usage: vigil assess tls [--check ID] [--timeout DUR] [--expiry-days N] [--internal]\n"
    "                        [--by WHO] HOST:PORT...|--assets\n"
    "  Handshakes with each service (port 443 when none is given): old protocols\n"
    "  accepted (SSLv3 where this OpenSSL can still offer it, TLS 1.0, TLS 1.1), weak\n"
    "  ciphers accepted, the certificate expired, not yet valid, expiring soon, not\n"
    "  matching the host name, self-signed. Checks: tls-sslv3 tls-tls10 tls-tls11\n"
    "  tls-weak-cipher tls-cert-expired tls-cert-not-yet-valid tls-cert-expiring\n"
    "  tls-hostname-mismatch tls-self-signed.\n"
    "  --assets           the TLS services of the declared assets in the register; a\n"
    "                     service whose asset is marked not internet-facing counts as\n"
    "                     --internal (so does an explicit HOST the register marks so)\n"
    "  --check ID         run only this check\n"
    "  --timeout DUR      per connection (default 5s)\n"
    "  --expiry-days N    'expiring soon' below N days (default 30)\n"
    "  --internal         the service is not internet-facing: a self-signed\n"
    "                     certificate is not a finding\n"
    "  --by WHO           who ran it, for the items' history (default the login name)\n"
    "  Each finding becomes an item of the rectification list; `vigil assess recheck\n"
    "  ID` runs the same check against the same service again.\n"
    "  Exit: 0 nothing found, 1 findings, 2 usage, 3 a service could not be checked.\n";

static const struct cmd_ops tls_cmd = { .name = "assess tls", .help = cmd_assess_tls_help };

int
cmd_assess_tls(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "expiry-days", required_argument, NULL, 'e' },
		{ "internal", no_argument, NULL, 'i' },
		{ "by", required_argument, NULL, 'b' },
		{ "assets", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	struct wc_target *tg = NULL;
	size_t ntg = 0;
	bool assets = false;
	struct cases_cmd cc = { 0 };
	const char *by = NULL;
	char host[256], port[16];
	struct tls_opts o = { 0 };
	struct wc_printer pr = { .ctx = ctx };
	long long n;
	int c, ret = VG_EXIT_OK, rc;

	if (cmd_wants_help(argc, argv)) {
		fputs(cmd_assess_tls_help, stdout);
		return VG_EXIT_OK;
	}
	optind = 0;
	while ((c = cmd_getopt(&tls_cmd, argc, argv, ":", longopts)) > 0) {
		switch (c) {
		case 'c': o.only = optarg; break;
		case 'i': o.internal = true; break;
		case 'b': by = optarg; break;
		case 'A': assets = true; break;
		case 'w':
			if (vg_parse_duration(optarg, &n) != VG_OK || n < 1 || n > 600)
				return cmd_usage_error(&tls_cmd, "--timeout: expected 1s..10m, got '%s'",
				    optarg);
			o.timeout_ms = (long)n * 1000;
			break;
		case 'e':
			if (vg_parse_ll(optarg, 1, 3650, &n) != VG_OK)
				return cmd_usage_error(&tls_cmd, "--expiry-days: expected 1..3650, "
				    "got '%s'", optarg);
			o.expiry_days = (int)n;
			break;
		}
	}
	if (c == 0)
		return VG_EXIT_USAGE;
	if ((optind >= argc) == !assets)
		return cmd_usage_error(&tls_cmd, "which services? give HOST:PORT or --assets "
		    "(not both)");
	for (int i = optind; i < argc; i++)
		if (tls_parse_target(argv[i], host, sizeof(host), port, sizeof(port)) != VG_OK)
			return cmd_usage_error(&tls_cmd, "'%s' is not HOST:PORT", argv[i]);
	if ((ret = cases_cmd_open(ctx, "assess tls", &cc)) != VG_EXIT_OK) {
		cases_cmd_close(&cc);
		return ret;
	}
	pr.st = cc.st;
	pr.actor = cases_cmd_actor(by);
	if ((ret = cmd_assess_targets(cc.st, true, assets, argc - optind, argv + optind, &tg,
		 &ntg)) != VG_EXIT_OK)
		goto out;
	for (size_t i = 0; i < ntg; i++) {
		struct tls_opts to = o;
		struct tls_stats st;
		const char *t = tg[i].target;
		char why[512] = "";
		bool internal = tg[i].internal;

		/* the register may know the host as internal (not internet-facing) */
		if (!internal && tls_parse_target(t, host, sizeof(host), port, sizeof(port)) == 0 &&
		    webcheck_asset_internal(cc.st, host, &internal) != VG_OK)
			internal = false;
		to.internal = o.internal || internal;
		rc = tls_check_target(t, tg[i].asset_id, &to, cmd_assess_print_finding, &pr, &st, why,
		    sizeof(why));
		if (rc == VG_ERR_STORE || rc == VG_ERR_NOMEM || rc == VG_ERR_INVAL) {
			ret = rc == VG_ERR_INVAL ? VG_EXIT_USAGE : VG_EXIT_RUNTIME;
			break;
		}
		if (rc) {
			cmd_eprintf("vigil assess tls: %s: not checked: %s", t,
			    why[0] ? why : vg_strerror(rc));
			ret = VG_EXIT_RUNTIME;
			continue;
		}
		if (!ctx->json)
			cmd_eprintf("tls %s: %s %s, certificate valid until %s; %zu handshakes, %zu "
			    "probes this OpenSSL cannot offer", t, st.protocol, st.cipher,
			    st.not_after[0] ? st.not_after : "(none)", st.handshakes, st.untested);
	}
out:
	webcheck_targets_free(tg, ntg);
	cases_cmd_close(&cc);
	if (ret == VG_EXIT_OK && pr.count)
		ret = VG_EXIT_FOUND;
	return ret;
}
