/* Version comparison per ecosystem: dpkg's rules for Debian and Ubuntu packages
 * (epoch, upstream, revision, '~' sorting before everything), semver for npm, Go,
 * crates.io and ranges typed SEMVER (pre-releases before the release, build metadata
 * ignored), and plain dotted versions for products seen in banners (dpkg's
 * character-by-character rule without epoch or revision, so "1.1.1k" < "1.1.1w" and
 * "9.2p1" < "9.3p2"). */
#ifndef VG_ASSESS_VERS_H
#define VG_ASSESS_VERS_H

enum vers_scheme { VERS_DPKG = 0, VERS_SEMVER, VERS_DOTTED };

/* "dpkg", "semver", "dotted"; never NULL. */
const char *vers_scheme_name(enum vers_scheme s);
int vers_scheme_parse(const char *name, enum vers_scheme *out);
/* The scheme an OSV ecosystem ("Debian:12", "npm", ...) orders versions by. */
enum vers_scheme vers_scheme_for_ecosystem(const char *ecosystem);

/* Compares a and b under s: *out < 0, 0 or > 0. VG_ERR_PARSE when either is not a
 * version of that scheme (empty, a dpkg version with a bad epoch, a semver without
 * three numbers): the caller then reports "unknown", never "vulnerable". */
int vers_cmp(enum vers_scheme s, const char *a, const char *b, int *out);

#endif
