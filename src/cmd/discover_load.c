/* What `vigil discover`'s arguments select from the shipped data: the port list
 * (-p, --top-ports from rules/inventory/top-ports.txt) and the probe database. */
#include "cmd/discover.h"
#include "core/err.h"
#include "core/paths.h"

#include <stdio.h>

int
dcmd_load_ports(struct dargs *a)
{
	char dir[4096], path[4200];
	size_t got;
	int rc;

	if (a->port_spec) {
		if (target_parse_ports(a->port_spec, &a->ports, a->err, sizeof(a->err)) != VG_OK) {
			cmd_eprintf("vigil discover: -p: %s", a->err);
			return VG_EXIT_USAGE;
		}
		if (!a->top)
			return VG_EXIT_OK;
	}
	if (vg_find_data_dir("rules/inventory", dir, sizeof(dir)) != VG_OK) {
		fprintf(stderr, "vigil discover: rules/inventory (the top-ports list) not found\n");
		return VG_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/top-ports.txt", dir);
	struct port_list top;
	if ((rc = target_top_ports(path, a->top ? (size_t)a->top : 65535, &top, &got, a->err,
	    sizeof(a->err))) != VG_OK) {
		cmd_eprintf("vigil discover: %s", a->err);
		return VG_EXIT_USAGE;
	}
	if (a->top && got < (size_t)a->top)
		fprintf(stderr, "vigil discover: the top-ports list has %zu ports; scanning those\n",
		    got);
	rc = target_ports_merge(&a->ports, &top);
	target_ports_free(&top);
	return rc == VG_OK ? VG_EXIT_OK : VG_EXIT_RUNTIME;
}

int
dcmd_load_probes(struct dargs *a, struct probe_db **db)
{
	char dir[4096];
	const char *path = a->probes;

	if (!path) {
		if (vg_find_data_dir("rules/inventory", dir, sizeof(dir)) != VG_OK) {
			fprintf(stderr, "vigil discover: rules/inventory (the probes) not found; "
			    "use --probes PATH\n");
			return VG_EXIT_USAGE;
		}
		path = dir;
	}
	if (probe_db_new(db) != VG_OK)
		return VG_EXIT_RUNTIME;
	if (probe_db_load(*db, path, a->err, sizeof(a->err)) != VG_OK) {
		cmd_eprintf("vigil discover: probes: %s", a->err);
		return VG_EXIT_USAGE;
	}
	return VG_EXIT_OK;
}
