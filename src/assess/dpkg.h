/* The dpkg status database (/var/lib/dpkg/status of a tree): the installed
 * packages with their versions and source packages, for the baseline's package
 * probe and for matching against vulnerability feeds (the Debian tracker and OSV
 * "Debian" entries name source packages). */
#ifndef VG_ASSESS_DPKG_H
#define VG_ASSESS_DPKG_H

#include <stddef.h>

struct dpkg_pkg {
	char *name, *version, *arch;
	char *source, *source_version;	/* the package itself when no Source: */
};

struct dpkg_db {
	struct dpkg_pkg *pkgs;
	size_t n;
};

#define DPKG_MAX_PKGS 100000

/* Parses status text (len bytes, stanzas separated by blank lines); keeps the
 * packages whose Status ends in " installed". 0, VG_ERR_NOMEM or VG_ERR_LIMIT
 * (more than DPKG_MAX_PKGS). Malformed stanzas are skipped. Free with
 * dpkg_db_free (accepts an emptied db). */
int dpkg_status_parse(const char *text, size_t len, struct dpkg_db *db);
void dpkg_db_free(struct dpkg_db *db);

#endif
