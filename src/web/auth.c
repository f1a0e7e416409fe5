/* Passwords, tokens and the login limiter for the console (see auth.h). */
#include "web/auth.h"
#include "core/sha256.h"
#include "core/err.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int
auth_init(void)
{
	return sodium_init() < 0 ? VG_ERR_NOMEM : VG_OK;
}

int
auth_hash_password(const char *password, char out[AUTH_HASH_MAX])
{
	_Static_assert(AUTH_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
	if (crypto_pwhash_str_alg(out, password, strlen(password),
		crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
		crypto_pwhash_ALG_ARGON2ID13) != 0)
		return VG_ERR_NOMEM;
	return VG_OK;
}

bool
auth_check_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void
auth_check_dummy(const char *password)
{
	unsigned char out[32], salt[crypto_pwhash_SALTBYTES] = { 0 };
	/* Same parameters as a stored hash: the cost is what matters, not the result. */
	if (crypto_pwhash(out, sizeof(out), password, strlen(password), salt,
		crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
		crypto_pwhash_ALG_ARGON2ID13) != 0)
		sodium_memzero(out, sizeof(out));
}

void
auth_gen_password(char out[21])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < 20; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[20] = '\0';
}

_Static_assert(AUTH_HEX_LEN + 1 == VG_SHA256_HEX, "a token's stored form is its SHA-256 hex");

int
auth_new_token(char token[AUTH_TOKEN_LEN + 1], char hash_hex[AUTH_HEX_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return vg_sha256_hex(token, strlen(token), hash_hex);
}

int
auth_token_hash(const char *token, char hash_hex[AUTH_HEX_LEN + 1])
{
	size_t n = 0;

	hash_hex[0] = '\0';
	if (!token)
		return VG_ERR_INVAL;
	for (; token[n]; n++) {
		char c = token[n];
		if (n >= AUTH_TOKEN_LEN || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_'))
			return VG_ERR_INVAL;
	}
	if (n != AUTH_TOKEN_LEN)
		return VG_ERR_INVAL;
	return vg_sha256_hex(token, n, hash_hex);
}

void
auth_new_csrf(char out[AUTH_HEX_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, AUTH_HEX_LEN + 1, raw, sizeof(raw));
}

bool
auth_equal(const char *a, const char *b)
{
	size_t n;
	if (!a || !b || (n = strlen(a)) != strlen(b) || n == 0)
		return false;
	return sodium_memcmp(a, b, n) == 0;
}

bool
auth_valid_user(const char *name)
{
	size_t n = 0;
	if (!name)
		return false;
	for (; name[n]; n++) {
		char c = name[n];
		if (n >= 64 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return n > 0;
}

bool
auth_valid_password(const char *pw)
{
	size_t n = pw ? strnlen(pw, 1025) : 0;
	return n >= AUTH_PASSWORD_MIN && n <= 1024;
}

static struct rl_slot *
rl_find(struct ratelimit *rl, const char *addr, bool create, int64_t now_us)
{
	struct rl_slot *stale = &rl->slot[0];
	for (size_t i = 0; i < RL_SLOTS; i++) {
		struct rl_slot *s = &rl->slot[i];
		if (s->addr[0] && strcmp(s->addr, addr) == 0)
			return s;
		if (!s->addr[0] || (stale->addr[0] && s->window_start < stale->window_start))
			stale = s;
	}
	if (!create)
		return NULL;
	if (stale->addr[0])
		rl->evicted++;
	memset(stale, 0, sizeof(*stale));
	snprintf(stale->addr, sizeof(stale->addr), "%s", addr);
	stale->window_start = now_us;
	return stale;
}

int64_t
rl_check(struct ratelimit *rl, const char *addr, int64_t now_us)
{
	struct rl_slot *s = rl_find(rl, addr, false, now_us);
	if (!s || s->blocked_until <= now_us)
		return 0;
	rl->refused++;
	return (s->blocked_until - now_us) / 1000000 + 1;
}

void
rl_fail(struct ratelimit *rl, const char *addr, int64_t now_us)
{
	struct rl_slot *s = rl_find(rl, addr, true, now_us);
	if (now_us - s->window_start > RL_WINDOW_US) {
		s->window_start = now_us;
		s->fails = 0;
	}
	if (++s->fails >= RL_MAX_FAILS) {
		s->blocked_until = now_us + RL_BLOCK_US;
		s->fails = 0;
		s->window_start = now_us;
	}
}

void
rl_success(struct ratelimit *rl, const char *addr)
{
	struct rl_slot *s = rl_find(rl, addr, false, 0);
	if (s)
		memset(s, 0, sizeof(*s));
}
