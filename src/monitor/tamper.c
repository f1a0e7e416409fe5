/* Tamper flags as a table of PCRE2 patterns, matched caseless on UTF-8 with invalid
 * sequences tolerated and a match limit, so a hostile page cannot make a check slow. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "monitor/tamper.h"
#include "core/err.h"

#include <pcre2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct tamper_pattern {
	enum tamper_flag flag;
	const char *name;
	const char *what;	/* words for the alert */
	const char *re;
};

static const struct tamper_pattern patterns[] = {
	{ TAMPER_HIDDEN_STYLE, "hidden-style", "hidden content",
	  "display\\s*:\\s*none|visibility\\s*:\\s*hidden" },
	{ TAMPER_OFFSCREEN, "offscreen", "off-screen positioning",
	  "(?:left|top|right|text-indent|margin-left|margin-top)\\s*:\\s*-\\s*\\d{3,}\\s*(?:px|em|pt)?" },
	{ TAMPER_TINY_FONT, "tiny-font", "tiny font",
	  "font-size\\s*:\\s*(?:0|0?\\.\\d+|1)\\s*(?:px|pt|em)?\\s*(?:[;\"'}]|$)" },
	{ TAMPER_HIDDEN_LINK, "hidden-link", "hidden link", NULL },
	{ TAMPER_EXT_SCRIPT, "external-script", "external script",
	  "<script\\b[^>]*\\bsrc\\s*=\\s*[\"']?(?:https?:)?//[^\"'\\s>]+" },
	{ TAMPER_IFRAME, "iframe", "iframe", "<iframe\\b[^>]*" },
	{ TAMPER_SPAM_WORDS, "spam-words", "gambling/porn/lottery words",
	  "博彩|赌场|赌博|六合彩|澳门|百家乐|彩票|娱乐城|真人视讯|时时彩|棋牌|色情|成人视频|"
	  "威尼斯人|葡京|太阳城|老虎机|开户送|\\b(?:casino|porn|porno|gambling|lottery|"
	  "baccarat|roulette|sportsbook|xxx|escort|viagra|online\\s+slots?)\\b" },
	{ TAMPER_JS_REDIRECT, "js-redirect", "JavaScript redirect",
	  "\\blocation(?:\\.href)?\\s*=(?!=)\\s*[\"'`\\w]|\\blocation\\.(?:replace|assign)\\s*\\(" },
	{ TAMPER_META_REFRESH, "meta-refresh", "meta refresh",
	  "<meta\\b[^>]*http-equiv\\s*=\\s*[\"']?refresh[^>]*" },
	{ TAMPER_OBFUSCATED_JS, "obfuscated-js", "obfuscated script",
	  "\\beval\\s*\\(\\s*(?:atob|unescape|String\\.fromCharCode)\\b|"
	  "document\\.write\\s*\\(\\s*(?:unescape|atob)\\b" },
	{ TAMPER_DEFACE_TEXT, "deface-text", "defacement message",
	  "\\b(?:hacked|owned|defaced|pwned)\\s+by\\b|被黑|黑客攻击|已被入侵" },
};
#define N_PATTERNS (sizeof(patterns) / sizeof(patterns[0]))

struct tamper {
	pcre2_code *re[N_PATTERNS];
	pcre2_match_context *mctx;
};

int
tamper_new(struct tamper **out)
{
	struct tamper *t = calloc(1, sizeof(*t));
	int errcode;
	PCRE2_SIZE erroff;

	*out = NULL;
	if (!t || !(t->mctx = pcre2_match_context_create(NULL))) {
		free(t);
		return VG_ERR_NOMEM;
	}
	pcre2_set_match_limit(t->mctx, 100000);
	pcre2_set_depth_limit(t->mctx, 1000);
	for (size_t i = 0; i < N_PATTERNS; i++) {
		if (!patterns[i].re)
			continue;
		t->re[i] = pcre2_compile((PCRE2_SPTR)patterns[i].re, PCRE2_ZERO_TERMINATED,
		    PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_MULTILINE,
		    &errcode, &erroff, NULL);
		if (!t->re[i]) {
			tamper_free(t);
			return VG_ERR_PARSE;
		}
	}
	*out = t;
	return VG_OK;
}

void
tamper_free(struct tamper *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < N_PATTERNS; i++)
		pcre2_code_free(t->re[i]);
	pcre2_match_context_free(t->mctx);
	free(t);
}

static void
set_match(struct tamper_result *res, enum tamper_flag f, const char *p, size_t n)
{
	if (n >= TAMPER_MATCH_MAX)
		n = TAMPER_MATCH_MAX - 1;
	/* do not cut a UTF-8 sequence in half */
	while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
		n--;
	memcpy(res->match[f], p, n);
	res->match[f][n] = '\0';
	for (size_t i = 0; i < n; i++)	/* keep the alert on one line */
		if (res->match[f][i] == '\n' || res->match[f][i] == '\r')
			res->match[f][i] = ' ';
	res->flags |= 1u << f;
}

int
tamper_scan(const struct tamper *t, const char *text, size_t len, struct tamper_result *res)
{
	pcre2_match_data *md = NULL;

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < N_PATTERNS; i++) {
		if (!t->re[i])
			continue;
		pcre2_match_data_free(md);
		if (!(md = pcre2_match_data_create_from_pattern(t->re[i], NULL)))
			return VG_ERR_NOMEM;
		int rc = pcre2_match(t->re[i], (PCRE2_SPTR)text, len, 0, 0, md, t->mctx);
		if (rc > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			set_match(res, patterns[i].flag, text + ov[0], ov[1] - ov[0]);
		}
	}
	pcre2_match_data_free(md);
	/* a link inside added text that also hides things is the classic 黑链 */
	if (res->flags & ((1u << TAMPER_HIDDEN_STYLE) | (1u << TAMPER_OFFSCREEN) |
	    (1u << TAMPER_TINY_FONT))) {
		const char *a = NULL;
		for (size_t i = 0; i + 2 < len && !a; i++)
			if (text[i] == '<' && (text[i + 1] == 'a' || text[i + 1] == 'A') &&
			    (text[i + 2] == ' ' || text[i + 2] == '\t' || text[i + 2] == '\n'))
				a = text + i;
		if (a) {
			const char *end = memchr(a, '>', (size_t)(text + len - a));
			set_match(res, TAMPER_HIDDEN_LINK, a,
			    end ? (size_t)(end - a) + 1 : (size_t)(text + len - a));
		}
	}
	return VG_OK;
}

const char *
tamper_flag_name(enum tamper_flag f)
{
	for (size_t i = 0; i < N_PATTERNS; i++)
		if (patterns[i].flag == f)
			return patterns[i].name;
	return "?";
}

int
tamper_describe(const struct tamper_result *res, struct vg_buf *out)
{
	bool first = true;
	int r = VG_OK;

	/* the headline flags first */
	static const enum tamper_flag order[] = { TAMPER_HIDDEN_LINK, TAMPER_SPAM_WORDS,
		TAMPER_EXT_SCRIPT, TAMPER_IFRAME, TAMPER_JS_REDIRECT, TAMPER_META_REFRESH,
		TAMPER_OBFUSCATED_JS, TAMPER_DEFACE_TEXT, TAMPER_HIDDEN_STYLE, TAMPER_OFFSCREEN, TAMPER_TINY_FONT };
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && r == VG_OK; i++) {
		enum tamper_flag f = order[i];
		if (!(res->flags & (1u << f)))
			continue;
		const char *what = "?";
		for (size_t k = 0; k < N_PATTERNS; k++)
			if (patterns[k].flag == f)
				what = patterns[k].what;
		r = vg_buf_putf(out, "%s%s (%s)", first ? "" : ", ", what, res->match[f]);
		first = false;
	}
	return r;
}
