/* Leveled logging to stderr, as text or JSON lines. A logger is a value the caller
 * owns and passes down; NULL means "warnings and errors as text to stderr". */
#ifndef VG_LOG_H
#define VG_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum vg_log_level { VG_LOG_ERROR = 0, VG_LOG_WARN, VG_LOG_INFO, VG_LOG_DEBUG };
enum vg_log_format { VG_LOG_TEXT = 0, VG_LOG_JSON };

struct vg_logger {
	enum vg_log_level level;
	enum vg_log_format format;
	FILE *out;		/* NULL = stderr */
	bool journal;		/* stderr is systemd's journal: lines start with <N> */
};

/* Parses "error|warn|info|debug" / "text|json"; 0 or VG_ERR_INVAL. */
int vg_log_level_parse(const char *name, enum vg_log_level *out);
int vg_log_format_parse(const char *name, enum vg_log_format *out);

/* True when stderr is the stream systemd's journal reads ($JOURNAL_STREAM names its
 * device and inode): each line then opens with its syslog priority, "<3>" for an
 * error (sd-daemon(3)), which the journal strips and records as the line's level. */
bool vg_log_stderr_is_journal(void);

/* Writes one line if level is enabled. Messages must never contain secrets:
 * callers log names of things, not their contents. */
void vg_log(const struct vg_logger *lg, enum vg_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define vg_error(lg, ...) vg_log((lg), VG_LOG_ERROR, __VA_ARGS__)
#define vg_warn(lg, ...)  vg_log((lg), VG_LOG_WARN, __VA_ARGS__)
#define vg_info(lg, ...)  vg_log((lg), VG_LOG_INFO, __VA_ARGS__)
#define vg_debug(lg, ...) vg_log((lg), VG_LOG_DEBUG, __VA_ARGS__)

#endif
