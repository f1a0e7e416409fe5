/* What service identification learns about one open port (struct svc_result): the
 * type the identification parts (svcid.c, httpid.c, tlsid.c) fill in, in a header of
 * its own so those parts need not include each other. */
#ifndef VG_INV_SVC_RESULT_H
#define VG_INV_SVC_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SVC_BANNER_MAX 512	/* bytes of the first answer kept */
#define SVC_READ_MAX 65536	/* bytes read from any one connection */

struct svc_result {
	size_t host;
	uint16_t port;
	bool identified;	/* a rule matched */
	char service[32];	/* "ssh", "http", "redis", ...; "" = unknown */
	char product[80], version[64], info[160];
	char probe[32];		/* the probe whose answer matched */
	unsigned char banner[SVC_BANNER_MAX];	/* raw; escape before printing */
	size_t banner_len;
	/* TLS (tls = a handshake completed) */
	bool tls;
	char tls_version[16], tls_subject[256], tls_issuer[256];
	char tls_sans[1024];	/* comma-separated DNS names and addresses */
	int64_t tls_not_after;	/* seconds since the epoch, 0 = unknown */
	char tls_versions[64];	/* every protocol version that completed a handshake */
	/* HTTP (http_status > 0 = an HTTP answer was parsed) */
	int http_status;
	char http_title[256], http_server[128], http_location[512];
	char http_tech[512];	/* comma-separated: "nginx 1.22.1, Jenkins 2.426" */
	int32_t favicon_hash;	/* mmh3 of the base64 icon, as Shodan computes it */
	bool favicon;
};

#endif
