/* Reading ss and conntrack output (import_obs.h). Both print the connection's
 * two ends; which end opened it is told by conntrack's first tuple, and for ss by
 * the ports: the ephemeral one (Linux hands out 32768-60999) is the client's. */
#include "inventory/import_obs.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/event.h"
#include "core/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define OBS_LINE_MAX 8192
#define OBS_MAX_TOKENS 64

/* The side that opened a connection becomes an asset (undeclared, never scanned:
 * "observed"), so a springboard the inventory forgot is still listed. */
static const char SQL_LINK_ASSET[] =
    "INSERT INTO assets(address, declared, first_seen) VALUES($1, 0, $2)"
    " ON CONFLICT(address) DO NOTHING";
static const char SQL_LINK_ADD[] =
    "INSERT INTO asset_links(src, dst, dst_port, proto, process, source, count, first_seen,"
    " last_seen) VALUES($1, $2, $3, $4, $5, $6, 1, $7, $7)"
    " ON CONFLICT(src, dst, dst_port, proto) DO UPDATE SET count = count + 1,"
    " last_seen = excluded.last_seen, process = coalesce(excluded.process, process)";

/* Splits s (modified) on blanks into at most max tokens. */
static size_t
split(char *s, char **tok, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		s += strspn(s, " \t\r\n");
		if (!*s)
			break;
		tok[n++] = s;
		s += strcspn(s, " \t\r\n");
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* Canonical text of an address (brackets, zone and v4-mapped prefix removed);
 * false when it is not an IP literal. */
static bool
canon(const char *in, size_t len, char *out, size_t size)
{
	char tmp[64];
	unsigned char b[16];

	if (len && in[0] == '[' && in[len - 1] == ']') {
		in++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof(tmp))
		return false;
	memcpy(tmp, in, len);
	tmp[len] = '\0';
	char *pct = strchr(tmp, '%');
	if (pct)
		*pct = '\0';
	if (inet_pton(AF_INET, tmp, b) == 1)
		return inet_ntop(AF_INET, b, out, (socklen_t)size) != NULL;
	if (inet_pton(AF_INET6, tmp, b) != 1)
		return false;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (memcmp(b, mapped, 12) == 0)
		return inet_ntop(AF_INET, b + 12, out, (socklen_t)size) != NULL;
	return inet_ntop(AF_INET6, b, out, (socklen_t)size) != NULL;
}

/* "ADDR:PORT" as ss prints it; false for "*" ports or anything else. */
static bool
endpoint(const char *t, char *addr, size_t size, int *port)
{
	const char *colon = strrchr(t, ':');
	long long p;

	if (!colon || vg_parse_ll(colon + 1, 1, 65535, &p) != VG_OK)
		return false;
	*port = (int)p;
	return canon(t, (size_t)(colon - t), addr, size);
}

static bool
ephemeral(int port)
{
	return port >= 32768 && port <= 60999;
}

static int
parse_conntrack(char **tok, size_t n, struct obs_link *o)
{
	static const char *const protos[] = { "tcp", "udp", "sctp", "dccp", NULL };
	bool src = false, dst = false, dport = false;

	for (size_t i = 0; i < n && !o->proto[0]; i++)
		for (int p = 0; protos[p]; p++)
			if (strcmp(tok[i], protos[p]) == 0)
				vg_strlcpy(o->proto, protos[p], sizeof(o->proto));
	if (!o->proto[0])
		return VG_ERR_NOTFOUND;	/* icmp and friends have no service port */
	/* the first src/dst/dport are the original direction: who opened it */
	for (size_t i = 0; i < n; i++) {
		const char *t = tok[i];
		long long p;
		if (!src && strncmp(t, "src=", 4) == 0) {
			if (!(src = canon(t + 4, strlen(t + 4), o->src, sizeof(o->src))))
				return VG_ERR_PARSE;
		} else if (!dst && strncmp(t, "dst=", 4) == 0) {
			if (!(dst = canon(t + 4, strlen(t + 4), o->dst, sizeof(o->dst))))
				return VG_ERR_PARSE;
		} else if (!dport && strncmp(t, "dport=", 6) == 0) {
			if (vg_parse_ll(t + 6, 0, 65535, &p) != VG_OK)
				return VG_ERR_PARSE;
			o->dport = (int)p;
			dport = true;
		}
	}
	return src && dst && dport ? VG_OK : VG_ERR_PARSE;
}

static int
parse_ss(char **tok, size_t n, struct obs_link *o)
{
	char a[2][64];
	int port[2], found = 0;
	const char *proc = NULL;

	if (n && (strcmp(tok[0], "LISTEN") == 0 || strcmp(tok[0], "UNCONN") == 0 ||
	    strcmp(tok[0], "State") == 0 || strcmp(tok[0], "Recv-Q") == 0 ||
	    strcmp(tok[0], "Netid") == 0))
		return VG_ERR_NOTFOUND;
	for (size_t i = 0; i < n; i++) {
		if (found < 2 && endpoint(tok[i], a[found], sizeof(a[0]), &port[found]))
			found++;
		else if (strncmp(tok[i], "users:((\"", 9) == 0)
			proc = tok[i] + 9;
	}
	if (found < 2)
		return VG_ERR_PARSE;
	/* local is first; the end with the ephemeral port opened the connection */
	bool inbound = ephemeral(port[1]) && !ephemeral(port[0]) ? true
	    : ephemeral(port[0]) && !ephemeral(port[1])		      ? false
									      : port[0] < port[1];
	int s = inbound ? 1 : 0, d = inbound ? 0 : 1;
	vg_strlcpy(o->src, a[s], sizeof(o->src));
	vg_strlcpy(o->dst, a[d], sizeof(o->dst));
	o->dport = port[d];
	vg_strlcpy(o->proto, "tcp", sizeof(o->proto));
	if (proc) {
		const char *q = strchr(proc, '"');
		vg_esc(o->process, sizeof(o->process), proc, q ? (size_t)(q - proc) : strlen(proc));
	}
	return VG_OK;
}

int
import_obs_line(const char *line, struct obs_link *out)
{
	char buf[OBS_LINE_MAX], *tok[OBS_MAX_TOKENS];
	size_t n;
	int r;

	memset(out, 0, sizeof(*out));
	if (vg_strlcpy(buf, line, sizeof(buf)) != VG_OK)
		return VG_ERR_PARSE;
	if ((n = split(buf, tok, OBS_MAX_TOKENS)) == 0)
		return VG_ERR_NOTFOUND;
	r = strstr(line, "src=") ? parse_conntrack(tok, n, out) : parse_ss(tok, n, out);
	if (r == VG_OK && strcmp(out->src, out->dst) == 0)
		return VG_ERR_NOTFOUND;
	return r;
}

int
import_obs_file(struct vg_store *st, FILE *f, const char *name, struct vg_buf *errs,
    struct obs_result *res)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0, nerr = 0;
	ssize_t len;
	int64_t now = vg_now_us();
	struct obs_link o;
	int r;

	*res = (struct obs_result){ 0 };
	if ((r = store_begin(st)) != VG_OK)
		return r;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		res->lines++;
		r = len >= OBS_LINE_MAX ? VG_ERR_PARSE : import_obs_line(line, &o);
		if (r == VG_ERR_NOTFOUND) {
			res->skipped++;
			continue;
		}
		if (r != VG_OK) {
			if (++nerr <= 20)
				vg_buf_putf(errs, "%s:%zu: neither ss nor conntrack output%s\n", name,
				    lineno, len >= OBS_LINE_MAX ? " (line too long)" : "");
			continue;
		}
		struct store_val b[] = { SV_TEXT(o.src), SV_TEXT(o.dst), SV_INT(o.dport),
			SV_TEXT(o.proto), SV_TEXT(o.process[0] ? o.process : NULL),
			SV_TEXT(strstr(line, "src=") ? "conntrack" : "ss"), SV_INT(now) };
		struct store_val ba[] = { SV_TEXT(o.src), SV_INT(now) };
		if ((r = store_exec(st, SQL_LINK_ADD, b, 7, NULL, NULL)) != VG_OK ||
		    (r = store_exec(st, SQL_LINK_ASSET, ba, 2, NULL, NULL)) != VG_OK)
			goto fail;
		res->links++;
	}
	if (ferror(f)) {
		vg_buf_putf(errs, "%s: read error\n", name);
		r = VG_ERR_IO;
		goto fail;
	}
	if (nerr) {
		if (nerr > 20)
			vg_buf_putf(errs, "%s: %zu more lines not shown\n", name, nerr - 20);
		r = VG_ERR_PARSE;
		goto fail;
	}
	free(line);
	return store_commit(st);
fail:
	free(line);
	store_rollback(st);
	*res = (struct obs_result){ 0 };
	return r;
}

int
import_obs_path(struct vg_store *st, const char *path, struct vg_buf *errs,
    struct obs_result *res)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	int r;

	*res = (struct obs_result){ 0 };
	if (!f) {
		vg_buf_putf(errs, "%s: cannot open: %s\n", path, strerror(errno));
		return VG_ERR_IO;
	}
	r = import_obs_file(st, f, path, errs, res);
	if (f != stdin)
		fclose(f);
	return r;
}
