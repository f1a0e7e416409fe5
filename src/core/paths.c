/* Data directory lookup: build tree first, so a developer's edits are what runs, then
 * the installed tree, whose location the build compiles in (make PREFIX=...). */
#include "core/paths.h"
#include "core/buf.h"
#include "core/err.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef VIGIL_DATADIR
#define VIGIL_DATADIR "/usr/share/vigil"
#endif
#ifndef VIGIL_SYSCONFDIR
#define VIGIL_SYSCONFDIR "/etc"
#endif

static bool
is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int
vg_mkdir_p(const char *path, unsigned mode)
{
	char tmp[4096];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(tmp))
		return VG_ERR_INVAL;
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(tmp, mode) != 0 && errno != EEXIST)
			return VG_ERR_IO;
		if (!(*p = c))
			return VG_OK;
	}
}

int
vg_default_cache_dir(char *out, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int w;

	out[0] = '\0';
	if (geteuid() == 0)
		w = snprintf(out, size, "/var/cache/vigil");
	else if (xdg && xdg[0] == '/')
		w = snprintf(out, size, "%s/vigil", xdg);
	else if (home && home[0] == '/')
		w = snprintf(out, size, "%s/.cache/vigil", home);
	else
		return VG_ERR_NOTFOUND;
	if (w < 0 || (size_t)w >= size) {
		out[0] = '\0';
		return VG_ERR_NOTFOUND;
	}
	return VG_OK;
}

int
vg_find_data_dir(const char *sub, char *out, size_t size)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	out[0] = '\0';
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			static const char *const up[] = { "/../", "/../../" };
			for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
				int w = snprintf(out, size, "%s%s%s", exe, up[i], sub);
				if (w > 0 && (size_t)w < size && is_dir(out))
					return VG_OK;
			}
		}
	}
	if (snprintf(out, size, "%s/%s", VIGIL_DATADIR, sub) < (int)size && is_dir(out))
		return VG_OK;
	/* never the working directory: whoever can write there would choose the rules */
	out[0] = '\0';
	return VG_ERR_NOTFOUND;
}

const char *
vg_data_dir(void)
{
	return VIGIL_DATADIR;
}

int
vg_default_config(char *out, size_t size)
{
	const char *env = getenv("VIGIL_CONFIG");
	int w;

	out[0] = '\0';
	if (env)	/* set: the caller's choice, even "" (built-in defaults) */
		return env[0] && vg_strlcpy(out, env, size) == VG_OK ? VG_OK : VG_ERR_NOTFOUND;
	w = snprintf(out, size, "%s/vigil/vigil.yaml", VIGIL_SYSCONFDIR);
	/* A user who may not read the system's configuration (it can hold notification
	 * secrets) gets the built-in defaults, as if there were none. */
	if (w > 0 && (size_t)w < size && access(out, R_OK) == 0)
		return VG_OK;
	out[0] = '\0';
	return VG_ERR_NOTFOUND;
}
