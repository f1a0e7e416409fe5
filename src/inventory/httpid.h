/* HTTP facts from raw answers: status, Server, Location, <title>, the technologies
 * the probe database's http-tech rules see, a same-site redirect followed, and the
 * favicon's hash as Shodan computes it (MurmurHash3 of the base64 text), so it can
 * be searched there. */
#ifndef VG_INV_HTTPID_H
#define VG_INV_HTTPID_H

#include "inventory/probe.h"
#include "inventory/svc_result.h"

#include <stddef.h>
#include <sys/types.h>

#define HTTPID_REDIRECTS 3

/* Fills r->http_status/server/location/title from an answer; 1 if it is HTTP. */
int httpid_parse(const unsigned char *resp, size_t len, struct svc_result *r);

/* GETs path on the same service (plain or TLS as identified) into buf: bytes read,
 * or <0 when nothing came back. */
typedef ssize_t (*httpid_fetch_fn)(void *arg, const char *path, unsigned char *buf,
    size_t size);

/* After an HTTP answer to GET / (first[0..flen)): http-tech rules on it, a relative
 * or same-host redirect followed (up to HTTPID_REDIRECTS; the title of where it
 * ends is kept), the http-tech paths fetched and matched, and the favicon hash. */
void httpid_extras(const struct probe_db *db, httpid_fetch_fn fetch, void *arg,
    const unsigned char *first, size_t flen, bool extras, struct svc_result *r);

/* MurmurHash3 x86_32 (seed 0) of the base64 of data with a newline every 76
 * characters and at the end, as Python's base64.encodebytes: Shodan's favicon hash. */
int32_t httpid_favicon_hash(const unsigned char *data, size_t len);

#endif
