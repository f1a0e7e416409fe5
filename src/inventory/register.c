/* Scan records: what scanners hand the register (see register.h). Wire text is
 * kept as the server sent it (made valid UTF-8, so every JSON reader can carry it,
 * and cut to a bound); whoever prints it escapes it, once (assets_print through
 * core/esc; JSON through its own encoding). Escaping here as well printed every
 * backslash and control byte escaped twice. */
#include "inventory/register.h"
#include "inventory/register_sql.h"

#include "core/err.h"
#include "core/store.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Longest kept text per field in bytes: a banner is evidence, the rest are names.
 * Longer text is cut at a character boundary and ends in "...". */
#define OBS_BANNER_MAX 2048
#define OBS_TEXT_MAX 512

/* Length of the valid UTF-8 character at s[0..n), 0 if there is none. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0], cp;
	size_t k;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, cp = c & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return k;
}

/* A copy of s as valid UTF-8 (a byte that is not becomes U+FFFD), at most max
 * bytes with the NUL; NULL for NULL/"" (so SQL keeps "not known" as NULL) or when
 * memory runs out. */
static char *
clean(const char *s, size_t max)
{
	static const char repl[] = "\xef\xbf\xbd", more[] = "...";
	const unsigned char *p = (const unsigned char *)s;
	size_t n, o = 0, i = 0, safe = 0;
	char *out;

	if (!s || !*s || max < sizeof(more))
		return NULL;
	n = strlen(s);
	if (!(out = malloc(max)))
		return NULL;
	while (i < n) {
		size_t k = utf8_len(p + i, n - i), m = k ? k : 3;
		if (o + m + 1 > max) {
			/* cut at the last character boundary that leaves room for "..." */
			o = safe;
			memcpy(out + o, more, sizeof(more) - 1);
			o += sizeof(more) - 1;
			break;
		}
		memcpy(out + o, k ? s + i : repl, m);
		o += m;
		i += k ? k : 1;
		if (o + sizeof(more) <= max)
			safe = o;
	}
	out[o] = '\0';
	return out;
}

static bool
one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

int
register_scan_begin(struct vg_store *st, const char *spec, int64_t started_us,
    int64_t *scan_id)
{
	char *sp = clean(spec, OBS_TEXT_MAX);
	int r;

	*scan_id = 0;
	if (spec && *spec && !sp)
		return VG_ERR_NOMEM;
	struct store_val b[] = { SV_TEXT(sp), SV_INT(started_us) };
	r = store_exec(st, SQL_SCAN_BEGIN, b, 2, scan_id, NULL);
	free(sp);
	return r;
}

/* VG_OK when scan_id names a running scan. */
static int
scan_running(struct vg_store *st, int64_t scan_id)
{
	json_t *row = NULL;
	struct store_val b[] = { SV_INT(scan_id) };
	int r = store_query_one(st, SQL_SCAN_STATE, b, 1, &row);

	if (r == VG_ERR_NOTFOUND)
		return VG_ERR_INVAL;
	if (r == VG_OK) {
		const char *s = json_string_value(json_object_get(row, "status"));
		r = s && strcmp(s, "running") == 0 ? VG_OK : VG_ERR_INVAL;
	}
	json_decref(row);
	return r;
}

int
register_scan_origin(struct vg_store *st, int64_t scan_id, const char *origin)
{
	int64_t n = 0;
	char *o = clean(origin, OBS_TEXT_MAX);
	struct store_val b[] = { SV_INT(scan_id), SV_TEXT(o) };
	int r;

	if (!o)
		return VG_ERR_INVAL;
	r = store_exec(st, SQL_SCAN_ORIGIN, b, 2, NULL, &n);
	free(o);
	return r == VG_OK && n == 0 ? VG_ERR_INVAL : r;
}

/* The asset an observation belongs to, created undeclared when new. */
static int
asset_for(struct vg_store *st, const char *addr, const char *host, int64_t now,
    int64_t *id)
{
	json_t *row = NULL;
	struct store_val f[] = { SV_TEXT(addr), SV_TEXT(host) };
	int r = store_query_one(st, SQL_ASSET_FIND, f, 2, &row);

	if (r == VG_OK) {
		*id = json_integer_value(json_object_get(row, "id"));
		json_decref(row);
		struct store_val h[] = { SV_INT(*id), SV_TEXT(host) };
		return store_exec(st, SQL_ASSET_HOSTNAME, h, 2, NULL, NULL);
	}
	if (r != VG_ERR_NOTFOUND)
		return r;
	struct store_val n[] = { SV_TEXT(addr), SV_TEXT(host), SV_INT(now) };
	return store_exec(st, SQL_ASSET_NEW, n, 3, id, NULL);
}

enum { F_ADDR, F_HOST, F_SERVICE, F_PRODUCT, F_VERSION, F_BANNER, F_TITLE, F_SERVER,
	F_SUBJECT, F_ISSUER, F_SANS, F_N };

int
register_scan_add(struct vg_store *st, int64_t scan_id, const struct inv_obs *o)
{
	static const char *const protos[] = { "tcp", "udp", NULL };
	static const char *const states[] = { "open", "closed", "filtered", NULL };
	const char *proto = o->proto && *o->proto ? o->proto : "tcp";
	const char *state = o->state && *o->state ? o->state : "open";
	const char *raw[F_N] = { o->address, o->hostname, o->service, o->product, o->version,
		o->banner, o->http_title, o->http_server, o->tls_subject, o->tls_issuer,
		o->tls_sans };
	char *v[F_N] = { 0 };
	int64_t asset = 0;
	int r = VG_ERR_INVAL;

	if (!o->address || !*o->address || strlen(o->address) > 255 || o->port < 0 ||
	    o->port > 65535 || !one_of(proto, protos) || !one_of(state, states))
		return VG_ERR_INVAL;
	for (int i = 0; i < F_N; i++)
		if (raw[i] && *raw[i] &&
		    !(v[i] = clean(raw[i], i == F_BANNER ? OBS_BANNER_MAX : OBS_TEXT_MAX))) {
			r = VG_ERR_NOMEM;
			goto out;
		}
	if ((r = scan_running(st, scan_id)) != VG_OK ||
	    (r = asset_for(st, v[F_ADDR], v[F_HOST], vg_now_us(), &asset)) != VG_OK)
		goto out;
	if (o->port == 0) {
		struct store_val h[] = { SV_INT(scan_id), SV_INT(asset), SV_TEXT(v[F_ADDR]),
			SV_TEXT(v[F_HOST]) };
		r = store_exec(st, SQL_HOST_ADD, h, 4, NULL, NULL);
		goto out;
	}
	struct store_val s[] = { SV_INT(scan_id), SV_INT(asset), SV_TEXT(v[F_ADDR]),
		SV_INT(o->port), SV_TEXT(proto), SV_TEXT(state), SV_TEXT(v[F_SERVICE]),
		SV_TEXT(v[F_PRODUCT]), SV_TEXT(v[F_VERSION]), SV_TEXT(v[F_BANNER]),
		SV_TEXT(v[F_TITLE]), SV_TEXT(v[F_SERVER]), SV_TEXT(v[F_SUBJECT]),
		SV_TEXT(v[F_ISSUER]), SV_TEXT(v[F_SANS]),
		o->tls_not_after ? SV_INT(o->tls_not_after) : SV_NULL };
	r = store_exec(st, SQL_SERVICE_ADD, s, 16, NULL, NULL);
	/* A host with an answer on any port is alive: it joins the scan's host list
	 * too, so "seen in scan N" is one lookup for every reader. */
	if (r == VG_OK) {
		struct store_val h[] = { SV_INT(scan_id), SV_INT(asset), SV_TEXT(v[F_ADDR]),
			SV_TEXT(v[F_HOST]) };
		r = store_exec(st, SQL_HOST_ADD, h, 4, NULL, NULL);
	}
out:
	for (int i = 0; i < F_N; i++)
		free(v[i]);
	return r;
}

int
register_scan_end(struct vg_store *st, int64_t scan_id, int64_t finished_us,
    const char *status)
{
	static const char *const ends[] = { "done", "partial", "interrupted", "failed", NULL };
	struct store_val e[] = { SV_INT(scan_id), SV_INT(finished_us), SV_TEXT(status) };
	int64_t n = 0;
	int r;

	if (!status || !one_of(status, ends))
		return VG_ERR_INVAL;
	if ((r = store_begin(st)) != VG_OK)
		return r;
	if ((r = store_exec(st, SQL_SCAN_END, e, 3, NULL, &n)) != VG_OK)
		goto fail;
	if (n == 0) {
		r = VG_ERR_INVAL;
		goto fail;
	}
	if (strcmp(status, "failed") != 0 &&
	    ((r = store_exec(st, SQL_SEEN_UPDATE, e, 2, NULL, NULL)) != VG_OK ||
		(r = store_exec(st, SQL_SERVICES_UPSERT, e, 2, NULL, NULL)) != VG_OK))
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	return r;
}
