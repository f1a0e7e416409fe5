/* Console authentication: argon2id password hashes (libsodium crypto_pwhash_str),
 * random session tokens kept only as their SHA-256, generated passwords, and the
 * per-address login limiter. Pure functions and one bounded table; no I/O. */
#ifndef VG_WEB_AUTH_H
#define VG_WEB_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUTH_HASH_MAX 128	/* >= crypto_pwhash_STRBYTES */
#define AUTH_TOKEN_LEN 43	/* 256 bits, base64url without padding */
#define AUTH_HEX_LEN 64		/* SHA-256 / CSRF token as hex */
#define AUTH_PASSWORD_MIN 10

/* Initialises libsodium; 0 or VG_ERR_NOMEM. Call once before the rest. */
int auth_init(void);

/* argon2id hash of password into out (AUTH_HASH_MAX bytes). 0 or VG_ERR_NOMEM. */
int auth_hash_password(const char *password, char out[AUTH_HASH_MAX]);
/* True if password matches hash. */
bool auth_check_password(const char *hash, const char *password);
/* Spends the same time as a check against a real hash, so an unknown user name
 * takes as long to refuse as a wrong password. */
void auth_check_dummy(const char *password);

/* A random 20-character password from an unambiguous alphabet (~115 bits). */
void auth_gen_password(char out[21]);
/* A new session token (AUTH_TOKEN_LEN chars + NUL) and its stored form (hex SHA-256);
 * 0 or VG_ERR_NOMEM. */
int auth_new_token(char token[AUTH_TOKEN_LEN + 1], char hash_hex[AUTH_HEX_LEN + 1]);
/* The stored form of a token from a cookie; VG_ERR_INVAL if it is not one of ours
 * (wrong length or alphabet). */
int auth_token_hash(const char *token, char hash_hex[AUTH_HEX_LEN + 1]);
/* A random CSRF token (hex). */
void auth_new_csrf(char out[AUTH_HEX_LEN + 1]);
/* Constant-time equality of two NUL-terminated strings (false if either is NULL). */
bool auth_equal(const char *a, const char *b);

/* User names: 1-64 of [A-Za-z0-9._-]. Passwords: AUTH_PASSWORD_MIN..1024 bytes. */
bool auth_valid_user(const char *name);
bool auth_valid_password(const char *pw);

/* Login limiter: at most RL_MAX_FAILS failures per address per RL_WINDOW; then the
 * address waits out RL_BLOCK. A fixed table; when full, the stalest entry is
 * replaced and counted in evicted. */
#define RL_SLOTS 1024
#define RL_MAX_FAILS 5
#define RL_WINDOW_US (60LL * 1000000)
#define RL_BLOCK_US (300LL * 1000000)

struct rl_slot {
	char addr[48];
	int64_t window_start;
	int64_t blocked_until;
	int fails;
};

struct ratelimit {
	struct rl_slot slot[RL_SLOTS];
	uint64_t evicted;
	uint64_t refused;
};

/* 0 when addr may try now; otherwise the seconds to wait (and refused++). */
int64_t rl_check(struct ratelimit *rl, const char *addr, int64_t now_us);
void rl_fail(struct ratelimit *rl, const char *addr, int64_t now_us);
void rl_success(struct ratelimit *rl, const char *addr);

#endif
