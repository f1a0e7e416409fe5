/* Connection observations: who talks to whom, read from `ss -tnp` (or `ss -tn`)
 * snapshots and `conntrack -L` dumps taken on the organisation's hosts, kept in
 * asset_links for the springboard class. */
#ifndef VG_INV_IMPORT_OBS_H
#define VG_INV_IMPORT_OBS_H

#include <stdio.h>

struct vg_store;
struct vg_buf;

/* One connection, oriented from the side that opened it to the service. */
struct obs_link {
	char src[64], dst[64];
	int dport;
	char proto[8];
	char process[64];	/* ss -p process name, escaped; "" when not given */
};

/* Parses one line of ss or conntrack output. 0 with *out set; VG_ERR_NOTFOUND
 * for a line that holds no connection (headers, LISTEN sockets, loopback to
 * itself, ICMP); VG_ERR_PARSE for a line that looks like neither format. */
int import_obs_line(const char *line, struct obs_link *out);

struct obs_result {
	size_t lines, links, skipped;
};

/* Reads every line of f (name for messages) and records the links (count and
 * last seen per (src, dst, port, proto)) in one transaction (the caller must not
 * hold one). Unparseable lines are errors: "name:line: message" lines in errs
 * and nothing is stored (VG_ERR_PARSE). 0 or VG_ERR_*. */
int import_obs_file(struct vg_store *st, FILE *f, const char *name, struct vg_buf *errs,
    struct obs_result *res);

/* import_obs_file on a path ("-" is stdin); a file that cannot be opened is
 * VG_ERR_IO with a line in errs. */
int import_obs_path(struct vg_store *st, const char *path, struct vg_buf *errs,
    struct obs_result *res);

#endif
