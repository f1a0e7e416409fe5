/* The plug-in tables of the monitor stage, listed once in registry.c: every kind
 * of source and every alert sink. Adding one = a file with a const struct and a
 * row here. */
#ifndef VG_REGISTRY_H
#define VG_REGISTRY_H

#include "monitor/alert.h"
#include "monitor/source.h"

/* NULL-terminated. */
extern const struct source_ops *const source_registry[];
extern const struct sink_ops *const sink_registry[];

/* The row named name, or NULL. */
const struct source_ops *source_find(const char *name);
const struct sink_ops *sink_find(const char *name);

#endif
