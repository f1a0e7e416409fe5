/* Certificate and protocol facts from OpenSSL sessions. Names from certificates
 * are attacker-controlled text: they are escaped (core/esc) before they are kept. */
#include "inventory/tlsid.h"
#include "inventory/portscan.h"
#include "core/buf.h"
#include "core/err.h"

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

SSL_CTX *
tlsid_ctx_new(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		return NULL;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	/* old servers are what an inventory must see: allow every version and level 0 */
	SSL_CTX_set_min_proto_version(ctx, 0);
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
	return ctx;
}

/* src[0..len) as a C string in out (cut to fit, or at a NUL): certificate text is
 * kept as the server sent it and escaped once, where it is printed. */
static void
raw(char *out, size_t size, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len && i + 1 < size && src[i]; i++)
		out[i] = src[i];
	out[i] = '\0';
}

static void
name_str(X509_NAME *n, char *out, size_t size)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	out[0] = '\0';
	if (!b)
		return;
	/* RFC 2253 order and escaping, UTF-8 kept (printing escapes controls) */
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	long len = BIO_get_mem_data(b, &p);
	if (len > 0)
		raw(out, size, p, (size_t)len);
	BIO_free(b);
}

static void
add_san(char *out, size_t size, const void *s, size_t len)
{
	size_t o = strlen(out);
	if (o && o + 2 < size) {
		out[o++] = ',';
		out[o] = '\0';
	}
	char tmp[300];
	raw(tmp, sizeof(tmp), s, len);
	/* a comma inside a name would split it: the list is comma-separated */
	for (char *c = tmp; *c; c++)
		if (*c == ',')
			*c = '_';
	vg_strlcpy(out + o, tmp, size - o);
}

void
tlsid_read(struct svc_io *io, struct svc_result *r)
{
	X509 *c;
	r->tls = true;
	vg_strlcpy(r->tls_version, SSL_get_version(io->ssl), sizeof(r->tls_version));
	if (!(c = SSL_get1_peer_certificate(io->ssl)))
		return;
	name_str(X509_get_subject_name(c), r->tls_subject, sizeof(r->tls_subject));
	name_str(X509_get_issuer_name(c), r->tls_issuer, sizeof(r->tls_issuer));
	struct tm tm;
	if (ASN1_TIME_to_tm(X509_get0_notAfter(c), &tm) == 1)
		r->tls_not_after = (int64_t)timegm(&tm);
	GENERAL_NAMES *sans = X509_get_ext_d2i(c, NID_subject_alt_name, NULL, NULL);
	r->tls_sans[0] = '\0';
	for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);
		if (g->type == GEN_DNS) {
			const ASN1_IA5STRING *s = g->d.dNSName;
			add_san(r->tls_sans, sizeof(r->tls_sans), ASN1_STRING_get0_data(s),
			    (size_t)ASN1_STRING_length(s));
		} else if (g->type == GEN_IPADD) {
			char a[64];
			int len = ASN1_STRING_length(g->d.iPAddress);
			struct inv_addr ia = { .family = len == 4 ? AF_INET : AF_INET6 };
			if (len != 4 && len != 16)
				continue;
			memcpy(ia.a, ASN1_STRING_get0_data(g->d.iPAddress), (size_t)len);
			target_addr_str(&ia, a, sizeof(a));
			add_san(r->tls_sans, sizeof(r->tls_sans), a, strlen(a));
		}
	}
	GENERAL_NAMES_free(sans);
	X509_free(c);
}

void
tlsid_versions(SSL_CTX *ctx, const struct inv_addr *addr, uint16_t port, const char *sni,
    int64_t per_us, struct svc_result *r)
{
	static const struct { int v; const char *name; } vs[] = {
		{ TLS1_VERSION, "TLSv1" }, { TLS1_1_VERSION, "TLSv1.1" },
		{ TLS1_2_VERSION, "TLSv1.2" }, { TLS1_3_VERSION, "TLSv1.3" },
	};
	r->tls_versions[0] = '\0';
	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		struct svc_io io = { .fd = -1 };
		int64_t dl = portscan_now_us() + per_us;
		if (svcio_connect(&io, addr, port, dl) == VG_OK &&
		    svcio_tls(&io, ctx, sni, vs[i].v, dl) == VG_OK) {
			size_t o = strlen(r->tls_versions);
			snprintf(r->tls_versions + o, sizeof(r->tls_versions) - o, "%s%s",
			    o ? "," : "", vs[i].name);
		}
		svcio_close(&io);
	}
}
