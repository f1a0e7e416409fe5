/* Registry of sources and sinks (see registry.h). Decoders have their own table in
 * decode.c; detectors (rules + IOC, correlation, tamper analysis, webshell scan)
 * are wired by pipeline.c and webroot.c. */
#include "monitor/registry.h"
#include "monitor/sink_cases.h"
#include "monitor/webwatch.h"
#include "monitor/wsaccess.h"

#include <string.h>

const struct source_ops *const source_registry[] = {
	&source_tail,		/* files and globs, rotation-safe (tail.c) */
	&source_syslog,		/* UDP/TCP syslog listeners (syslog_recv.c) */
	&source_webroot,	/* web roots: inotify + baseline + policy (webwatch.c) */
	NULL,
};

const struct sink_ops *const sink_registry[] = {
	&sink_store,		/* alerts, evidence lines, audit rows */
	&sink_json,		/* ECS JSON lines */
	&sink_text,		/* one human-readable line per alert */
	&sink_cases,		/* incidents, SLA clocks, notifications (sink_cases.c) */
	&sink_wsaccess,		/* scripts created in web roots, for webshell.accessed */
	NULL,
};

const struct source_ops *
source_find(const char *name)
{
	for (size_t i = 0; source_registry[i]; i++)
		if (strcmp(source_registry[i]->name, name) == 0)
			return source_registry[i];
	return NULL;
}

const struct sink_ops *
sink_find(const char *name)
{
	for (size_t i = 0; sink_registry[i]; i++)
		if (strcmp(sink_registry[i]->name, name) == 0)
			return sink_registry[i];
	return NULL;
}
