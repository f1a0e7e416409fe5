/* Content-addressed object store for web-root backups: every file body is kept once,
 * named by its SHA-256 (objects/ab/cdef...), written to a temp file, fsynced and
 * renamed so a crash never leaves a half object under a real name. It is also vigil's
 * one SHA-256 provider (OpenSSL; hex written in one place): objstore_hash_fd and
 * objstore_hash_copy_fd. */
#ifndef VG_OBJSTORE_H
#define VG_OBJSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OBJ_HEX_SIZE 65		/* 64 hex digits + NUL */
#define OBJ_BUF_SIZE (1 << 20)	/* read buffer: big reads keep the hash fed */

/* Creates dir and its objects/, tmp/, snapshots/, removed/, publish/ subdirectories
 * (mode 0700). 0 or VG_ERR_IO. */
int objstore_init(const char *dir);

/* Hashes what remains of fd with SHA-256 using buf (bufsz bytes, caller's); sets hex
 * and *size. 0 or VG_ERR_IO. */
int objstore_hash_fd(int fd, unsigned char *buf, size_t bufsz, char hex[OBJ_HEX_SIZE],
    uint64_t *size);

/* The same, copying every byte read to out_fd as well (the quarantine vault hashes
 * what it stores this way). 0 or VG_ERR_IO. */
int objstore_hash_copy_fd(int fd, int out_fd, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE], uint64_t *size);

/* Opens path without following symlinks and refusing anything but a regular file
 * (a FIFO or device is never opened for reading), then hashes it. VG_ERR_FORMAT if
 * not a regular file, VG_ERR_NOTFOUND if it vanished, VG_ERR_IO otherwise. */
int objstore_hash_path(const char *path, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE], uint64_t *size);

/* The same for rel beneath the directory rootfd (core/beneath.h: no symlink on the
 * way is followed; one there is VG_ERR_FORMAT, like a symlink at the end). */
int objstore_hash_at(int rootfd, const char *rel, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE], uint64_t *size);

/* Writes "dir/objects/ab/cdef..." into out. 0 or VG_ERR_LIMIT / VG_ERR_INVAL. */
int objstore_path(const char *dir, const char *hex, char *out, size_t out_size);

bool objstore_has(const char *dir, const char *hex);
/* True if object hex exists, is size bytes and matches its name: trusted without a read
 * while sealed (the fixed mtime the store gives it), else re-hashed (and sealed if
 * sound). What a snapshot uses to skip storing a file again: a corrupted object is
 * stored anew. buf (bufsz bytes) is the caller's. */
bool objstore_has_sound(const char *dir, const char *hex, uint64_t size, unsigned char *buf,
    size_t bufsz);

/* Copies the file at path into the store, hashing while copying; hex receives the
 * hash of what was actually stored (it may differ from an earlier hash if the file
 * changed meanwhile). Deduplicated: an existing object is kept if it is sound (sealed
 * with the store's fixed mtime and of the right size, else re-hashed); a corrupted one
 * is replaced by the copy just read. Verify and restore unseal a corrupted object they
 * meet. 0 or VG_ERR_*. */
int objstore_put_path(const char *dir, const char *path, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE]);

/* Batched puts (a first backup of 50k files): stage copies into tmp/ without fsync,
 * then objstore_sync() once (syncfs: every staged byte is durable), then commit each
 * (rename into objects/), then objstore_sync() again before a manifest names them.
 * staged (staged_size bytes) gets the temp path, "" if the object already existed. */
int objstore_stage_path(const char *dir, const char *path, unsigned char *buf, size_t bufsz,
    char hex[OBJ_HEX_SIZE], char *staged, size_t staged_size);
int objstore_sync(const char *dir);
int objstore_commit_staged(const char *dir, const char *staged, const char *hex);

/* Calls fn for each object name found under dir/objects (in directory order), with the
 * full hex name and the object's path; stops at fn's first non-zero return, which it
 * returns. VG_ERR_NOTFOUND if dir/objects cannot be opened. */
typedef int (*objstore_each_fn)(void *arg, const char *hex, const char *path);
int objstore_foreach(const char *dir, objstore_each_fn fn, void *arg);

/* Re-hashes one object. 0 ok, VG_ERR_NOTFOUND missing, VG_ERR_FORMAT corrupted. */
int objstore_verify(const char *dir, const char *hex, unsigned char *buf, size_t bufsz);

/* Copies object hex into out_fd (from its current offset), checking the hash on the
 * way. VG_ERR_FORMAT if the object is corrupted: the caller must then discard what was
 * written, never install it. VG_ERR_NOTFOUND if missing. */
int objstore_copy_to_fd(const char *dir, const char *hex, int out_fd, unsigned char *buf,
    size_t bufsz);

/* Reads object hex into a malloc'd NUL-terminated buffer if it is at most max bytes
 * (VG_ERR_LIMIT otherwise); checks the hash. Caller frees *out. */
int objstore_read(const char *dir, const char *hex, size_t max, char **out, size_t *len);

#endif
