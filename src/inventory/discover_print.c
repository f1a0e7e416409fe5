/* Output of `vigil discover`. Banners are kept raw in svc_result; here they meet a
 * terminal or a JSON document, so here they are escaped. */
#include "inventory/discover_print.h"
#include "core/esc.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

const char *
discover_iso_time(int64_t secs, char *buf, size_t size)
{
	time_t t = (time_t)secs;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "?");
	return buf;
}

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (v && v[0])
		json_object_set_new(o, key, json_string(v));
}

/* Raw wire text through the one sanitiser (valid UTF-8 for JSON, nothing a
 * terminal acts on). */
static void
set_esc(json_t *o, const char *key, const char *v)
{
	char e[VG_ESC_MAX];

	if (v && v[0])
		json_object_set_new(o, key, json_string(vg_esc_s(e, sizeof(e), v)));
}

json_t *
discover_json(const struct inv_host *h, uint16_t port, enum port_state state,
    enum port_reason reason, const struct svc_result *s)
{
	char addr[64], banner[SVC_BANNER_MAX * 4 + 8];
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "address", json_string(target_addr_str(&h->addr, addr,
	    sizeof(addr))));
	set_str(o, "hostname", h->name);
	json_object_set_new(o, "port", json_integer(port));
	json_object_set_new(o, "proto", json_string("tcp"));
	json_object_set_new(o, "state", json_string(port_state_name(state)));
	json_object_set_new(o, "reason", json_string(port_reason_name(reason)));
	if (!s)
		return o;
	set_str(o, "service", s->service);
	json_object_set_new(o, "identified", json_boolean(s->identified));
	/* raw from the wire (probe_match, httpid, tlsid): escaped here, once */
	set_esc(o, "product", s->product);
	set_esc(o, "version", s->version);
	set_esc(o, "info", s->info);
	if (s->banner_len) {
		vg_esc(banner, sizeof(banner), s->banner, s->banner_len);
		json_object_set_new(o, "banner", json_string(banner));
	}
	if (s->http_status) {
		json_object_set_new(o, "http_status", json_integer(s->http_status));
		/* raw from the wire (httpid): escaped here, once */
		set_esc(o, "http_title", s->http_title);
		set_esc(o, "http_server", s->http_server);
		set_esc(o, "http_location", s->http_location);
		set_esc(o, "http_tech", s->http_tech);
		if (s->favicon)
			json_object_set_new(o, "favicon_hash", json_integer(s->favicon_hash));
	}
	if (s->tls) {
		set_str(o, "tls_version", s->tls_version);
		set_str(o, "tls_versions", s->tls_versions);
		set_esc(o, "tls_subject", s->tls_subject);
		set_esc(o, "tls_issuer", s->tls_issuer);
		set_esc(o, "tls_sans", s->tls_sans);
		if (s->tls_not_after) {
			char t[32];
			set_str(o, "tls_not_after", discover_iso_time(s->tls_not_after, t, sizeof(t)));
		}
	}
	return o;
}

void
discover_print_text(FILE *out, const struct inv_host *h, uint16_t port, enum port_state state,
    enum port_reason reason, const struct svc_result *s)
{
	char addr[64], pp[80], banner[200], e[VG_ESC_MAX];

	target_addr_str(&h->addr, addr, sizeof(addr));
	snprintf(pp, sizeof(pp), h->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u", addr, port);
	fprintf(out, "%-24s %-8s %-14s", pp, port_state_name(state),
	    s && s->service[0] ? s->service : state == PORT_OPEN && !s ? "" : "?");
	if (s) {
		/* raw from the wire (probe_match): escaped here, once */
		char p[VG_ESC_MAX], v[VG_ESC_MAX];
		fprintf(out, " %s%s%s%s%s%s", vg_esc_s(p, sizeof(p), s->product),
		    s->version[0] ? " " : "", vg_esc_s(v, sizeof(v), s->version),
		    s->info[0] ? " (" : "", vg_esc_s(e, sizeof(e), s->info), s->info[0] ? ")" : "");
	}
	if (state != PORT_OPEN)
		fprintf(out, " [%s]", port_reason_name(reason));
	if (h->name) {
		char n[300];
		fprintf(out, "  %s", vg_esc_s(n, sizeof(n), h->name));
	}
	fputc('\n', out);
	if (!s)
		return;
	if (!s->identified && s->banner_len) {
		vg_esc(banner, sizeof(banner), s->banner, s->banner_len);
		fprintf(out, "    banner: %s\n", banner);
	}
	if (s->http_status) {
		fprintf(out, "    http: %d", s->http_status);
		if (s->http_title[0])
			fprintf(out, " title \"%s\"", vg_esc_s(e, sizeof(e), s->http_title));
		if (s->http_server[0])
			fprintf(out, " server \"%s\"", vg_esc_s(e, sizeof(e), s->http_server));
		if (s->http_location[0])
			fprintf(out, " -> %s", vg_esc_s(e, sizeof(e), s->http_location));
		if (s->favicon)
			fprintf(out, " favicon %d", s->favicon_hash);
		fputc('\n', out);
		if (s->http_tech[0])
			fprintf(out, "    tech: %s\n", vg_esc_s(e, sizeof(e), s->http_tech));
	}
	if (s->tls) {
		char t[32], is[1024];
		/* certificate text is raw (tlsid): escaped here, once */
		fprintf(out, "    tls: %s%s%s%s subject \"%s\" issuer \"%s\" expires %s\n",
		    s->tls_version, s->tls_versions[0] ? " (accepts " : "", s->tls_versions,
		    s->tls_versions[0] ? ")" : "", vg_esc_s(e, sizeof(e), s->tls_subject),
		    vg_esc_s(is, sizeof(is), s->tls_issuer),
		    s->tls_not_after ? discover_iso_time(s->tls_not_after, t, sizeof(t)) : "?");
		if (s->tls_sans[0])
			fprintf(out, "    tls names: %s\n", vg_esc_s(e, sizeof(e), s->tls_sans));
	}
}

void
discover_print_progress(const char *phase, const struct portscan_stats *st, uint64_t total,
    uint64_t done)
{
	double secs = (double)st->elapsed_us / 1e6;
	double rate = secs > 0 ? (double)st->sent / secs : 0;
	double eta = done && done < total && secs > 0 ? secs * (double)(total - done) /
	    (double)done : 0;
	fprintf(stderr, "\r\033[K%s: %llu/%llu probes, %llu open, %.0f/s, ETA %.0fs", phase,
	    (unsigned long long)done, (unsigned long long)total,
	    (unsigned long long)st->open, rate, eta);
	fflush(stderr);
}

void
discover_names_add(struct discover_names *d, const char *sans, const struct inv_host *hosts,
    size_t nhosts)
{
	char name[TARGET_NAME_MAX + 1];
	unsigned char tmp[16];

	for (const char *p = sans; *p;) {
		size_t n = strcspn(p, ",");
		bool known = n == 0 || n >= sizeof(name);
		if (!known) {
			memcpy(name, p, n);
			name[n] = '\0';
			known = inet_pton(AF_INET, name, tmp) == 1 || inet_pton(AF_INET6, name, tmp) == 1;
		}
		for (size_t i = 0; !known && i < nhosts; i++)
			known = hosts[i].name && strcasecmp(hosts[i].name, name) == 0;
		for (size_t i = 0; !known && i < d->n; i++)
			known = strcasecmp(d->names[i], name) == 0;
		if (!known) {
			if (d->n < DISCOVER_NAMES_MAX && (d->names[d->n] = strdup(name)))
				d->n++;
			else
				d->dropped++;
		}
		p += n + (p[n] == ',');
	}
}

void
discover_names_flush(struct discover_names *d, FILE *f)
{
	if (d->n) {
		char e[600];
		/* raw from the certificate (tlsid): escaped here, once */
		fprintf(f, "vigil discover: certificate names not among the targets:");
		for (size_t i = 0; i < d->n; i++)
			fprintf(f, "%s %s", i ? "," : "", vg_esc_s(e, sizeof(e), d->names[i]));
		if (d->dropped)
			fprintf(f, " (and %zu more)", d->dropped);
		fputc('\n', f);
	}
	for (size_t i = 0; i < d->n; i++)
		free(d->names[i]);
	d->n = d->dropped = 0;
}
