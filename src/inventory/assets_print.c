/* Printing the register (assets_print.h). Every string from the store may hold
 * text a scanned server chose (titles, banners, certificate names): it goes to
 * the terminal through core/esc, and to CSV with formula cells defused. */
#include "inventory/assets_print.h"

#include "core/esc.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

/* Text from the store on a terminal: through the one sanitiser. */
static void
put(FILE *f, const char *v)
{
	if (v)
		vg_esc_fwrite(f, v, strlen(v));
}

static void
local_time(int64_t us, char *buf, size_t size)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, size, "?");
}

static const char *
s(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

/* "22/ssh,443/https,+3" into buf (names were escaped when they were stored). */
static void
ports_text(char *buf, size_t size, json_t *a, size_t max)
{
	json_t *sv;
	size_t i, n = 0;

	buf[0] = '\0';
	json_array_foreach(json_object_get(a, "services"), i, sv) {
		if (n >= size)
			break;
		if (i == max) {
			snprintf(buf + n, size - n, ",+%zu",
			    json_array_size(json_object_get(a, "services")) - max);
			break;
		}
		n += (size_t)snprintf(buf + n, size - n, "%s%lld%s%s", i ? "," : "",
		    (long long)json_integer_value(json_object_get(sv, "port")),
		    *s(sv, "name") ? "/" : "", s(sv, "name"));
	}
}

static const char *
state_of(json_t *a)
{
	if (json_is_true(json_object_get(a, "shadow")))
		return "shadow";
	if (json_is_true(json_object_get(a, "stale")))
		return "stale";
	if (json_is_true(json_object_get(a, "declared")))
		return "declared";
	return "observed";	/* only seen opening connections (assets observe) */
}

void
assets_print_table(FILE *f, json_t *assets)
{
	json_t *a;
	size_t i;

	fprintf(f, "%-28s %-9s %-17s %4s  %-30s %s\n", "ADDRESS", "STATE", "CLASS", "RISK",
	    "PORTS", "SYSTEM / OWNER");
	json_array_foreach(assets, i, a) {
		char addr[29], ports[256];
		snprintf(addr, sizeof(addr), "%s", s(a, "address"));
		fprintf(f, "%-28s %-9s %-17s %4lld  ", addr, state_of(a),
		    *s(a, "class") ? s(a, "class") : "-",
		    (long long)json_integer_value(json_object_get(a, "risk")));
		ports_text(ports, sizeof(ports), a, 5);
		fprintf(f, "%-30s  ", ports);
		put(f, *s(a, "system_name") ? s(a, "system_name") : "-");
		fputs(" / ", f);
		put(f, *s(a, "owner") ? s(a, "owner") : "-");
		fputc('\n', f);
	}
}

/* One CSV cell: quoted when it must be; a leading = + - @ (a formula to a
 * spreadsheet, and a classic exfiltration trick in exported data) gets a '. */
static void
cell(FILE *f, const char *v, bool last)
{
	bool quote = strpbrk(v, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', f);
	if (strchr("=+-@\t\r", v[0]) && v[0])
		fputc('\'', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	if (quote)
		fputc('"', f);
	fputc(last ? '\n' : ',', f);
}

static void
cell_int(FILE *f, json_t *v)
{
	if (json_is_integer(v))
		fprintf(f, "%lld", (long long)json_integer_value(v));
	fputc(',', f);
}

/* µs since the epoch as RFC 3339 UTC; empty for none. */
static void
cell_time(FILE *f, json_t *v, bool last)
{
	char t[32] = "";
	struct tm tm;
	time_t secs;

	if (json_is_integer(v)) {
		secs = (time_t)(json_integer_value(v) / 1000000);
		if (gmtime_r(&secs, &tm))
			strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	fputs(t, f);
	fputc(last ? '\n' : ',', f);
}

void
assets_print_csv(FILE *f, json_t *assets)
{
	json_t *a, *x;
	size_t i, j;
	char buf[4096];

	fputs("address,hostname,declared,shadow,stale,class,classes,risk,system,owner,level,"
	      "internet_facing,role,ports,reasons,first_seen,last_seen\n", f);
	json_array_foreach(assets, i, a) {
		cell(f, s(a, "address"), false);
		cell(f, s(a, "hostname"), false);
		cell(f, json_is_true(json_object_get(a, "declared")) ? "yes" : "no", false);
		cell(f, json_is_true(json_object_get(a, "shadow")) ? "yes" : "no", false);
		cell(f, json_is_true(json_object_get(a, "stale")) ? "yes" : "no", false);
		cell(f, s(a, "class"), false);
		buf[0] = '\0';
		json_array_foreach(json_object_get(a, "classes"), j, x) {
			size_t n = strlen(buf);
			snprintf(buf + n, sizeof(buf) - n, "%s%s", j ? " " : "", json_string_value(x));
		}
		cell(f, buf, false);
		cell_int(f, json_object_get(a, "risk"));
		cell(f, s(a, "system_name"), false);
		cell(f, s(a, "owner"), false);
		cell_int(f, json_object_get(a, "level"));
		x = json_object_get(a, "internet_facing");
		cell(f, json_is_true(x) ? "yes" : json_is_false(x) ? "no" : "", false);
		cell(f, s(a, "role"), false);
		buf[0] = '\0';
		json_array_foreach(json_object_get(a, "services"), j, x) {
			size_t n = strlen(buf);
			snprintf(buf + n, sizeof(buf) - n, "%s%lld/%s%s%s", j ? " " : "",
			    (long long)json_integer_value(json_object_get(x, "port")), s(x, "proto"),
			    *s(x, "name") ? ":" : "", s(x, "name"));
		}
		cell(f, buf, false);
		buf[0] = '\0';
		json_array_foreach(json_object_get(a, "reasons"), j, x) {
			size_t n = strlen(buf);
			snprintf(buf + n, sizeof(buf) - n, "%s%s (+%lld)", j ? "; " : "", s(x, "reason"),
			    (long long)json_integer_value(json_object_get(x, "score")));
		}
		cell(f, buf, false);
		cell_time(f, json_object_get(a, "first_seen"), false);
		cell_time(f, json_object_get(a, "last_seen"), true);
	}
}

void
assets_print_jsonl(FILE *f, json_t *assets)
{
	json_t *a;
	size_t i;

	json_array_foreach(assets, i, a) {
		json_dumpf(a, f, JSON_COMPACT);
		fputc('\n', f);
	}
}

static void
line(FILE *f, const char *label, const char *v)
{
	if (!v || !*v)
		return;
	fprintf(f, "  %-16s ", label);
	put(f, v);
	fputc('\n', f);
}

static void
service_line(FILE *f, json_t *sv)
{
	static const char *const keys[] = { "name", "product", "version", "http_title",
		"http_server", "tls_subject", "tls_issuer", "tls_sans", "banner", NULL };

	fprintf(f, "    %5lld/%-3s", (long long)json_integer_value(json_object_get(sv, "port")),
	    s(sv, "proto"));
	for (int k = 0; keys[k]; k++) {
		if (!*s(sv, keys[k]))
			continue;
		fprintf(f, " %s=", keys[k]);
		put(f, s(sv, keys[k]));
	}
	fputc('\n', f);
}

void
assets_print_show(FILE *f, json_t *a)
{
	json_t *x;
	size_t i;
	char t[32], lvl[16];

	fputs(s(a, "address"), f);
	fprintf(f, "  (%s, risk %lld)\n", state_of(a),
	    (long long)json_integer_value(json_object_get(a, "risk")));
	line(f, "hostname", s(a, "hostname"));
	line(f, "system", s(a, "system_name"));
	line(f, "owner", s(a, "owner"));
	if (json_is_integer(json_object_get(a, "level"))) {
		snprintf(lvl, sizeof(lvl), "%lld", (long long)json_integer_value(json_object_get(a, "level")));
		line(f, "level", lvl);
	}
	x = json_object_get(a, "internet_facing");
	line(f, "internet-facing", json_is_true(x) ? "yes" : json_is_false(x) ? "no" : NULL);
	line(f, "role", s(a, "role"));
	line(f, "declared from", s(a, "declared_from"));
	if (json_is_integer(json_object_get(a, "last_seen"))) {
		local_time(json_integer_value(json_object_get(a, "last_seen")), t, sizeof(t));
		line(f, "last seen", t);
	}
	json_array_foreach(json_object_get(a, "classes"), i, x)
		fprintf(f, "  %-16s %s\n", i ? "" : "classes", json_string_value(x));
	if (json_array_size(json_object_get(a, "services")))
		fputs("  services\n", f);
	json_array_foreach(json_object_get(a, "services"), i, x)
		service_line(f, x);
	if (json_array_size(json_object_get(a, "reasons")))
		fputs("  reasons\n", f);
	json_array_foreach(json_object_get(a, "reasons"), i, x) {
		fprintf(f, "    %+4lld  ", (long long)json_integer_value(json_object_get(x, "score")));
		put(f, s(x, "reason"));
		if (*s(x, "evidence")) {
			fputs(" (", f);
			put(f, s(x, "evidence"));
			fputc(')', f);
		}
		fputc('\n', f);
	}
	json_array_foreach(json_object_get(a, "links"), i, x) {
		fprintf(f, "  %-16s ", i ? "" : "connects to");
		put(f, json_string_value(x));
		fputc('\n', f);
	}
}

static void
scan_head(FILE *f, const char *label, json_t *sc)
{
	char t[32];

	local_time(json_integer_value(json_object_get(sc, "started_at")), t, sizeof(t));
	fprintf(f, "%s scan #%lld  %s  ", label, (long long)json_integer_value(json_object_get(sc, "id")),
	    t);
	put(f, s(sc, "spec"));
	fputc('\n', f);
}

/* The fields a diff line shows for each kind of change. */
static const char *const *
keys_for(const char *kind)
{
	static const char *const svc[] = { "name", "product", "version", NULL };
	static const char *const ver[] = { "version", NULL };
	static const char *const title[] = { "http_title", NULL };
	static const char *const cert[] = { "tls_subject", "tls_issuer", "tls_sans", NULL };
	static const char *const any[] = { "name", "product", "version", "http_title", NULL };

	if (strcmp(kind, "service_changed") == 0)
		return svc;
	if (strcmp(kind, "version_changed") == 0)
		return ver;
	if (strcmp(kind, "title_changed") == 0)
		return title;
	if (strcmp(kind, "cert_changed") == 0)
		return cert;
	return any;
}

void
assets_print_diff(FILE *f, json_t *diff)
{
	json_t *c;
	size_t i;

	scan_head(f, "from", json_object_get(diff, "from"));
	scan_head(f, "to  ", json_object_get(diff, "to"));
	json_array_foreach(json_object_get(diff, "changes"), i, c) {
		const char *kind = s(c, "change");
		json_t *b = json_object_get(c, "before"), *a = json_object_get(c, "after");
		json_t *ref = json_is_object(a) ? a : b;
		fprintf(f, "%c %-16s %s", strncmp(kind, "new", 3) == 0 ? '+' :
		    strncmp(kind, "gone", 4) == 0 ? '-' : '~', kind, s(c, "address"));
		if (json_object_get(c, "port"))
			fprintf(f, " %lld/%s", (long long)json_integer_value(json_object_get(c, "port")),
			    s(c, "proto"));
		const char *const *keys = keys_for(kind);
		for (int k = 0; keys[k]; k++) {
			const char *before = s(b, keys[k]), *after = s(a, keys[k]);
			if (json_is_object(a) && json_is_object(b) && strcmp(before, after) != 0) {
				fprintf(f, " %s: ", keys[k]);
				put(f, *before ? before : "-");
				fputs(" -> ", f);
				put(f, *after ? after : "-");
			} else if (!(json_is_object(a) && json_is_object(b)) && *s(ref, keys[k])) {
				fputc(' ', f);
				put(f, s(ref, keys[k]));
			}
		}
		fputc('\n', f);
	}
	fprintf(f, "%zu changes\n", json_array_size(json_object_get(diff, "changes")));
}

void
assets_print_scans(FILE *f, json_t *scans)
{
	json_t *sc;
	size_t i;
	char t[32];

	fprintf(f, "%-6s %-19s %-8s %6s %6s  %s\n", "SCAN", "STARTED", "STATUS", "HOSTS", "OPEN",
	    "SPEC");
	json_array_foreach(scans, i, sc) {
		local_time(json_integer_value(json_object_get(sc, "started_at")), t, sizeof(t));
		fprintf(f, "%-6lld %-19s %-8s %6lld %6lld  ",
		    (long long)json_integer_value(json_object_get(sc, "id")), t, s(sc, "status"),
		    (long long)json_integer_value(json_object_get(sc, "hosts")),
		    (long long)json_integer_value(json_object_get(sc, "open_ports")));
		put(f, s(sc, "spec"));
		fputc('\n', f);
	}
}

void
assets_print_site(FILE *f, json_t *res)
{
	json_t *x;
	size_t i;

	fprintf(f, "%-4s %-24s HTTP %3lld %6lld ms  ", json_is_true(json_object_get(res, "ok")) ?
	    "OK" : "FAIL", s(res, "name"),
	    (long long)json_integer_value(json_object_get(res, "status")),
	    (long long)json_integer_value(json_object_get(res, "ms")));
	put(f, s(res, "url"));
	if (strcmp(s(res, "baseline"), "kept") != 0)
		fprintf(f, "  (baseline %s)", s(res, "baseline"));
	fputc('\n', f);
	json_array_foreach(json_object_get(res, "findings"), i, x) {
		fprintf(f, "  %-8s %-22s ", s(x, "severity"), s(x, "rule"));
		put(f, s(x, "title"));
		fputs(json_is_true(json_object_get(x, "new")) ? "" : " (still)", f);
		if (*s(x, "evidence")) {
			fputs("\n           ", f);
			put(f, s(x, "evidence"));
		}
		fputc('\n', f);
	}
}
