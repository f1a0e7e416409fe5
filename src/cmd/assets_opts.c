/* `vigil assets` options: the getopt table and what each option sets in the
 * command's environment (struct assets_env). */
#include "cmd/assets.h"
#include "core/buf.h"
#include "core/err.h"

#include <getopt.h>
#include <string.h>

static int
option(struct assets_env *e, int c, const char *v)
{
	long long *num = c == 'p' ? &e->filter.port : &e->filter.min_risk;

	switch (c) {
	case 'c': e->filter.cls = v; break;
	case 'S': e->filter.shadow = true; break;
	case 's': e->filter.stale = true; break;
	case 'd': e->filter.declared = true; break;
	case 'v': e->filter.service = v; break;
	case 'f': e->format = v; break;
	case 'R': e->rules = v; break;
	case 'X': e->replace = true; break;
	case 'P': e->spec = v; break;
	case 'b': e->by = v; break;
	case 'o': e->once = true; break;
	case 'B': e->rebaseline = true; break;
	case 'p':
	case 'r':
		if (vg_parse_ll(v, c == 'p' ? 1 : 0, c == 'p' ? 65535 : 100, num) != VG_OK)
			return cmd_usage_error(&cmd_assets, "bad --%s '%s'",
			    c == 'p' ? "port" : "min-risk", v);
		break;
	default: return VG_EXIT_USAGE;
	}
	return VG_EXIT_OK;
}

int
assets_parse(struct assets_env *e, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "class", required_argument, NULL, 'c' }, { "shadow", no_argument, NULL, 'S' },
		{ "stale", no_argument, NULL, 's' }, { "declared", no_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' }, { "service", required_argument, NULL, 'v' },
		{ "min-risk", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' }, { "rules", required_argument, NULL, 'R' },
		{ "replace", no_argument, NULL, 'X' }, { "spec", required_argument, NULL, 'P' },
		{ "by", required_argument, NULL, 'b' }, { "once", no_argument, NULL, 'o' },
		{ "rebaseline", no_argument, NULL, 'B' }, { NULL, 0, NULL, 0 },
	};
	int c, ret;

	optind = 0;
	while ((c = cmd_getopt(&cmd_assets, argc, argv, ":", longopts)) != -1)
		if (c == 0 || (ret = option(e, c, optarg)) != VG_EXIT_OK)
			return c == 0 ? VG_EXIT_USAGE : ret;
	if (e->format && strcmp(e->format, "table") != 0 && strcmp(e->format, "csv") != 0 &&
	    strcmp(e->format, "json") != 0)
		return cmd_usage_error(&cmd_assets, "bad --format '%s' (table, csv, json)", e->format);
	return VG_EXIT_OK;
}
