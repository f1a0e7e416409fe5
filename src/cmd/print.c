/* What the subcommands print with: escaped error lines and text, JSON lines, and
 * fields of stored records as text and local times. */
#include "cmd/cmd.h"
#include "core/esc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void
cmd_eprintf(const char *fmt, ...)
{
	char msg[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		len--;
	/* Our own words are plain text, so escaping the whole line changes only what
	 * came from outside (a file name, a manifest entry, a quoted line). */
	vg_esc_fwrite(stderr, msg, len);
	fputc('\n', stderr);
}

/* Outside bytes shown on a terminal go through the one sanitiser (core/esc). */
void
cmd_put_escaped(FILE *out, const char *s)
{
	if (s)
		vg_esc_fwrite(out, s, strlen(s));
}

void
cmd_print_json(const json_t *j)
{
	if (!j)
		return;
	json_dumpf(j, stdout, JSON_COMPACT);
	fputc('\n', stdout);
}

void
cmd_print_json_new(json_t *j)
{
	cmd_print_json(j);
	json_decref(j);
}

const char *
cmd_jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

int64_t
cmd_jint(const json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

void
cmd_local_time(int64_t us, char *buf, size_t size)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, size, "?");
}
