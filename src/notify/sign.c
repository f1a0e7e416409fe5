/* Robot URL signatures (DingTalk, Feishu/Lark) with OpenSSL's HMAC-SHA256. */
#include "notify/notify.h"
#include "core/err.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

static int
hmac_b64(const char *key, size_t key_len, const char *msg, size_t msg_len, char *out,
    size_t size)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;

	if (size < 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1)
		return VG_ERR_LIMIT;
	if (!HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, msg_len, mac,
		&mac_len))
		return VG_ERR_INVAL;
	EVP_EncodeBlock((unsigned char *)out, mac, (int)mac_len);
	return VG_OK;
}

int
notify_sign_dingtalk(const char *secret, long long ts_ms, char *out, size_t size)
{
	char msg[1024], b64[128];
	size_t o = 0;
	int n = snprintf(msg, sizeof(msg), "%lld\n%s", ts_ms, secret);
	int r;

	if (n < 0 || (size_t)n >= sizeof(msg))
		return VG_ERR_LIMIT;
	if ((r = hmac_b64(secret, strlen(secret), msg, (size_t)n, b64, sizeof(b64))) != VG_OK)
		return r;
	/* URL-encode the base64 alphabet's three specials. */
	for (const char *p = b64; *p; p++) {
		const char *enc = *p == '+' ? "%2B" : *p == '/' ? "%2F" : *p == '=' ? "%3D" : NULL;
		size_t need = enc ? 3 : 1;
		if (o + need >= size)
			return VG_ERR_LIMIT;
		if (enc) {
			memcpy(out + o, enc, 3);
		} else {
			out[o] = *p;
		}
		o += need;
	}
	out[o] = '\0';
	return VG_OK;
}

int
notify_sign_feishu(const char *secret, long long ts_s, char *out, size_t size)
{
	char key[1024];
	int n = snprintf(key, sizeof(key), "%lld\n%s", ts_s, secret);

	if (n < 0 || (size_t)n >= sizeof(key))
		return VG_ERR_LIMIT;
	return hmac_b64(key, (size_t)n, "", 0, out, size);
}
