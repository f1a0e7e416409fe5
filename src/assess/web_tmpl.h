/* Web exposure checks as data: YAML templates in a shape close to nuclei's (id,
 * info{name, severity, remediation}, requests{method, path, headers, body,
 * matchers, extractors}) so people who know nuclei can read and write them. Only
 * reading methods are accepted (GET, HEAD, OPTIONS, TRACE) and every path must
 * start with {{BaseURL}} or {{RootURL}}: a template can neither write to a site nor
 * send a request to a host other than the one under test. Regexes are PCRE2,
 * compiled at load so a bad template is refused before any request goes out. */
#ifndef VG_WEB_TMPL_H
#define VG_WEB_TMPL_H

#include "core/event.h"

#include <stdbool.h>
#include <stddef.h>

/* Hard limits of one template (a template over them is refused, not cut). */
#define WEB_TMPL_MAX_TEXT	(64 * 1024)	/* bytes of YAML */
#define WEB_TMPL_MAX_NODES	4096
#define WEB_TMPL_MAX_REQUESTS	8
#define WEB_TMPL_MAX_PATHS	64
#define WEB_TMPL_MAX_HEADERS	16
#define WEB_TMPL_MAX_MATCHERS	16
#define WEB_TMPL_MAX_PATTERNS	64	/* words, regexes, statuses or sizes per matcher */
#define WEB_TMPL_MAX_EXTRACTORS	8

enum web_part { WEB_PART_BODY, WEB_PART_HEADER, WEB_PART_ALL };

enum web_mtype {
	WEB_M_STATUS,	/* status: [200, 401] */
	WEB_M_WORD,	/* words: [...] in part (case-sensitive unless case-insensitive: true) */
	WEB_M_REGEX,	/* regex: [...] in part */
	WEB_M_HEADER,	/* name: header present; with words/regex: its value matches */
	WEB_M_SIZE,	/* size: [n, ...] body length equals one */
};

struct web_matcher {
	enum web_mtype type;
	enum web_part part;
	bool and_cond;		/* condition: and (default or) among the patterns */
	bool negative;		/* the matcher holds when its patterns do not */
	bool nocase;		/* case-insensitive: true, for words */
	char *name;		/* WEB_M_HEADER: header name */
	char **words;		/* WEB_M_WORD (and WEB_M_HEADER values) */
	size_t nwords;
	void **regex;		/* pcre2_code *, WEB_M_REGEX (and WEB_M_HEADER values) */
	char **regex_src;	/* their text, for the evidence */
	size_t nregex;
	long *nums;		/* WEB_M_STATUS statuses, WEB_M_SIZE sizes */
	size_t nnums;
};

enum web_xtype { WEB_X_REGEX, WEB_X_HEADER };

struct web_extractor {
	enum web_xtype type;
	enum web_part part;
	char *name;		/* label in the evidence ("" = none) */
	void **regex;		/* WEB_X_REGEX: first match of any, capture group `group` */
	size_t nregex;
	int group;
	char **headers;		/* WEB_X_HEADER (nuclei's kval): header names */
	size_t nheaders;
};

struct web_header { char *name, *value; };

struct web_request {
	char *method;		/* GET, HEAD, OPTIONS, TRACE */
	char **paths;		/* with {{BaseURL}} / {{RootURL}} placeholders */
	size_t npaths;
	struct web_header *headers;
	size_t nheaders;
	char *body;		/* NULL = none */
	char *scheme;		/* only run on targets of this scheme ("http"/"https"), or NULL */
	bool and_cond;		/* matchers-condition: and (default or) */
	struct web_matcher *matchers;
	size_t nmatchers;
	struct web_extractor *extractors;
	size_t nextractors;
};

struct web_tmpl {
	char *id;
	char *name;
	enum vg_severity severity;
	char *remediation;	/* "" when none */
	char *origin;		/* file it came from, for messages */
	struct web_request *requests;
	size_t nrequests;
};

/* Parses one template from text[0..len). origin names it in messages. On
 * failure err gets "origin:LINE:COL: what" and the result is VG_ERR_PARSE (bad
 * YAML or a bad key/value), VG_ERR_LIMIT (over a limit above) or VG_ERR_NOMEM.
 * *out (caller frees with web_tmpl_free) only on success. */
int web_tmpl_parse(const char *text, size_t len, const char *origin, struct web_tmpl **out,
    char *err, size_t errsz);
void web_tmpl_free(struct web_tmpl *t);

/* A set of templates loaded from a file or a directory of *.yaml files (sorted by
 * file name). Ids must be unique across the set. */
struct web_tmpl_set {
	struct web_tmpl **t;
	size_t n;
};

/* Loads path (file or directory). Every bad file is reported through errfn (one
 * message each, may be NULL) and the load fails with the first error code after
 * all files were read, so a run never goes out with half its checks silently.
 * *out is filled on success; free with web_tmpl_set_free. */
int web_tmpl_load(const char *path, struct web_tmpl_set *out,
    void (*errfn)(void *arg, const char *msg), void *arg);
void web_tmpl_set_free(struct web_tmpl_set *s);
/* The template with this id, or NULL. */
const struct web_tmpl *web_tmpl_find(const struct web_tmpl_set *s, const char *id);

#endif
