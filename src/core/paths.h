/* Finding data shipped with vigil (rules) whether it runs from a build tree or an
 * installed copy. */
#ifndef VG_PATHS_H
#define VG_PATHS_H

#include <stddef.h>

/* Looks for the directory `sub` (e.g. "rules/webshell") beside the running binary's
 * source tree (../sub and ../../sub from its directory, which covers build/ and
 * build/san/), then vg_data_dir()/sub; never the working directory. Writes the
 * first that exists into out; 0, or VG_ERR_NOTFOUND with out empty. */
int vg_find_data_dir(const char *sub, char *out, size_t size);

/* Creates path and any missing parents with mode (existing ones are left as they
 * are). 0, VG_ERR_INVAL for an empty or overlong path, VG_ERR_IO (errno set). */
int vg_mkdir_p(const char *path, unsigned mode);

/* The default directory for caches (compiled rule databases): /var/cache/vigil for
 * root, else $XDG_CACHE_HOME/vigil, else $HOME/.cache/vigil. Never the working
 * directory. 0, or VG_ERR_NOTFOUND when no home is known (then callers run uncached). */
int vg_default_cache_dir(char *out, size_t size);

/* The installed data directory compiled in by the build: $(PREFIX)/share/vigil
 * (/usr/share/vigil for the Debian package). A static string. */
const char *vg_data_dir(void);

/* The configuration to read when --config is not given: $VIGIL_CONFIG if set (empty:
 * none, built-in defaults), else $(SYSCONFDIR)/vigil/vigil.yaml (/etc/vigil/vigil.yaml)
 * when this user can read it. 0 with the path in out, or VG_ERR_NOTFOUND with out
 * empty (built-in defaults). */
int vg_default_config(char *out, size_t size);

#endif
