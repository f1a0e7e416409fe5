/* The log sources of a configuration: one tailer over monitor.sources, each pattern
 * carrying its own decoder in source_line.tag, and one syslog receiver over
 * monitor.syslog carrying the syslog decoder. */
#ifndef VG_SOURCES_H
#define VG_SOURCES_H

#include "core/config.h"
#include "core/log.h"
#include "monitor/decode.h"
#include "monitor/source.h"
#include "monitor/spine.h"

struct log_sources {
	struct tailer *tailer;		/* NULL without monitor.sources */
	struct syslog_recv *syslog;	/* NULL without monitor.syslog */
	struct decoder **decoders;	/* one per monitor.sources entry */
	size_t n_decoders;
	struct decoder *syslog_decoder;
};

/* Opens them; on failure err says why (VG_ERR_CONFIG: the configuration is at
 * fault) and the caller still calls log_sources_close. */
int log_sources_open(const struct vg_config *cfg, const struct vg_logger *lg, struct log_sources *ls,
    char *err, size_t err_size);
void log_sources_close(struct log_sources *ls);
/* Registers what was opened on the spine. */
int log_sources_add(const struct log_sources *ls, struct spine *sp);

#endif
