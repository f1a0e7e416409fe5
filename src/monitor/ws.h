/* Script analysis for webshell detection: a small tokenizer per language family (PHP;
 * Java/JSP/JSPX; VBScript/JScript for ASP; C#/VB.NET for ASPX) feeds one table-driven
 * taint engine that follows request-controlled data inside one file to code evaluation,
 * process execution, class loading, callbacks, dynamic calls, file writes, database and
 * network sinks, folding run-time-built names and unfolding static encoding layers.
 * Everything is bounded per file (tokens, steps, arena bytes, unfolding depth). */
#ifndef VG_WS_H
#define VG_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ws_lang {
	WS_LANG_NONE = 0,
	WS_LANG_PHP,
	WS_LANG_JAVA,		/* JSP, JSPX (scriptlets) */
	WS_LANG_VBS,		/* classic ASP, VBScript */
	WS_LANG_JS,		/* classic ASP, JScript */
	WS_LANG_CS,		/* ASPX, C# */
	WS_LANG_VBNET,		/* ASPX, VB.NET */
};

/* What a taint path reached; each has a fixed family name (see ws_kind_family()). */
enum ws_kind {
	WS_K_CODE = 0,		/* eval, assert, Execute, script engines, include */
	WS_K_EXEC,		/* process execution */
	WS_K_CALLBACK,		/* sink called by name through a callback builtin */
	WS_K_DYNCALL,		/* function called through a variable / built name */
	WS_K_CLASSLOAD,		/* class / assembly loading, reflection */
	WS_K_INCLUDE_INPUT,	/* include of php://input, data: or request paths */
	WS_K_DROPPER,		/* request or decoded code written to a script file */
	WS_K_FILEOPS,		/* file manager: several file operations on request paths */
	WS_K_DB,		/* database manager: connection and SQL from the request */
	WS_K_NET,		/* tunnel: sockets to a request-chosen host */
	WS_K_PACKED,		/* decoded constant fed to a code sink */
	WS_K_XSLT,		/* XSLT with PHP functions on request input */
	WS_K_MAX
};

#define WS_MAX_BLOBS 4		/* decoded layers handed back for a rules pass */

struct ws_blob {
	unsigned char *data;	/* malloc'd; freed by ws_result_free() */
	size_t len;
};

struct ws_result {
	int score;			/* 0..100 from the taint paths found */
	int weight[WS_K_MAX];		/* best weight per kind (0 = not reached) */
	struct ws_blob blobs[WS_MAX_BLOBS];
	size_t nblobs;
	bool limited;			/* a per-file cap stopped the analysis early */
	enum ws_lang lang;
};

/* Language of a file from its name and, when the name says nothing, its first bytes;
 * WS_LANG_NONE for files that are not server-side scripts. */
enum ws_lang ws_detect_lang(const char *path, const unsigned char *data, size_t len);

/* Analyses one script. r is cleared first and owns the decoded blobs afterwards
 * (ws_result_free). Returns 0, or VG_ERR_NOMEM; hitting a cap is not an error (r->limited). */
int ws_analyze(enum ws_lang lang, const unsigned char *data, size_t len, struct ws_result *r);

/* Frees the blobs; accepts a zeroed result. */
void ws_result_free(struct ws_result *r);

/* Static names: "taint-code", ... (rule names) and the family each kind reports. */
const char *ws_kind_name(enum ws_kind k);
const char *ws_kind_family(enum ws_kind k);

/* Self-check for the unit tests: every language table is sorted and unique. */
bool ws_tables_sorted(void);

#endif
