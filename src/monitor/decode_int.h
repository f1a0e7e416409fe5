/* Helpers shared by the decoder files (not part of the monitor's public API):
 * timestamp parsers, IP/number field helpers, and the syslog and sshd pieces that
 * several decoders reuse (syslog hands sshd lines to the sshd logic; auto tries all). */
#ifndef VG_DECODE_INT_H
#define VG_DECODE_INT_H

#include "monitor/decode.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- time (decode_time.c); all return VG_OK or VG_ERR_PARSE ------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t decode_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Month from its English 3-letter abbreviation ("Jan"), 1..12, or 0. */
unsigned decode_month(const char *s);
/* Common Log Format time "10/Oct/2000:13:55:36 -0700" (exactly len bytes). */
int decode_time_clf(const char *s, size_t len, int64_t *ts_us);
/* decode_time_clf through memo (NULL: none): text equal to the last one parsed
 * gives the same value without parsing it again. */
int decode_time_clf_memo(struct decode_time_memo *memo, const char *s, size_t len,
    int64_t *ts_us);
/* ISO 8601 / RFC 3339 "2000-10-10T13:55:36[.frac][Z|+hh:mm|+hhmm]" ('T' or ' ');
 * no zone = UTC. Reads at most len bytes; *used gets how many it consumed. */
int decode_time_iso8601(const char *s, size_t len, int64_t *ts_us, size_t *used);
/* RFC 3164 "Oct 10 13:55:36" (15 bytes, day may be space-padded). It has no year
 * and no zone: local time given by gmtoff (seconds east of UTC), in now's year,
 * or the year before when that would put it more than a day in the future. */
int decode_time_rfc3164(const char *s, size_t len, int64_t now_us, long gmtoff, int64_t *ts_us);
/* Seconds since the epoch with optional fraction, "1700000000.123" (nginx $msec). */
int decode_time_epoch(const char *s, size_t len, int64_t *ts_us);

/* --- fields (decode.c) -------------------------------------------------------- */

/* Copies s[0..len) into dst if it looks like an IPv4/IPv6 address (hex digits, '.',
 * ':' and fits VG_IP_MAX); true if copied. dst is left "" otherwise. */
bool decode_set_ip(char dst[VG_IP_MAX], const char *s, size_t len);
/* Strict unsigned decimal of exactly len bytes, at most max. */
int decode_uint(const char *s, size_t len, uint64_t max, uint64_t *out);
/* True if s[0..len) is valid UTF-8 without control characters other than tab. */
bool decode_is_text(const char *s, size_t len);
/* Splits an HTTP request line "GET /x HTTP/1.1" in place into method, url, version
 * (each NULL if absent); "-" gives all NULL; a request without spaces is all url. */
void decode_split_request(char *s, size_t len, struct vg_event *ev);
/* Clears what a failed decoding attempt may have set, keeping raw (auto and sshd
 * try one layout after another). */
void decode_event_clear(struct vg_event *ev);
/* Copies raw into ln->buf again (decoders cut fields in place, auto retries). */
void decode_line_reset(struct decode_line *ln);

/* --- syslog (decode_syslog.c) ------------------------------------------------- */

struct decode_syslog {
	long gmtoff;		/* local zone at start-up, for RFC 3164 times */
};

void decode_syslog_init(struct decode_syslog *s);
/* Parses an RFC 3164 or RFC 5424 line (PRI optional for 3164) into ev: ts, host,
 * program, pid, message; an sshd program's message is decoded by the sshd logic
 * (kind AUTH when it is an auth line). VG_OK or VG_ERR_PARSE with *reason. */
int decode_syslog_parse(const struct decode_syslog *s, struct decode_line *ln,
    struct vg_event *ev, const char **reason);

/* decoder_ops.new_state of the syslog and sshd decoders (a struct decode_syslog). */
int decode_syslog_new_state(const char *log_format, void **state, char *err, size_t err_size);

/* --- sshd (decode_sshd_msg.c: messages; decode_sshd.c: bare lines) ---------- */

/* True if program names OpenSSH's daemon (sshd, sshd-session, sshd-auth). */
bool decode_is_sshd_program(const char *program);
/* Decodes an sshd message (NUL-terminated, inside ln->buf; fields are cut from a
 * copy in ln->spare, msg itself is left whole). If it is an authentication line
 * sets kind AUTH, user, src_ip, src_port, message = msg and action to the outcome
 * ("Failed password", "Accepted publickey", "Invalid user", ...) and returns true;
 * otherwise leaves ev alone and returns false. */
bool decode_sshd_message(struct decode_line *ln, const char *msg, struct vg_event *ev);
/* True if msg starts like a message OpenSSH's sshd writes (auth or not). */
bool decode_sshd_known(const char *msg);
/* Decodes a line from `sshd -E FILE` (optionally "sshd[pid]: "-prefixed). With
 * auth_only (auto), only lines known to be sshd's are accepted: a "sshd[pid]: "
 * prefix, or a message decode_sshd_known recognises. */
int decode_sshd_bare(struct decode_line *ln, struct vg_event *ev, bool auth_only,
    const char **reason);

/* --- combined and json, reused by auto ----------------------------------------- */

int decode_combined_line(struct decode_line *ln, struct vg_event *ev, const char **reason);

struct decode_json;
int decode_json_new(struct decode_json **out);
void decode_json_free(struct decode_json *j);
int decode_json_line(struct decode_json *j, struct decode_line *ln, struct vg_event *ev,
    const char **reason);

#endif
