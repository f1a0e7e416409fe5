/* Tamper analysis: reads the text a change added to a web page and flags what is
 * typical of defacement and SEO spam (黑链): hidden links, injected external scripts
 * and iframes, gambling/porn/lottery words in Chinese and English, JS redirects, meta
 * refresh, obfuscated script. The flags are a table of PCRE2 patterns. */
#ifndef VG_TAMPER_H
#define VG_TAMPER_H

#include "core/buf.h"

#include <stddef.h>

enum tamper_flag {
	TAMPER_HIDDEN_STYLE = 0,	/* display:none / visibility:hidden */
	TAMPER_OFFSCREEN,		/* positioned far off screen */
	TAMPER_TINY_FONT,		/* font-size 0 or 1px */
	TAMPER_HIDDEN_LINK,		/* one of the three above plus a link */
	TAMPER_EXT_SCRIPT,		/* <script src="//other.host/..."> */
	TAMPER_IFRAME,
	TAMPER_SPAM_WORDS,		/* gambling / porn / lottery */
	TAMPER_JS_REDIRECT,		/* location.href = / location.replace( */
	TAMPER_META_REFRESH,
	TAMPER_OBFUSCATED_JS,		/* eval(atob(..)), document.write(unescape(..)) */
	TAMPER_DEFACE_TEXT,		/* "hacked by", 被黑 */
	TAMPER__COUNT
};

#define TAMPER_MATCH_MAX 80

struct tamper_result {
	unsigned flags;				/* 1 << enum tamper_flag */
	char match[TAMPER__COUNT][TAMPER_MATCH_MAX];	/* first text that matched */
};

struct tamper;

/* Compiles the pattern table. 0, VG_ERR_NOMEM or VG_ERR_PARSE (a bad built-in
 * pattern: a bug, reported at start-up). Caller frees with tamper_free. */
int tamper_new(struct tamper **out);
void tamper_free(struct tamper *t);

/* Scans text (typically the added lines of a diff; invalid UTF-8 is tolerated). */
int tamper_scan(const struct tamper *t, const char *text, size_t len,
    struct tamper_result *res);

/* Short machine name of a flag ("hidden-link"). */
const char *tamper_flag_name(enum tamper_flag f);
/* Appends "hidden link (display:none), gambling/porn words (博彩)" to out; nothing if
 * no flag is set. */
int tamper_describe(const struct tamper_result *res, struct vg_buf *out);

#endif
