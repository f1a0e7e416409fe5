/* `vigil discover` arguments: targets, exclusions, ports and engine settings, each
 * bad value named. */
#include "cmd/discover.h"
#include "core/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const struct option opts[] = {
	{ "ports", required_argument, NULL, 'p' },
	{ "top-ports", required_argument, NULL, 'T' },
	{ "targets-file", required_argument, NULL, 'i' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "exclude-file", required_argument, NULL, 'X' },
	{ "engine", required_argument, NULL, 'e' },
	{ "rate", required_argument, NULL, 'r' },
	{ "max-inflight", required_argument, NULL, 'm' },
	{ "retries", required_argument, NULL, 'R' },
	{ "timeout", required_argument, NULL, 't' },
	{ "greet-wait", required_argument, NULL, 'g' },
	{ "probes", required_argument, NULL, 'P' },
	{ "seed", required_argument, NULL, 's' },
	{ "no-ping", no_argument, NULL, 'n' },
	{ "no-identify", no_argument, NULL, 'N' },
	{ "no-http-extras", no_argument, NULL, 'H' },
	{ "all", no_argument, NULL, 'a' },
	{ "yes", no_argument, NULL, 'y' },
	{ "no-progress", no_argument, NULL, 'q' },
	{ "store", required_argument, NULL, 'S' },
	{ "no-store", no_argument, NULL, 'D' },
	{ NULL, 0, NULL, 0 },
};

static int
num(const char *opt, const char *v, long long min, long long max, long long *out)
{
	if (vg_parse_ll(v, min, max, out) != VG_OK)
		return cmd_usage_error(&cmd_discover, "%s needs a number in %lld..%lld", opt, min,
		    max);
	return VG_EXIT_OK;
}

static int
target_error(struct dargs *a, int rc)
{
	cmd_eprintf("vigil discover: %s", a->err);
	return rc == VG_ERR_NOMEM || rc == VG_ERR_IO ? (rc == VG_ERR_IO ? VG_EXIT_USAGE :
	    VG_EXIT_RUNTIME) : VG_EXIT_USAGE;
}

int
dcmd_parse_args(int argc, char **argv, struct dargs *a)
{
	int c, rc;
	char where[32];

	optind = 0;
	while ((c = cmd_getopt(&cmd_discover, argc, argv, ":p:", opts)) != -1) {
		switch (c) {
		case 0:
			return VG_EXIT_USAGE;
		case ':':
			return cmd_usage_error(&cmd_discover, "%s needs a value", argv[optind - 1]);
		case 'p':
			a->port_spec = optarg;
			vg_buf_putf(a->spec, " -p %s", optarg);
			break;
		case 'T':
			if ((rc = num("--top-ports", optarg, 1, 65535, &a->top)) != VG_EXIT_OK)
				return rc;
			vg_buf_putf(a->spec, " --top-ports %s", optarg);
			break;
		case 'i':
		case 'X':
			if ((rc = target_add_file(a->ts, optarg, c == 'X', a->err, sizeof(a->err))) !=
			    VG_OK)
				return target_error(a, rc);
			a->have_targets |= c == 'i';
			vg_buf_putf(a->spec, " %s %s", c == 'i' ? "--targets-file" : "--exclude-file",
			    optarg);
			break;
		case 'x':
			if ((rc = target_exclude(a->ts, optarg, "--exclude", a->err,
			    sizeof(a->err))) != VG_OK)
				return target_error(a, rc);
			vg_buf_putf(a->spec, " --exclude %s", optarg);
			break;
		case 'e':
			if (strcmp(optarg, "connect") == 0)
				a->engine = ENGINE_CONNECT;
			else if (strcmp(optarg, "syn") == 0)
				a->engine = ENGINE_SYN;
			else if (strcmp(optarg, "auto") == 0)
				a->engine = ENGINE_AUTO;
			else
				return cmd_usage_error(&cmd_discover, "--engine is connect, syn or auto");
			break;
		case 'r':
			if ((rc = num("--rate", optarg, 1, 10000000, &a->rate)) != VG_EXIT_OK)
				return rc;
			break;
		case 'm':
			if ((rc = num("--max-inflight", optarg, 1, 65536, &a->inflight)) != VG_EXIT_OK)
				return rc;
			break;
		case 'R':
			if ((rc = num("--retries", optarg, 0, 10, &a->retries)) != VG_EXIT_OK)
				return rc;
			break;
		case 't':
			if ((rc = num("--timeout", optarg, 1, 60000, &a->timeout_ms)) != VG_EXIT_OK)
				return rc;
			break;
		case 'g':
			if ((rc = num("--greet-wait", optarg, 1, 60000, &a->greet_ms)) != VG_EXIT_OK)
				return rc;
			break;
		case 's':
			if ((rc = num("--seed", optarg, 1, (long long)(~0ull >> 1), &a->seed)) !=
			    VG_EXIT_OK)
				return rc;
			break;
		case 'P': a->probes = optarg; break;
		case 'n': a->no_ping = true; break;
		case 'N': a->no_identify = true; break;
		case 'H': a->no_extras = true; break;
		case 'a': a->all = true; break;
		case 'y': a->yes = true; break;
		case 'q': a->no_progress = true; break;
		case 'S': a->store = optarg; break;
		case 'D': a->no_store = true; break;
		}
	}
	for (int i = optind; i < argc; i++) {
		snprintf(where, sizeof(where), "argument %d", i - optind + 1);
		if ((rc = target_add(a->ts, argv[i], where, a->err, sizeof(a->err))) != VG_OK)
			return target_error(a, rc);
		a->have_targets = true;
		vg_buf_putf(a->spec, " %s", argv[i]);
	}
	if (!a->have_targets)
		return cmd_usage_error(&cmd_discover, "no targets: name addresses, ranges, "
		    "networks or hosts (or --targets-file); vigil scans only what it is told to");
	return VG_EXIT_OK;
}
