/* The program's one SHA-256 and hex writer: OpenSSL's digest (faster than
 * libsodium's on this CPU; libsodium stays for argon2id and random bytes). */
#ifndef VG_SHA256_H
#define VG_SHA256_H

#include <stddef.h>

#define VG_SHA256_LEN 32
#define VG_SHA256_HEX (2 * VG_SHA256_LEN + 1)

/* Lower-case hex of in[0..n) into out, which holds 2n + 1 bytes. */
void vg_hex(const unsigned char *in, size_t n, char *out);

/* SHA-256 of data[0..n) into md. 0, or VG_ERR_NOMEM when OpenSSL fails (it
 * only fails to allocate). */
int vg_sha256(const void *data, size_t n, unsigned char md[VG_SHA256_LEN]);

/* The same, as lower-case hex. */
int vg_sha256_hex(const void *data, size_t n, char hex[VG_SHA256_HEX]);

#endif
