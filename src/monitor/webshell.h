/* Webshell detection for files under a web root: YARA rules (rules/webshell/NAME.yar,
 * compiled once, one YR_SCANNER per thread from a pool) plus file statistics, folded
 * into one score with levels so a single weak signal never raises an alarm. */
#ifndef VG_WEBSHELL_H
#define VG_WEBSHELL_H

#include "core/log.h"

#include <stdbool.h>
#include <stddef.h>

/* Score thresholds: a rule's weight (meta "weight") is chosen against these, so a
 * strong rule alone is malicious, a medium one suspicious and a weak one neither. */
#define WEBSHELL_SUSPICIOUS 40
#define WEBSHELL_MALICIOUS 70

/* Statistics never add more than this, so statistics alone stay "clean". */
#define WEBSHELL_STATS_MAX 35

#define WEBSHELL_DEFAULT_MAX_SIZE (8LL * 1024 * 1024)
#define WEBSHELL_DEFAULT_TIMEOUT 5	/* seconds of YARA time per file */

/* Boolean external variable the rules may use; see has_hex16_literal(). */
#define WEBSHELL_EXT_HEX_KEY "vigil_hex_key"

struct webshell_scanner;

struct webshell_finding {
	char path[4096];
	int score;			/* 0..100: rule weights + statistics, capped */
	int rule_score;			/* the part from YARA rules (capped at 100) */
	int stats_score;		/* the part from statistics (<= WEBSHELL_STATS_MAX);
					 * the statistics below are 0 when not computed (no
					 * rule matched and not full) */
	const char *level;		/* static: "clean", "suspicious" or "malicious" */
	char families[256];		/* comma-separated, de-duplicated, e.g. "exec-sink,polyglot" */
	char rules[512];		/* comma-separated matched rule names */
	bool lists_truncated;		/* families/rules did not fit */
	long long size;			/* bytes */
	char sha256[65];		/* hex; "" for clean files unless full */
	double entropy;			/* Shannon entropy, bits per byte (0..8) */
	size_t longest_token;		/* longest run of bytes without whitespace */
	double compress_ratio;		/* estimate in 0..1: share of 4-byte sequences never
					 * seen earlier; ~1 for packed/encoded data;
					 * 0 = not computed (binary or < 256 bytes) */
	double nonprint_share;		/* share of control bytes other than \t \n \r */
	bool yara_limited;		/* YARA hit its timeout or match limit: partial result */
};

/* Compiles every *.yar file in rules_path (a directory, read in name order, or a
 * single file) once. log may be NULL. On failure returns a negative VG_ERR_*, *out
 * stays NULL and err holds "file:line: message" for the first compile error. The
 * scanner is safe to share between threads; free it with webshell_scanner_free(). */
int webshell_scanner_new(const char *rules_path, const struct vg_logger *log,
    struct webshell_scanner **out, char *err, size_t err_size);

/* Limits for every later scan: files above max_size bytes are refused with
 * VG_ERR_LIMIT (never read), YARA gets timeout_s seconds per file. 0 keeps the
 * current value. */
void webshell_scanner_set_limits(struct webshell_scanner *s, long long max_size, int timeout_s);

/* By default statistics are computed only for files at least one rule matched
 * (alone they are capped below "suspicious", so they cannot change the level of
 * the rest) and SHA-256 only for suspicious and malicious files: on a clean tree
 * that leaves just the YARA pass. on = both for every file (a full report). */
void webshell_scanner_set_full(struct webshell_scanner *s, bool on);

/* Scans one file. Only regular files are opened (lstat first, then open with
 * O_NOFOLLOW|O_NONBLOCK and fstat again, so a FIFO, device or symlink is never
 * read). VG_OK with f filled; otherwise f->path is set and the error is per-file
 * and recoverable: VG_ERR_FORMAT (not a regular file), VG_ERR_LIMIT (too big),
 * VG_ERR_NOTFOUND (vanished), VG_ERR_IO (unreadable, errno kept). Thread-safe. */
int webshell_scan_file(struct webshell_scanner *s, const char *path, struct webshell_finding *f);

/* The same on a descriptor the caller opened (beneath a directory descriptor, say):
 * only a regular file is read (VG_ERR_FORMAT otherwise), never more than the size
 * limit. path is only copied into f. The caller keeps and closes fd. Thread-safe. */
int webshell_scan_fd(struct webshell_scanner *s, int fd, const char *path,
    struct webshell_finding *f);

/* Same analysis on a buffer already in memory (path is only copied into f). */
int webshell_scan_mem(struct webshell_scanner *s, const char *path, const unsigned char *data,
    size_t len, struct webshell_finding *f);

/* Number of compiled rules. */
size_t webshell_scanner_rule_count(const struct webshell_scanner *s);

/* "clean" / "suspicious" / "malicious" for a score. */
const char *webshell_level(int score);

/* Finds the rule directory when none is given: $VIGIL_WEBSHELL_RULES, then
 * rules/webshell next to the binary's tree (EXE/../rules/webshell and
 * EXE/../../rules/webshell, for build/ and build/san/), then
 * /usr/share/vigil/rules/webshell, then ./rules/webshell. Writes the first that
 * exists into out; VG_ERR_NOTFOUND if none does. */
int webshell_find_rules(char *out, size_t size);

/* Accepts NULL. */
void webshell_scanner_free(struct webshell_scanner *s);

#endif
