/* `vigil rules ioc [FILE...] [--lookup VALUE]`: loads IOC lists the way `watch`
 * will and reports counts and bad lines (part of the rules command). */
#include "cmd/cmd.h"
#include "core/err.h"
#include "monitor/ioc.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

extern const struct cmd_ops cmd_rules;

int
cmd_rules_ioc(struct vg_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "lookup", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 } };
	struct vg_config *cfg = NULL;
	struct ioc_set *set = NULL;
	const char *lookup = NULL;
	const char *const *files;
	size_t nfiles;
	int ret = VG_EXIT_OK, c;
	bool bad = false;

	optind = 0;	/* glibc: full re-initialisation */
	while ((c = cmd_getopt(&cmd_rules, argc, argv, ":", opts)) != -1) {
		if (c != 'l')
			return VG_EXIT_USAGE;
		lookup = optarg;
	}
	files = (const char *const *)argv + optind;
	nfiles = (size_t)(argc - optind);
	if (nfiles == 0) {
		if ((ret = cmd_load_config(ctx, &cfg)) != VG_EXIT_OK)
			return ret;
		files = (const char *const *)cfg->monitor.ioc_files.items;
		nfiles = cfg->monitor.ioc_files.n;
		if (nfiles == 0) {
			fprintf(stderr, "vigil rules ioc: no FILE given and no monitor.ioc_files "
			    "configured\n");
			ret = VG_EXIT_USAGE;
			goto out;
		}
	}
	if (ioc_set_new(&set) != VG_OK || ioc_load_files(set, files, nfiles, stdout, stderr,
	    &bad) != VG_OK) {
		ret = VG_EXIT_RUNTIME;
		goto out;
	}
	if (lookup) {
		bool hit = ioc_match_ip(set, lookup, NULL) ||
		    ioc_match_domain(set, lookup, strlen(lookup), NULL);
		printf("%s: %s\n", lookup, hit ? "listed" : "not listed");
		if (hit && !bad)
			ret = VG_EXIT_FOUND;
	}
	if (bad)
		ret = VG_EXIT_USAGE;
out:
	ioc_set_free(set);
	vg_config_free(cfg);
	return ret;
}

