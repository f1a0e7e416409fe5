/* Plain, gzip and zstd input behind one read call (see zread.h). The first bytes
 * read to detect the kind stay in the input buffer, so a pipe (stdin) works too.
 * gzip files made of several members (cat a.gz b.gz) are read to the end, as
 * zstd's concatenated frames are. */
#include "core/zread.h"
#include "core/err.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define IN_SIZE (64u << 10)

enum zkind { ZK_PLAIN, ZK_GZIP, ZK_ZSTD };

struct vg_zread {
	int fd;
	enum zkind kind;
	unsigned char *in;
	size_t in_len, in_pos;
	bool eof;
	bool member_done;	/* gzip: a member ended; another may follow */
	size_t zstd_hint;	/* zstd: 0 once a frame is complete */
	z_stream zs;
	ZSTD_DStream *zd;
};

/* Refills the input buffer once: 0 (maybe at EOF) or VG_ERR_IO. */
static int
fill(struct vg_zread *z)
{
	if (z->in_pos < z->in_len || z->eof)
		return VG_OK;
	for (;;) {
		ssize_t r = read(z->fd, z->in, IN_SIZE);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return VG_ERR_IO;
		z->in_pos = 0;
		z->in_len = (size_t)r;
		z->eof = r == 0;
		return VG_OK;
	}
}

int
vg_zread_open(int fd, struct vg_zread **out)
{
	struct vg_zread *z = calloc(1, sizeof(*z));

	*out = NULL;
	if (!z || !(z->in = calloc(1, IN_SIZE))) {
		free(z);
		return VG_ERR_NOMEM;
	}
	z->fd = fd;
	/* at least 4 bytes (or the whole input) to see the magic */
	while (z->in_len < 4 && !z->eof) {
		ssize_t r = read(fd, z->in + z->in_len, IN_SIZE - z->in_len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			vg_zread_free(z);
			return VG_ERR_IO;
		}
		z->in_len += (size_t)r;
		z->eof = r == 0;
	}
	if (z->in_len >= 2 && z->in[0] == 0x1f && z->in[1] == 0x8b) {
		z->kind = ZK_GZIP;
		if (inflateInit2(&z->zs, 15 + 16) != Z_OK) {
			vg_zread_free(z);
			return VG_ERR_NOMEM;
		}
	} else if (z->in_len >= 4 && z->in[0] == 0x28 && z->in[1] == 0xb5 && z->in[2] == 0x2f &&
	    z->in[3] == 0xfd) {
		z->kind = ZK_ZSTD;
		if (!(z->zd = ZSTD_createDStream())) {
			vg_zread_free(z);
			return VG_ERR_NOMEM;
		}
		ZSTD_initDStream(z->zd);
	}
	if (z->eof)
		z->eof = false;	/* the next fill sees the end again */
	*out = z;
	return VG_OK;
}

static ssize_t
read_gzip(struct vg_zread *z, void *buf, size_t n)
{
	for (;;) {
		if (fill(z) != VG_OK)
			return VG_ERR_IO;
		if (z->in_pos == z->in_len && z->eof)
			return z->member_done ? 0 : VG_ERR_FORMAT;	/* cut short */
		if (z->member_done) {
			/* another member follows (or trailing bytes that are not one) */
			if (inflateReset(&z->zs) != Z_OK)
				return VG_ERR_FORMAT;
			z->member_done = false;
		}
		z->zs.next_in = z->in + z->in_pos;
		z->zs.avail_in = (uInt)(z->in_len - z->in_pos);
		z->zs.next_out = buf;
		z->zs.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
		int rc = inflate(&z->zs, Z_NO_FLUSH);
		size_t got = (size_t)((unsigned char *)z->zs.next_out - (unsigned char *)buf);
		z->in_pos = z->in_len - z->zs.avail_in;
		if (rc == Z_STREAM_END)
			z->member_done = true;
		else if (rc != Z_OK && rc != Z_BUF_ERROR)
			return VG_ERR_FORMAT;
		if (got > 0)
			return (ssize_t)got;
	}
}

static ssize_t
read_zstd(struct vg_zread *z, void *buf, size_t n)
{
	for (;;) {
		if (fill(z) != VG_OK)
			return VG_ERR_IO;
		if (z->in_pos == z->in_len && z->eof)
			return z->zstd_hint == 0 ? 0 : VG_ERR_FORMAT;	/* cut inside a frame */
		ZSTD_inBuffer in = { z->in, z->in_len, z->in_pos };
		ZSTD_outBuffer out = { buf, n, 0 };
		size_t rc = ZSTD_decompressStream(z->zd, &out, &in);
		if (ZSTD_isError(rc))
			return VG_ERR_FORMAT;
		z->in_pos = in.pos;
		z->zstd_hint = rc;
		if (out.pos > 0)
			return (ssize_t)out.pos;
	}
}

ssize_t
vg_zread(struct vg_zread *z, void *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (n > (size_t)SSIZE_MAX)
		n = (size_t)SSIZE_MAX;
	if (z->kind == ZK_GZIP)
		return read_gzip(z, buf, n);
	if (z->kind == ZK_ZSTD)
		return read_zstd(z, buf, n);
	if (z->in_pos < z->in_len) {
		size_t k = z->in_len - z->in_pos < n ? z->in_len - z->in_pos : n;
		memcpy(buf, z->in + z->in_pos, k);
		z->in_pos += k;
		return (ssize_t)k;
	}
	for (;;) {
		ssize_t r = read(z->fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		return r < 0 ? VG_ERR_IO : r;
	}
}

const char *
vg_zread_kind(const struct vg_zread *z)
{
	return z->kind == ZK_GZIP ? "gzip" : z->kind == ZK_ZSTD ? "zstd" : "plain";
}

void
vg_zread_free(struct vg_zread *z)
{
	if (!z)
		return;
	if (z->kind == ZK_GZIP)
		inflateEnd(&z->zs);
	ZSTD_freeDStream(z->zd);
	free(z->in);
	free(z);
}
