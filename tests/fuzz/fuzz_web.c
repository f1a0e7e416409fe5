/* libFuzzer harness for the console's request parsers (src/web/parse.c, auth.c):
 * the input is split into a path, a query value, a cookie and a login body. Any
 * outcome is fine except a crash, a leak, or an answer that breaks the parsers'
 * promises (a matched {id} that is not positive, a token hash of the wrong size). */
#include "web/web_int.h"
#include "core/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Next NUL-separated piece of the input, copied and NUL-terminated. */
static char *
piece(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
	size_t n = z ? (size_t)(z - *p) : (size_t)(end - *p);
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p += z ? n + 1 : n;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *path = piece(&p, end), *arg = piece(&p, end), *tok = piece(&p, end);
	char user[65], pw[1025], hash[AUTH_HEX_LEN + 1];
	long long v;
	int64_t id;
	static struct ratelimit rl;

	for (const struct web_route *r = web_routes; r->method; r++)
		if (web_route_match(r->pattern, path, &id) && strstr(r->pattern, "{id}") && id <= 0)
			abort();
	(void)web_static_path_ok(path);
	if (web_parse_int(arg, 1, 500, &v) && (v < 1 || v > 500))
		abort();
	if (auth_token_hash(tok, hash) == VG_OK && strlen(hash) != AUTH_HEX_LEN)
		abort();
	(void)auth_valid_user(arg);
	if (web_parse_login((const char *)p, (size_t)(end - p), user, pw) &&
	    (strlen(user) > 64 || strlen(pw) > 1024 || !*user || !*pw))
		abort();
	/* The limiter keeps a fixed table whatever the addresses. */
	rl_fail(&rl, arg[0] ? arg : "x", (int64_t)size * 1000000);
	(void)rl_check(&rl, path, 0);
	free(path);
	free(arg);
	free(tok);
	return 0;
}
