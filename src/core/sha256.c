/* SHA-256 and hex through OpenSSL (see sha256.h). */
#include "core/sha256.h"
#include "core/err.h"

#include <openssl/evp.h>

void
vg_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int
vg_sha256(const void *data, size_t n, unsigned char md[VG_SHA256_LEN])
{
	unsigned int len = 0;

	if (EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) != 1 || len != VG_SHA256_LEN)
		return VG_ERR_NOMEM;
	return VG_OK;
}

int
vg_sha256_hex(const void *data, size_t n, char hex[VG_SHA256_HEX])
{
	unsigned char md[VG_SHA256_LEN];
	int rc = vg_sha256(data, n, md);

	if (rc == VG_OK)
		vg_hex(md, sizeof(md), hex);
	else
		hex[0] = '\0';
	return rc;
}
