/* Parsers for bytes the console receives from browsers: route paths, integer
 * arguments, static paths and the login body. Pure functions, fuzzed by
 * tests/fuzz/fuzz_web.c. */
#include "web/web_int.h"
#include "core/buf.h"
#include "core/err.h"

#include <string.h>

bool
web_parse_int(const char *s, long long min, long long max, long long *out)
{
	if (!s || !*s || strlen(s) > 20)
		return false;
	for (const char *p = s; *p; p++)
		if ((*p < '0' || *p > '9') && !(p == s && *p == '-'))
			return false;
	return vg_parse_ll(s, min, max, out) == VG_OK;
}

bool
web_route_match(const char *pattern, const char *path, int64_t *id)
{
	const char *p = pattern, *s = path;

	*id = 0;
	while (*p) {
		if (strncmp(p, "{id}", 4) == 0) {
			char num[21];
			size_t n = strcspn(s, "/");
			long long v;
			if (n == 0 || n >= sizeof(num))
				return false;
			memcpy(num, s, n);
			num[n] = '\0';
			if (!web_parse_int(num, 1, INT64_MAX, &v))
				return false;
			*id = v;
			p += 4;
			s += n;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *s == '\0';
}

bool
web_static_path_ok(const char *path)
{
	size_t n = strnlen(path, 129);
	if (n == 0 || n > 128 || path[0] != '/' || strstr(path, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c < 0x21 || c >= 0x7f || c == '\\')
			return false;
	}
	return true;
}

bool
web_parse_login(const char *body, size_t len, char user[65], char password[1025])
{
	json_error_t jerr;
	json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	const char *u = NULL, *pw = NULL;
	bool ok = false;

	user[0] = password[0] = '\0';
	if (!o || !json_is_object(o))
		goto out;
	u = json_string_value(json_object_get(o, "user"));
	pw = json_string_value(json_object_get(o, "password"));
	/* Both must be strings without NUL bytes: json_string_length counts them. */
	if (!u || !pw || strlen(u) != json_string_length(json_object_get(o, "user")) ||
	    strlen(pw) != json_string_length(json_object_get(o, "password")))
		goto out;
	if (strlen(u) > 64 || strlen(pw) > 1024 || !*u || !*pw)
		goto out;
	memcpy(user, u, strlen(u) + 1);
	memcpy(password, pw, strlen(pw) + 1);
	ok = true;
out:
	json_decref(o);
	return ok;
}
