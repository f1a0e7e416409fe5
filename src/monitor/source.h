/* The one interface every log source (file tailer, syslog receiver, ...) delivers
 * through: complete lines, borrowed for the duration of a callback. */
#ifndef VG_SOURCE_H
#define VG_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct source_line {
	const char *source;	/* source label (config name or path) */
	const char *path;	/* file path, or peer address for syslog */
	const char *data;	/* one line without '\n' (borrowed, valid during callback);
				 * never contains '\n' (a multi-line syslog message has
				 * its inner line feeds turned into spaces) */
	size_t len;
	bool truncated;		/* longer than max_line: the first max_line bytes, rest skipped */
	uint64_t offset_after;	/* file offset just past this line (files); 0 for syslog */
};

/* Called once per line. Returning non-zero stops delivery: the source does not
 * advance past that line and delivers it again on the next call. */
typedef int (*source_line_fn)(const struct source_line *line, void *arg);

#endif
