/* Quarantine vault: a suspected webshell is moved out of the web root into
 * VAULT/objects/<sha256> (mode 000) and recorded (where it came from, what found it)
 * in the vault's store VAULT/vault.db (record kind core/store_quarantine.h), so
 * nothing executable is left behind and it can be put back. */
#ifndef VG_QUARANTINE_H
#define VG_QUARANTINE_H

#include "core/store_quarantine.h"
#include "monitor/webshell.h"

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* Moves path (a regular file; symlinks and special files are refused with
 * VG_ERR_FORMAT) into vault, creating the vault (0700) if needed. f may be NULL;
 * if given, its score/rules/families go into the record. The original path is gone
 * on success: rename(2) on the same file system, else copy + fsync + unlink. The
 * object is stored mode 000 under its SHA-256; id_out (QUARANTINE_ID_MAX bytes) gets
 * the new id. If the move fails, the file is left in place with mode 000 (so it can
 * be neither run nor served) and err says so. On failure err holds a one-line
 * reason naming the path; on success
 * err is "" or a warning (e.g. other hard links to the file remain). */
int quarantine_file(const char *vault, const char *path, const struct webshell_finding *f,
    char *id_out, char *err, size_t err_size);

/* The same for rel beneath the directory descriptor rootfd (root is its path, for the
 * record and messages): the parent directory is opened beneath rootfd with no symlink
 * followed (core/beneath.h), and the file is moved, read and unlinked relative to
 * it, so a directory an attacker swaps for a symlink mid-way makes the move fail
 * (err says so) instead of moving a file outside the root. */
int quarantine_file_at(const char *vault, int rootfd, const char *root, const char *rel,
    const struct webshell_finding *f, char *id_out, char *err, size_t err_size);

/* The on-change step (vigil watch's file hook, vigil scan --quarantine): scans path
 * with s and, if it is malicious and vault is not NULL, quarantines it. Returns 1 if
 * the file was moved into the vault (id_out set), 0 if it was left where it is (f
 * says why: clean, suspicious, or err holds the failed move), negative VG_ERR_* if
 * it could not be scanned (vanished, special file, too big, unreadable). */
int quarantine_scan_and_act(struct webshell_scanner *s, const char *vault, const char *path,
    struct webshell_finding *f, char *id_out, char *err, size_t err_size);

/* quarantine_scan_and_act for rel beneath rootfd (any length: reached one component
 * at a time when longer than PATH_MAX), opened with no symlink followed; shown is the
 * path put into f. Same returns. */
int quarantine_scan_and_act_at(struct webshell_scanner *s, const char *vault, int rootfd,
    const char *root, const char *rel, const char *shown, struct webshell_finding *f,
    char *id_out, char *err, size_t err_size);

/* Reads every record of vault, sorted by quarantine time. *out (caller frees with
 * free()) may be NULL when *n is 0. An absent vault is an empty list. Unsound
 * records are skipped and counted in *bad (may be NULL). An older vault's JSON
 * sidecars (meta/ID.json) are imported into its store first, once. */
int quarantine_list(const char *vault, struct quarantine_entry **out, size_t *n, size_t *bad);

/* Puts quarantined file id (or a unique prefix of it) back at to (NULL = original
 * path) with its mode, owner (when permitted) and mtime, atomically (temp file +
 * rename). The object's SHA-256 is checked first: a corrupted object is never
 * restored (VG_ERR_FORMAT). An existing target is refused (VG_ERR_BUSY) unless
 * force. The record says where it was restored; the object stays in the vault. */
int quarantine_restore(const char *vault, const char *id, const char *to, bool force,
    struct quarantine_entry *restored, char *err, size_t err_size);

#endif
