/* The one sanitiser for text that carries outside bytes (log lines, URLs, agents,
 * user names, file names, symlink targets, page excerpts, diffs) on its way to a
 * terminal, a text file or syslog, as OpenSSH prints server strings through vis.
 * Valid UTF-8 is kept; C0 controls, DEL, C1 controls (raw or UTF-8 encoded), ESC,
 * invalid bytes and Unicode line separators / bidi overrides become \xNN per byte;
 * a backslash becomes "\\" so every escaped text reads back unambiguously. */
#ifndef VG_ESC_H
#define VG_ESC_H

#include <stddef.h>
#include <stdio.h>

struct vg_buf;

/* Room for a file name or a URL of a few KB after escaping; longer inputs are cut. */
#define VG_ESC_MAX 4096

/* Writes the escaped form of src[0..len) into dst (always NUL-terminated when
 * dst_size > 0). Output is cut at a character boundary and ends in "..." when it
 * does not fit. Returns the number of bytes written, without the NUL. */
size_t vg_esc(char *dst, size_t dst_size, const void *src, size_t len);

/* vg_esc for a NUL-terminated string (NULL prints as ""); returns dst, so it can
 * sit in a printf argument list: printf("%s\n", vg_esc_s(e, sizeof e, name)). */
const char *vg_esc_s(char *dst, size_t dst_size, const char *s);

/* Appends the escaped form of src[0..len) to b. VG_ERR_LIMIT if b is full (the
 * bytes that fit were appended). */
int vg_esc_buf(struct vg_buf *b, const void *src, size_t len);

/* Writes the escaped form of src[0..len) to f without a size limit (diffs, whole
 * lines). 0, or VG_ERR_IO when the stream reports an error. */
int vg_esc_fwrite(FILE *f, const void *src, size_t len);

/* Same, but '\n' stays a line break: for multi-line text whose lines vigil
 * frames itself (a diff, where every line starts with ' ', '+' or '-'). */
int vg_esc_fwrite_lines(FILE *f, const void *src, size_t len);

/* 1 when src[0..len) would print unchanged. */
int vg_esc_clean(const void *src, size_t len);

#endif
