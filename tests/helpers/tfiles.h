/* Scratch files for unit tests: rm -rf without a shell (depth-first, symlinks not
 * followed) and writing a small file. Header-only, as each unit test is built from
 * its one .c file. */
#ifndef VG_TEST_TFILES_H
#define VG_TEST_TFILES_H

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

static inline int
tfiles_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes dir and everything below it. 0, or -1. */
static inline int
rm_rf(const char *dir)
{
	return nftw(dir, tfiles_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes text to dir/rel (created or truncated). 0, or -1. */
static inline int
tfiles_put(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (!(fp = fopen(path, "w")))
		return -1;
	fputs(text, fp);
	return fclose(fp) == 0 ? 0 : -1;
}

#endif
