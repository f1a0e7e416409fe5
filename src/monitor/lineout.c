/* Line output of `vigil tail`: each line of a round as one JSON object, written
 * to stdout or a file when the round commits, with the file positions (and the
 * output file's committed size) saved in the store. */
#include "monitor/lineout.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "monitor/tail.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUT_MAX (32 << 20)
#define OUT_FLUSH_AT (8 << 20)	/* stop a batch here: the rest waits for the next one */

struct lineout {
	struct vg_buf *out;	/* this batch's JSON lines */
	bool full;
	int out_fd;		/* --output file, or -1 for stdout */
	char *out_key;		/* its record in source_offsets: bytes of committed output */
	uint64_t out_size;	/* committed size of the --output file */
	const struct vg_logger *lg;
	struct vg_store *st;	/* NULL: positions are not kept */
	struct tailer *t;	/* for "anything unsaved?"; may be NULL */
	struct spine *sp;
};

#define OUTPUT_KEY_PREFIX "vigil-tail-output:"

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return VG_ERR_IO;
		p += w;
		n -= (size_t)w;
	}
	return VG_OK;
}

int
lineout_line(const struct source_line *line, void *arg)
{
	struct lineout *tc = arg;
	json_t *j;
	char *s;
	int r;

	if (vg_buf_len(tc->out) >= OUT_FLUSH_AT) {
		tc->full = true;
		return 1;	/* back-pressure: not consumed, delivered again next batch */
	}
	j = json_pack("{s:s, s:s, s:I, s:o, s:b}", "source", line->source, "path", line->path,
	    "offset", (json_int_t)line->offset_after, "line",
	    vg_json_string_lossy(line->data, line->len), "truncated", line->truncated);
	if (!j)
		return VG_ERR_NOMEM;
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!s)
		return VG_ERR_NOMEM;
	r = vg_buf_puts(tc->out, s);
	if (r == VG_OK)
		r = vg_buf_puts(tc->out, "\n");
	free(s);
	return r;
}

/* With --output, the batch is written to the file first and the file's new size
 * is committed with the positions; a restart cuts the file back to the committed
 * size, so a kill at any point leaves every line in it exactly once. On stdout
 * nothing can be taken back, so positions go first and output second: a kill in
 * between loses at most this batch's printing, never duplicates it. */
static int
commit_batch(struct lineout *tc)
{
	size_t len = vg_buf_len(tc->out);
	int r = VG_OK;

	if (tc->out_fd >= 0 && len > 0) {
		r = write_all(tc->out_fd, vg_buf_ptr(tc->out), len);
		if (r != VG_OK)
			vg_warn(tc->lg, "tail: cannot write output: %s", strerror(errno));
	}
	/* nothing to save: no empty transaction (it would wait on a busy store too) */
	struct vg_store *st = tc->st;
	if (st && r == VG_OK && (len > 0 || (tc->t && tail_unsaved(tc->t)))) {
		bool began = (r = store_begin(st)) == VG_OK;
		if (r == VG_OK)
			r = spine_checkpoint(tc->sp, st);
		if (r == VG_OK && tc->out_fd >= 0 && len > 0) {
			struct store_offset so = { .offset = tc->out_size + len };
			r = store_offset_set(st, tc->out_key, &so);
		}
		if (r == VG_OK)
			r = store_commit(st);
		if (r != VG_OK) {
			vg_warn(tc->lg, "tail: cannot save positions (%s); will retry",
			    store_errmsg(st));
			if (began)
				store_rollback(st);
		}
	}
	if (r != VG_OK) {
		/* take the batch back: the lines are read again next time */
		spine_rewind(tc->sp);
		if (tc->out_fd >= 0 && ftruncate(tc->out_fd, (off_t)tc->out_size) != 0)
			vg_warn(tc->lg, "tail: cannot cut output back: %s", strerror(errno));
		vg_buf_reset(tc->out);
		tc->full = false;
		return r;
	}
	spine_committed(tc->sp);	/* without a store: releases finished rotated files */
	if (tc->out_fd >= 0) {
		tc->out_size += len;
	} else if (len > 0) {
		fwrite(vg_buf_ptr(tc->out), 1, len, stdout);
		fflush(stdout);
	}
	vg_buf_reset(tc->out);
	tc->full = false;
	return VG_OK;
}

/* Opens --output; with a store, cuts it back to the size committed last time. */
static int
open_output(struct lineout *tc, const char *path)
{
	struct vg_store *st = tc->st;
	struct store_offset so;
	struct stat sb;
	char *abs = realpath(path, NULL);
	size_t n;

	tc->out_fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (tc->out_fd < 0 || fstat(tc->out_fd, &sb) != 0) {
		fprintf(stderr, "vigil tail: --output %s: %s\n", path, strerror(errno));
		free(abs);
		return VG_ERR_IO;
	}
	if (!abs)
		abs = realpath(path, NULL);	/* exists now */
	n = sizeof(OUTPUT_KEY_PREFIX) + strlen(abs ? abs : path);
	tc->out_key = malloc(n);
	if (!tc->out_key) {
		free(abs);
		return VG_ERR_NOMEM;
	}
	snprintf(tc->out_key, n, "%s%s", OUTPUT_KEY_PREFIX, abs ? abs : path);
	free(abs);
	tc->out_size = (uint64_t)sb.st_size;
	if (st && store_offset_get(st, tc->out_key, &so) == VG_OK &&
	    so.offset <= (uint64_t)sb.st_size) {
		if (so.offset < (uint64_t)sb.st_size)
			vg_info(tc->lg, "tail: dropping %llu bytes of uncommitted output from %s",
			    (unsigned long long)((uint64_t)sb.st_size - so.offset), path);
		if (ftruncate(tc->out_fd, (off_t)so.offset) != 0)
			return VG_ERR_IO;
		tc->out_size = so.offset;
	}
	if (lseek(tc->out_fd, (off_t)tc->out_size, SEEK_SET) < 0)
		return VG_ERR_IO;
	return VG_OK;
}


void
lineout_round_end(void *arg, bool poll, bool stop)
{
	struct lineout *tc = arg;
	bool full = tc->full;
	(void)poll;
	(void)stop;
	/* back-pressure: the rest waits for the next round, which comes at once */
	if (commit_batch(tc) == VG_OK && full)
		spine_again(tc->sp);
}

int
lineout_new(const struct vg_logger *lg, struct vg_store *st, struct tailer *t,
    const char *output, struct lineout **out)
{
	struct lineout *tc = calloc(1, sizeof(*tc));

	*out = NULL;
	if (!tc)
		return VG_ERR_NOMEM;
	tc->out_fd = -1;
	tc->lg = lg;
	tc->st = st;
	tc->t = t;
	if (!(tc->out = vg_buf_new(OUT_MAX))) {
		free(tc);
		return VG_ERR_NOMEM;
	}
	if (output && open_output(tc, output) != VG_OK) {
		lineout_free(tc);
		return VG_ERR_IO;
	}
	*out = tc;
	return VG_OK;
}

void
lineout_set_spine(struct lineout *tc, struct spine *sp)
{
	tc->sp = sp;
}

void
lineout_free(struct lineout *tc)
{
	if (!tc)
		return;
	vg_buf_free(tc->out);
	if (tc->out_fd >= 0)
		close(tc->out_fd);
	free(tc->out_key);
	free(tc);
}
