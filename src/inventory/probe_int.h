/* The probe database's insides, shared by the parser (probe.c) and the matcher
 * (probe_match.c); nothing else includes this. */
#ifndef VG_INV_PROBE_INT_H
#define VG_INV_PROBE_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include "inventory/probe.h"

#include <pcre2.h>

struct mrule {
	pcre2_code *re;
	char probe[PROBE_NAME_MAX];	/* "" = any */
	char service[32];
	char *product, *version, *info;
	unsigned line;
};

/* http-tech: every rule that matches adds its name; they do not compete */
struct trule {
	pcre2_code *re;
	char name[48];
	char path[128];		/* the GET path whose answer it reads; "/" by default */
	char *version;
};

struct probe_db {
	struct probe probes[PROBE_MAX];
	size_t nprobes;
	struct mrule *rules;
	size_t nrules, caprules;
	struct trule *tech;
	size_t ntech, captech;
	pcre2_match_context *mctx;
};

#endif
