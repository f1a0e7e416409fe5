/* Leveled logging. JSON lines go through jansson so messages are always escaped.
 * Under systemd both formats carry the sd-daemon(3) priority prefix, so the journal
 * keeps each line's level while the text after it stays what it is elsewhere. */
#include "core/log.h"
#include "core/err.h"
#include "core/esc.h"
#include "core/event.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[] = { "error", "warn", "info", "debug" };
/* syslog priorities of the levels: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG */
static const int level_prio[] = { 3, 4, 6, 7 };

bool
vg_log_stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	char *end;
	struct stat st;

	if (!env)
		return false;
	errno = 0;
	dev = strtoull(env, &end, 10);
	if (errno || end == env || *end != ':')
		return false;
	env = end + 1;
	ino = strtoull(env, &end, 10);
	if (errno || end == env || *end)
		return false;
	/* the variable is inherited: only the stream systemd connected counts */
	return fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

int
vg_log_level_parse(const char *name, enum vg_log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum vg_log_level)i;
			return VG_OK;
		}
	}
	return VG_ERR_INVAL;
}

int
vg_log_format_parse(const char *name, enum vg_log_format *out)
{
	if (strcmp(name, "text") == 0)
		*out = VG_LOG_TEXT;
	else if (strcmp(name, "json") == 0)
		*out = VG_LOG_JSON;
	else
		return VG_ERR_INVAL;
	return VG_OK;
}

void
vg_log(const struct vg_logger *lg, enum vg_log_level level, const char *fmt, ...)
{
	enum vg_log_level max = lg ? lg->level : VG_LOG_WARN;
	FILE *out = (lg && lg->out) ? lg->out : stderr;
	char msg[2048];
	va_list ap;

	if (level > max)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (lg && lg->journal && out == stderr)
		fprintf(out, "<%d>", level_prio[level]);
	if (lg && lg->format == VG_LOG_JSON) {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		/* Messages may quote log bytes: lossy encoding keeps them valid JSON. */
		json_t *o = json_pack("{s:s, s:s, s:o}", "@timestamp", stamp,
		    "log.level", level_names[level], "message",
		    vg_json_string_lossy(msg, strlen(msg)));
		if (o) {
			char *s = json_dumps(o, JSON_COMPACT);
			if (s)
				fprintf(out, "%s\n", s);
			free(s);
			json_decref(o);
		}
	} else {
		/* Messages quote file names and log bytes: never raw to a terminal. */
		char safe[sizeof(msg) * 2];
		vg_esc(safe, sizeof(safe), msg, strlen(msg));
		fprintf(out, "vigil: %s: %s\n", level_names[level], safe);
	}
	fflush(out);
}
