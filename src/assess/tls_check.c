/* TLS checks with OpenSSL: one handshake as a modern client to read the certificate
 * and the verify result, then one handshake per old protocol and one with only weak
 * ciphers offered. The probing contexts run at security level 0, since OpenSSL 3
 * otherwise refuses to even offer what we are testing the server for. */
#include "assess/tls.h"
#include "core/buf.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

const char *const tls_check_ids[] = { "tls-sslv3", "tls-tls10", "tls-tls11", "tls-weak-cipher",
	"tls-cert-expired", "tls-cert-not-yet-valid", "tls-cert-expiring", "tls-hostname-mismatch",
	"tls-self-signed", NULL };

#define WEAK_CIPHERS "NULL:aNULL:eNULL:EXPORT:LOW:DES:3DES:RC4:MD5:@SECLEVEL=0"

struct tls_run {
	const char *host, *port;
	char target[300];
	long timeout_ms;
	const struct tls_opts *o;
	int64_t asset_id;
	wc_finding_fn fn;
	void *arg;
	struct tls_stats *st;
};

int
tls_parse_target(const char *t, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon;
	size_t hl;

	host[0] = port[0] = '\0';
	if (!t || !*t)
		return VG_ERR_INVAL;
	if (t[0] == '[') {
		const char *end = strchr(t, ']');

		if (!end)
			return VG_ERR_INVAL;
		hl = (size_t)(end - t - 1);
		if (hl == 0 || hl >= hsize)
			return VG_ERR_INVAL;
		memcpy(host, t + 1, hl);
		host[hl] = '\0';
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] && !colon)
			return VG_ERR_INVAL;
	} else {
		colon = strrchr(t, ':');
		if (colon && strchr(t, ':') != colon)
			return VG_ERR_INVAL;	/* a bare IPv6 address needs brackets */
		hl = colon ? (size_t)(colon - t) : strlen(t);
		if (hl == 0 || hl >= hsize)
			return VG_ERR_INVAL;
		memcpy(host, t, hl);
		host[hl] = '\0';
	}
	if (vg_strlcpy(port, colon ? colon + 1 : "443", psize) != 0)
		return VG_ERR_INVAL;
	{
		long long p;

		if (vg_parse_ll(port, 1, 65535, &p) != VG_OK)
			return VG_ERR_INVAL;
	}
	return strpbrk(host, " /\t\r\n") ? VG_ERR_INVAL : 0;
}

/* A TCP connection with a deadline; -1 with why set. */
static int
tcp_connect(const struct tls_run *r, char *why, size_t whysz)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	struct timeval tv = { r->timeout_ms / 1000, (r->timeout_ms % 1000) * 1000 };
	int fd = -1, e;

	if ((e = getaddrinfo(r->host, r->port, &hints, &res)) != 0) {
		snprintf(why, whysz, "%s: %s", r->host, gai_strerror(e));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		struct pollfd pfd;
		socklen_t sl = sizeof(e);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS)
			goto next;
		pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
		if (poll(&pfd, 1, (int)r->timeout_ms) != 1) {
			errno = ETIMEDOUT;
			goto next;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) != 0 || e != 0) {
			errno = e;
			goto next;
		}
		/* blocking from here, with the deadline as socket timeouts */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		break;
next:
		snprintf(why, whysz, "connect to %s: %s", r->target, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

enum hs { HS_OK, HS_REFUSED, HS_UNTESTED, HS_NOCONN };

/* One handshake offering only version ver (0 = any) and ciphers (NULL = default).
 * On HS_OK *out keeps the connection (caller frees with SSL_free and closes). */
static enum hs
handshake(struct tls_run *r, int ver, const char *ciphers, SSL **out, char *why, size_t whysz)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = NULL;
	enum hs res = HS_REFUSED;
	struct in6_addr a6;
	int fd = -1;

	*out = NULL;
	if (!ctx)
		return HS_UNTESTED;
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_default_verify_paths(ctx);
	if (ver && (!SSL_CTX_set_min_proto_version(ctx, ver) ||
		       !SSL_CTX_set_max_proto_version(ctx, ver))) {
		res = HS_UNTESTED;
		goto out;
	}
	if (ciphers) {
		/* weak ciphers are TLS 1.2 and older; TLS 1.3 suites are all strong */
		SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
		if (!SSL_CTX_set_cipher_list(ctx, ciphers)) {
			res = HS_UNTESTED;
			goto out;
		}
	} else {
		SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
	}
	if (!(ssl = SSL_new(ctx)))
		goto out;
	r->st->handshakes++;
	if ((fd = tcp_connect(r, why, whysz)) < 0) {
		res = HS_NOCONN;
		goto out;
	}
	SSL_set_fd(ssl, fd);
	if (inet_pton(AF_INET, r->host, &a6) != 1 && inet_pton(AF_INET6, r->host, &a6) != 1)
		SSL_set_tlsext_host_name(ssl, r->host);
	ERR_clear_error();
	if (SSL_connect(ssl) == 1) {
		*out = ssl;
		ssl = NULL;
		fd = -1;
		res = HS_OK;
	} else {
		unsigned long e = ERR_peek_error();

		/* the library could not even build the offer: not the server's answer */
		if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
		    (ERR_GET_REASON(e) == SSL_R_NO_PROTOCOLS_AVAILABLE ||
			ERR_GET_REASON(e) == SSL_R_NO_CIPHERS_AVAILABLE))
			res = HS_UNTESTED;
		snprintf(why, whysz, "handshake with %s failed", r->target);
	}
	ERR_clear_error();
out:
	if (ssl)
		SSL_free(ssl);
	if (fd >= 0)
		close(fd);
	SSL_CTX_free(ctx);
	return res;
}

static void
release(SSL *ssl)
{
	int fd;

	if (!ssl)
		return;
	fd = SSL_get_fd(ssl);
	SSL_free(ssl);
	if (fd >= 0)
		close(fd);
}

static int
report(struct tls_run *r, const char *check, enum vg_severity sev, const char *title,
    const char *evidence, const char *fix)
{
	struct wc_finding f = { .family = "tls", .check = check, .target = r->target,
		.asset = r->host, .title = title, .severity = sev, .evidence = evidence, .remediation = fix,
		.asset_id = r->asset_id };

	if (r->o->only && strcmp(r->o->only, check) != 0)
		return 0;
	return r->fn(r->arg, &f);
}

static bool
wanted(const struct tls_run *r, const char *check)
{
	return !r->o->only || strcmp(r->o->only, check) == 0;
}

static void
asn1_utc(const ASN1_TIME *t, char *out, size_t size)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) == 1)
		strftime(out, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
	else
		vg_strlcpy(out, "?", size);
}

static void
name_of(X509_NAME *n, char *out, size_t size)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long len;

	out[0] = '\0';
	if (!b)
		return;
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253);
	len = BIO_get_mem_data(b, &p);
	snprintf(out, size, "%.*s", (int)(len < (long)size ? len : (long)size - 1), p);
	BIO_free(b);
}

static int
cert_checks(struct tls_run *r, SSL *ssl)
{
	X509 *c = SSL_get1_peer_certificate(ssl);
	char subj[256], iss[256], nb[32], na[32], ev[800];
	long vr = SSL_get_verify_result(ssl);
	int days = 0, secs = 0, rc = 0, hostok;
	struct in6_addr a6;

	if (!c)
		return 0;	/* anonymous suites: the weak-cipher probe reports those */
	name_of(X509_get_subject_name(c), subj, sizeof(subj));
	name_of(X509_get_issuer_name(c), iss, sizeof(iss));
	asn1_utc(X509_get0_notBefore(c), nb, sizeof(nb));
	asn1_utc(X509_get0_notAfter(c), na, sizeof(na));
	vg_strlcpy(r->st->not_after, na, sizeof(r->st->not_after));
	snprintf(ev, sizeof(ev), "subject %s; issuer %s; valid %s .. %s", subj, iss, nb, na);
	if (X509_cmp_current_time(X509_get0_notAfter(c)) < 0) {
		rc = report(r, "tls-cert-expired", VG_SEV_HIGH, "Certificate expired", ev,
		    "Renew the certificate and install the new one with its chain.");
	} else if (X509_cmp_current_time(X509_get0_notBefore(c)) > 0) {
		rc = report(r, "tls-cert-not-yet-valid", VG_SEV_MEDIUM,
		    "Certificate not yet valid", ev, "Check the server's clock and the certificate's dates.");
	} else if (ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(c)) == 1 &&
	    days < (r->o->expiry_days > 0 ? r->o->expiry_days : 30)) {
		char title[64];

		snprintf(title, sizeof(title), "Certificate expires in %d days", days);
		rc = report(r, "tls-cert-expiring", VG_SEV_MEDIUM, title, ev,
		    "Renew the certificate before the event (automate renewal, e.g. ACME).");
	}
	if (rc)
		goto out;
	if (inet_pton(AF_INET, r->host, &a6) == 1 || inet_pton(AF_INET6, r->host, &a6) == 1)
		hostok = X509_check_ip_asc(c, r->host, 0) == 1;
	else
		hostok = X509_check_host(c, r->host, 0, 0, NULL) == 1;
	if (!hostok && (rc = report(r, "tls-hostname-mismatch", VG_SEV_MEDIUM,
			    "Certificate does not match the host name", ev,
			    "Issue a certificate whose subjectAltName lists every name (and address) "
			    "the service is reached by.")))
		goto out;
	/* The register says internal: a private certificate there is a choice, not a gap. */
	if (!r->o->internal && (vr == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
				   X509_check_issued(c, c) == X509_V_OK))
		rc = report(r, "tls-self-signed", VG_SEV_MEDIUM,
		    "Self-signed certificate on an internet-facing service", ev,
		    "Use a certificate from a public CA for services reached from the internet.");
out:
	X509_free(c);
	return rc;
}

static int
protocols(struct tls_run *r, char *why, size_t whysz)
{
	static const struct {
		int ver;
		const char *id, *name;
		enum vg_severity sev;
	} old[] = {
		{ SSL3_VERSION, "tls-sslv3", "SSLv3", VG_SEV_HIGH },
		{ TLS1_VERSION, "tls-tls10", "TLS 1.0", VG_SEV_MEDIUM },
		{ TLS1_1_VERSION, "tls-tls11", "TLS 1.1", VG_SEV_MEDIUM },
	};
	char title[64], ev[256], w2[256];
	SSL *ssl;
	int rc;

	(void)why;
	(void)whysz;
	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		enum hs h;

		if (!wanted(r, old[i].id))
			continue;
		h = handshake(r, old[i].ver, NULL, &ssl, w2, sizeof(w2));
		if (h == HS_UNTESTED)
			r->st->untested++;
		if (h != HS_OK)
			continue;
		snprintf(title, sizeof(title), "%s accepted", old[i].name);
		snprintf(ev, sizeof(ev), "handshake completed with %s, cipher %s",
		    SSL_get_version(ssl), SSL_get_cipher_name(ssl));
		release(ssl);
		if ((rc = report(r, old[i].id, old[i].sev, title, ev,
			 "Accept TLS 1.2 and 1.3 only (nginx `ssl_protocols TLSv1.2 TLSv1.3;`).")))
			return rc;
	}
	if (wanted(r, "tls-weak-cipher")) {
		enum hs h = handshake(r, 0, WEAK_CIPHERS, &ssl, w2, sizeof(w2));

		if (h == HS_UNTESTED)
			r->st->untested++;
		if (h == HS_OK) {
			snprintf(ev, sizeof(ev), "offered only weak ciphers; server chose %s (%s)",
			    SSL_get_cipher_name(ssl), SSL_get_version(ssl));
			release(ssl);
			if ((rc = report(r, "tls-weak-cipher", VG_SEV_HIGH, "Weak cipher accepted",
				 ev, "Offer only AEAD ciphers with forward secrecy "
				 "(e.g. Mozilla's intermediate configuration).")))
				return rc;
		}
	}
	return 0;
}

int
tls_check_target(const char *target, int64_t asset_id, const struct tls_opts *o,
    wc_finding_fn fn, void *arg, struct tls_stats *st, char *why, size_t whysz)
{
	char host[256], port[16];
	struct tls_run r = { .host = host, .port = port, .o = o, .asset_id = asset_id,
		.fn = fn, .arg = arg, .st = st };
	SSL *ssl = NULL;
	enum hs h;
	int rc;

	memset(st, 0, sizeof(*st));
	if (tls_parse_target(target, host, sizeof(host), port, sizeof(port)) != 0) {
		snprintf(why, whysz, "'%.200s' is not HOST:PORT", target);
		return VG_ERR_INVAL;
	}
	if (o->only) {
		size_t i;

		for (i = 0; tls_check_ids[i] && strcmp(tls_check_ids[i], o->only) != 0; i++)
			;
		if (!tls_check_ids[i]) {
			snprintf(why, whysz, "no TLS check '%.64s'", o->only);
			return VG_ERR_INVAL;
		}
	}
	snprintf(r.target, sizeof(r.target), strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
	r.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 5000;
	h = handshake(&r, 0, NULL, &ssl, why, whysz);
	if (h == HS_NOCONN || h != HS_OK)
		return VG_ERR_IO;
	vg_strlcpy(st->protocol, SSL_get_version(ssl), sizeof(st->protocol));
	vg_strlcpy(st->cipher, SSL_get_cipher_name(ssl), sizeof(st->cipher));
	rc = cert_checks(&r, ssl);
	release(ssl);
	if (rc == 0)
		rc = protocols(&r, why, whysz);
	return rc;
}
