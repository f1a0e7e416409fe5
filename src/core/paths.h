/* Finding data shipped with vigil (rules) whether it runs from a build tree or an
 * installed copy. */
#ifndef VG_PATHS_H
#define VG_PATHS_H

#include <stddef.h>

/* Looks for the directory `sub` (e.g. "rules/webshell") beside the running binary's
 * source tree (../sub and ../../sub from its directory, which covers build/ and
 * build/san/), then /usr/share/vigil/sub, then ./sub. Writes the first that exists
 * into out; 0, or VG_ERR_NOTFOUND with out empty. */
int vg_find_data_dir(const char *sub, char *out, size_t size);

#endif
