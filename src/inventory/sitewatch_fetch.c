/* Fetching a site (sitewatch_fetch.h). A certificate that does not verify is a
 * finding, not the end of the check: the page is fetched again without
 * verification so defacement and spam links are still seen on a site whose
 * certificate an attacker replaced. */
#include "inventory/sitewatch_fetch.h"

#include "core/buf.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <curl/curl.h>
#include <netdb.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct sink {
	struct site_fetch *f;
	size_t cap;
	bool truncated;
};

static size_t
on_data(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n, room = FETCH_BODY_MAX - s->f->len;

	if (len > room) {
		len = room;
		s->truncated = true;
	}
	if (s->f->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		while (cap < s->f->len + len + 1)
			cap *= 2;
		char *b = realloc(s->f->body, cap);
		if (!b)
			return 0;
		s->f->body = b;
		s->cap = cap;
	}
	memcpy(s->f->body + s->f->len, data, len);
	s->f->len += len;
	s->f->body[s->f->len] = '\0';
	/* past the limit: stop the transfer; what was read is enough to judge */
	return s->truncated ? 0 : size * n;
}

int64_t
site_fetch_parse_expiry(const char *s)
{
	struct tm tm = { 0 };
	const char *end;

	if (!s)
		return 0;
	while (*s == ' ')
		s++;
	if (!(end = strptime(s, "%b %d %H:%M:%S %Y", &tm)) &&
	    !(end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm)))
		return 0;
	return (int64_t)timegm(&tm) * 1000000;
}

static int
cmp_json_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted, de-duplicated JSON array of the strings. */
static json_t *
sorted(const char **v, size_t n)
{
	json_t *arr = json_array();

	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_json_str);
	for (size_t i = 0; arr && i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			json_array_append_new(arr, json_string(v[i]));
	return arr;
}

static json_t *
resolve_a(const char *host)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res = NULL;
	char txt[64][INET6_ADDRSTRLEN];
	const char *v[64];
	size_t n = 0;

	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return json_array();
	for (struct addrinfo *ai = res; ai && n < 64; ai = ai->ai_next) {
		const void *addr = ai->ai_family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		if (inet_ntop(ai->ai_family, addr, txt[n], sizeof(txt[n])))
			v[n] = txt[n], n++;
	}
	freeaddrinfo(res);
	return sorted(v, n);
}

/* Names with no public delegation (RFC 6761 and friends): no NS to ask for. */
static bool
special_name(const char *host)
{
	static const char *const tlds[] = { ".localhost", ".test", ".invalid", ".example",
		".local", ".internal", ".home.arpa", ".lan", NULL };
	size_t n = strlen(host);

	if (!strchr(host, '.'))
		return true;
	for (int i = 0; tlds[i]; i++) {
		size_t t = strlen(tlds[i]);
		if (n >= t && strcasecmp(host + n - t, tlds[i]) == 0)
			return true;
	}
	return false;
}

/* NS names of the host's zone: the host's own NS set, else its parent's, up to
 * the registrable part. Answers are read with a bounded cursor. */
static json_t *
resolve_ns(const char *host)
{
	unsigned char ans[4096];
	char names[16][NS_MAXDNAME];
	const char *v[16];
	size_t n = 0;
	struct __res_state rs;
	const char *zone = host;

	if (special_name(host))
		return json_array();
	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs) != 0)
		return json_array();
	rs.retrans = 2;
	rs.retry = 1;
	while (zone && strchr(zone, '.') && n == 0) {
		int len = res_nquery(&rs, zone, ns_c_in, ns_t_ns, ans, sizeof(ans));
		if (len >= (int)NS_HFIXEDSZ) {
			const unsigned char *p = ans + NS_HFIXEDSZ, *end = ans + len;
			unsigned qd = (unsigned)(ans[4] << 8 | ans[5]), an = (unsigned)(ans[6] << 8 | ans[7]);
			for (unsigned i = 0; i < qd && p < end; i++) {
				int skip = dn_skipname(p, end);
				if (skip < 0 || p + skip + 4 > end)
					goto next;
				p += skip + 4;
			}
			for (unsigned i = 0; i < an && p < end && n < 16; i++) {
				int skip = dn_skipname(p, end);
				if (skip < 0 || p + skip + 10 > end)
					break;
				p += skip;
				unsigned type = (unsigned)(p[0] << 8 | p[1]);
				unsigned rdlen = (unsigned)(p[8] << 8 | p[9]);
				p += 10;
				if (p + rdlen > end)
					break;
				if (type == ns_t_ns &&
				    dn_expand(ans, end, p, names[n], sizeof(names[n])) > 0)
					v[n] = names[n], n++;
				p += rdlen;
			}
		}
next:
		zone = strchr(zone, '.');
		if (zone)
			zone++;
	}
	res_nclose(&rs);
	return sorted(v, n);
}

static void
setup(CURL *c, const char *url, const char *ca_file, long timeout_s, struct sink *s)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil-sitewatch/1 (website watch)");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	if (ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca_file);
}

static void
read_cert(CURL *c, struct site_fetch *f)
{
	struct curl_certinfo *ci = NULL;

	if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci ||
	    ci->num_of_certs < 1)
		return;
	/* certinfo[0] is the server's own certificate */
	for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next)
		if (strncasecmp(l->data, "Expire date:", 12) == 0)
			f->tls_not_after = site_fetch_parse_expiry(l->data + 12);
}

int
site_fetch(const char *url, const char *ca_file, long timeout_s, struct site_fetch *f)
{
	CURL *c = NULL;
	CURLU *u = curl_url();
	char *host = NULL, *scheme = NULL;
	struct sink s = { .f = f };
	curl_off_t us = 0;
	char *eff = NULL;
	CURLcode cr;
	int r = VG_ERR_INVAL;

	memset(f, 0, sizeof(*f));
	if (!u)
		return VG_ERR_NOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	vg_strlcpy(f->host, host[0] == '[' ? host + 1 : host, sizeof(f->host));
	if (f->host[strlen(f->host) ? strlen(f->host) - 1 : 0] == ']')
		f->host[strlen(f->host) - 1] = '\0';
	f->dns_a = resolve_a(f->host);
	f->dns_ns = resolve_ns(f->host);
	r = VG_ERR_NOMEM;
	if (!f->dns_a || !f->dns_ns || !(c = curl_easy_init()))
		goto out;
	setup(c, url, ca_file, timeout_s, &s);
	cr = curl_easy_perform(c);
	if (cr == CURLE_PEER_FAILED_VERIFICATION || cr == CURLE_SSL_CACERT_BADFILE ||
	    cr == CURLE_SSL_CERTPROBLEM) {
		f->tls_bad = true;
		snprintf(f->tls_err, sizeof(f->tls_err), "%s", curl_easy_strerror(cr));
		f->len = 0;
		s.truncated = false;
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
		cr = curl_easy_perform(c);
	}
	if (cr != CURLE_OK && !(cr == CURLE_WRITE_ERROR && s.truncated))
		snprintf(f->err, sizeof(f->err), "%s", curl_easy_strerror(cr));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f->status);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME_T, &us);
	f->ms = (long)(us / 1000);
	if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
		vg_strlcpy(f->final_url, eff, sizeof(f->final_url));
	read_cert(c, f);
	if (!f->body && !(f->body = calloc(1, 1)))
		goto out;
	r = VG_OK;
out:
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	if (c)
		curl_easy_cleanup(c);
	return r;
}

void
site_fetch_free(struct site_fetch *f)
{
	json_decref(f->dns_a);
	json_decref(f->dns_ns);
	free(f->body);
	memset(f, 0, sizeof(*f));
}
