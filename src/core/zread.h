/* Reads a file descriptor as plain text whether it holds plain bytes, gzip (zlib)
 * or zstd data, told apart by the magic bytes and never by the file's name: rotated
 * logs (access.log.2.gz, .zst) go through scan-log like any other. Streaming, so
 * memory stays bounded whatever the data inflates to. */
#ifndef VG_ZREAD_H
#define VG_ZREAD_H

#include <stddef.h>
#include <sys/types.h>

struct vg_zread;

/* Reads the first bytes of fd to tell its kind. 0 and *out (caller frees with
 * vg_zread_free; fd stays the caller's), VG_ERR_IO (errno) or VG_ERR_NOMEM. */
int vg_zread_open(int fd, struct vg_zread **out);
/* Up to n bytes of plain text: > 0 bytes, 0 at the end, VG_ERR_IO on a read error
 * (errno set), VG_ERR_FORMAT on corrupt or cut compressed data. */
ssize_t vg_zread(struct vg_zread *z, void *buf, size_t n);
/* "gzip", "zstd" or "plain". */
const char *vg_zread_kind(const struct vg_zread *z);
/* Accepts NULL. */
void vg_zread_free(struct vg_zread *z);

#endif
