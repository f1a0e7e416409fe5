/* Native start checks for shipped patterns that Vectorscan runs slowly: the SQL
 * boolean forms (quote, conjunction, comparison), about a third of the scan cost of
 * every normalised field on attack traffic. A check is keyed by the pattern's exact
 * text, so an edited pattern silently goes back to Vectorscan; it only says where a
 * match could start, and PCRE2 (the regex as written) decides. */
#include "monitor/rules_int.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* \s as PCRE2 has it: normalised values hold only ' ', other fields may hold more. */
static inline bool
sp(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* \w (ASCII, as PCRE2 without UCP) */
static inline bool
wc(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26u || (unsigned)(c - '0') < 10u || c == '_';
}

static inline bool
digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10u;
}

static inline bool
quote(unsigned char c)
{
	return c == '\'' || c == '"';
}

static size_t
skip_sp(const char *v, size_t len, size_t i)
{
	while (i < len && sp((unsigned char)v[i]))
		i++;
	return i;
}

/* lit (lower-case) at v[i], caseless as the patterns are */
static bool
lit_at(const char *v, size_t len, size_t i, const char *lit)
{
	for (; *lit; lit++, i++) {
		unsigned char c, l = (unsigned char)*lit;
		if (i >= len)
			return false;
		c = (unsigned char)v[i];
		if (c != l && !((unsigned)(l - 'a') < 26u && (c | 0x20) == l))
			return false;
	}
	return true;
}

/* lit at v[i] followed by \s: where the \s starts past it, or 0 */
static size_t
word_sp(const char *v, size_t len, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	return lit_at(v, len, i, lit) && i + n < len && sp((unsigned char)v[i + n]) ? i + n : 0;
}

struct kw {
	const char *s;
	size_t n;
};
#define KW(lit) { lit, sizeof(lit) - 1 }

/* Which of kws (ended by a NULL one) is the whole word that ends at t: its start,
 * or SIZE_MAX. Every keyword ends in a letter: most words fail on their last byte. */
static size_t
kw_before(const char *v, size_t t, const struct kw *kws)
{
	unsigned char last = t ? (unsigned char)(v[t - 1] | 0x20) : 0;
	for (; kws->s; kws++) {
		size_t n = kws->n;
		if (n <= t && last == (unsigned char)kws->s[n - 1] && lit_at(v, t, t - n, kws->s) &&
		    (t == n || !wc((unsigned char)v[t - n - 1])))
			return t - n;
	}
	return SIZE_MAX;
}

/* After an opening quote or bracket at t: \s* then one of kws then \s (\s* when
 * sp_opt). The index past the keyword, or 0. */
static size_t
conj_after(const char *v, size_t len, size_t t, const struct kw *kws, bool sp_opt)
{
	size_t j = skip_sp(v, len, t + 1);
	unsigned char c = j < len ? (unsigned char)(v[j] | 0x20) : 0;
	for (; kws->s; kws++)
		if (c == (unsigned char)kws->s[0] && lit_at(v, len, j, kws->s) &&
		    (sp_opt || (j + kws->n < len && sp((unsigned char)v[j + kws->n]))))
			return j + kws->n;
	return 0;
}

static const struct kw KW_OR_AND[] = { KW("or"), KW("and"), { NULL, 0 } };
static const struct kw KW_CONJ[] = { KW("or"), KW("and"), KW("xor"), KW("||"), KW("&&"),
	{ NULL, 0 } };
static const struct kw KW_CONJ_OR[] = { KW("or"), KW("and"), KW("xor"), KW("||"),
	{ NULL, 0 } };

/* \s*\d+ at i (\s*-?\d+ with sign): the index past it, or 0 */
static size_t
number_end(const char *v, size_t len, size_t i, bool sign)
{
	i = skip_sp(v, len, i);
	if (sign && i < len && v[i] == '-')
		i++;
	if (i >= len || !digit((unsigned char)v[i]))
		return 0;
	while (i < len && digit((unsigned char)v[i]))
		i++;
	return i;
}

/* A comparison operator at v[k]: =, <, >, != */
static bool
cmp_at(const char *v, size_t len, size_t k)
{
	return k < len && (v[k] == '=' || v[k] == '<' || v[k] == '>' ||
	    (v[k] == '!' && k + 1 < len && v[k + 1] == '='));
}

static bool
cmp_word_at(const char *v, size_t len, size_t k)
{
	return lit_at(v, len, k, "like") || lit_at(v, len, k, "is") || lit_at(v, len, k, "between");
}

/* 0: ['"`)]\s*(or|and|xor|\|\||&&)\s+\(?\s*['"]?[\w-]*['"]?\s*(=|<>|!=|>=|<=|<|>|
 * \blike\b|\bis\s+...|\bbetween\b): the comparison can follow the run of [\w-], or a
 * word one can start it, at the run's start or after a '-' in it */
static bool
at_quote_conj_cmp(const char *v, size_t len, size_t t, size_t *from)
{
	size_t j = conj_after(v, len, t, KW_CONJ, false), e, k;
	*from = t;
	if (!j)
		return false;
	j = skip_sp(v, len, j);
	if (j < len && v[j] == '(')
		j = skip_sp(v, len, j + 1);
	if (j < len && quote((unsigned char)v[j]))
		j++;
	for (e = j; e < len && (wc((unsigned char)v[e]) || v[e] == '-'); e++)
		if (v[e] == '-' && cmp_word_at(v, len, e + 1))
			return true;
	k = skip_sp(v, len, e < len && quote((unsigned char)v[e]) ? e + 1 : e);
	return cmp_at(v, len, k) || cmp_word_at(v, len, k) || cmp_word_at(v, len, j);
}

/* 4: ['"]\s*(or|and)\s+(not\s+)?(true|false|\d+)\s*(--|#|$|;) */
static bool
at_quote_or_and(const char *v, size_t len, size_t t, size_t *from)
{
	size_t j = conj_after(v, len, t, KW_OR_AND, false), n;
	*from = t;
	if (!j)
		return false;
	j = skip_sp(v, len, j);
	if ((n = word_sp(v, len, j, "not")))
		j = skip_sp(v, len, n);
	if (lit_at(v, len, j, "true"))
		j += 4;
	else if (lit_at(v, len, j, "false"))
		j += 5;
	else if (!(j = number_end(v, len, j, false)))
		return false;
	j = skip_sp(v, len, j);
	return j == len || v[j] == '#' || v[j] == ';' ||
	    (v[j] == '-' && j + 1 < len && v[j + 1] == '-');
}

/* 7: ['"]\s*(or|and|xor|\|\|)\s*['"]\w*['"]... */
static bool
at_quote_conj_quote(const char *v, size_t len, size_t t, size_t *from)
{
	size_t j;
	*from = t;
	if (!(j = conj_after(v, len, t, KW_CONJ_OR, true)))
		return false;
	j = skip_sp(v, len, j);
	return j < len && quote((unsigned char)v[j]);
}

/* 3: ['"]\s*\)*\s*;?\s*(--|#) ... at the end */
static bool
at_quote_comment(const char *v, size_t len, size_t t, size_t *from)
{
	size_t j = t + 1;
	*from = t;
	while (j < len && (sp((unsigned char)v[j]) || v[j] == ')' || v[j] == ';'))
		j++;
	return j < len && (v[j] == '#' || (v[j] == '-' && j + 1 < len && v[j + 1] == '-'));
}

/* 13: ['"`]\s*\)*\s*(and|or|...|limit)\b[^&]{0,80}\s(--|#)\s*[a-z0-9]{0,6}\s*($|&):
 * a comment after \s before the next '&', then at most a short word to the end */
static bool
at_quote_word_comment(const char *v, size_t len, size_t t, size_t *from)
{
	static const struct kw kws[] = { KW("and"), KW("or"), KW("where"), KW("having"),
		KW("order"), KW("union"), KW("select"), KW("limit"), { NULL, 0 } };
	size_t j = skip_sp(v, len, t + 1);
	*from = t;
	while (j < len && v[j] == ')')
		j++;
	j = skip_sp(v, len, j);
	unsigned char c = j < len ? (unsigned char)(v[j] | 0x20) : 0;
	for (const struct kw *k = kws; k->s; k++) {
		size_t n = k->n;
		if (c != (unsigned char)k->s[0] || !lit_at(v, len, j, k->s) ||
		    (j + n < len && wc((unsigned char)v[j + n])))
			continue;
		for (size_t p = j + n; p + 1 < len && v[p] != '&'; p++) {
			size_t q;
			if (!sp((unsigned char)v[p]))
				continue;
			if (v[p + 1] == '#')
				q = p + 2;
			else if (v[p + 1] == '-' && p + 2 < len && v[p + 2] == '-')
				q = p + 3;
			else
				continue;
			q = skip_sp(v, len, q);
			for (size_t w = 0; w < 6 && q < len && wc((unsigned char)v[q]) && v[q] != '_'; w++)
				q++;
			q = skip_sp(v, len, q);
			if (q == len || v[q] == '&')
				return true;
		}
		return false;
	}
	return false;
}

/* 6: \(\s*-?\d+\s*(=|<>|!=)\s*-?\d+\s*\) */
static bool
at_paren_cmp(const char *v, size_t len, size_t t, size_t *from)
{
	size_t j = number_end(v, len, t + 1, true);
	*from = t;
	if (!j)
		return false;
	j = skip_sp(v, len, j);
	if (j < len && v[j] == '=')
		j++;
	else if (j + 1 < len && ((v[j] == '<' && v[j + 1] == '>') || (v[j] == '!' && v[j + 1] == '=')))
		j += 2;
	else
		return false;
	if (!(j = number_end(v, len, j, true)))
		return false;
	j = skip_sp(v, len, j);
	return j < len && v[j] == ')';
}

/* 12: \(\s*select\s+ ... */
static bool
at_paren_select(const char *v, size_t len, size_t t, size_t *from)
{
	*from = t;
	return word_sp(v, len, skip_sp(v, len, t + 1), "select") != 0;
}

/* 8: \b[a-z_]{2,20}\s*\(\s*\(?\s*-?\d ... : the match starts at the word before the
 * bracket, found by walking back over \s and \w (from only grows with t) */
static bool
at_func_number(const char *v, size_t len, size_t t, size_t *from)
{
	size_t j = t, k;
	while (j > 0 && sp((unsigned char)v[j - 1]))
		j--;
	k = j;
	while (k > 0 && wc((unsigned char)v[k - 1]))
		k--;
	*from = k;
	if (j - k < 2)
		return false;
	j = skip_sp(v, len, t + 1);
	if (j < len && v[j] == '(')
		j++;
	j = number_end(v, len, j, true);
	return j && cmp_at(v, len, skip_sp(v, len, j));
}

/* The ones below start at a keyword: triggered at the \s that ends it. */

/* 1: \b(or|and)\s+(\d+)\s*=  2: \b(or|and)\s+'(\w*)'\s*=  */
static bool
at_or_and_number_eq(const char *v, size_t len, size_t t, size_t *from)
{
	size_t j;
	if ((*from = kw_before(v, t, KW_OR_AND)) == SIZE_MAX)
		return false;
	if (!(j = number_end(v, len, t, false)))
		return false;
	j = skip_sp(v, len, j);
	return j < len && v[j] == '=';
}

static bool
at_or_and_string_eq(const char *v, size_t len, size_t t, size_t *from)
{
	size_t j;
	if ((*from = kw_before(v, t, KW_OR_AND)) == SIZE_MAX)
		return false;
	j = skip_sp(v, len, t);
	if (j >= len || v[j] != '\'')
		return false;
	for (j++; j < len && wc((unsigned char)v[j]); j++)
		;
	if (j >= len || v[j] != '\'')
		return false;
	j = skip_sp(v, len, j + 1);
	return j < len && v[j] == '=';
}

/* 5: \b(and|or|xor|where|having|when|not)\s+(not\s+)?\(*\s*-?\d ... */
static bool
at_conj_number(const char *v, size_t len, size_t t, size_t *from)
{
	static const struct kw kws[] = { KW("and"), KW("or"), KW("xor"), KW("where"),
		KW("having"), KW("when"), KW("not"), { NULL, 0 } };
	size_t j, n;
	if ((*from = kw_before(v, t, kws)) == SIZE_MAX)
		return false;
	j = skip_sp(v, len, t);
	if ((n = word_sp(v, len, j, "not")))
		j = skip_sp(v, len, n);
	while (j < len && v[j] == '(')
		j++;
	return number_end(v, len, j, true) != 0;
}

/* 9: \bcase\s+when\s+  10: \bin\s+boolean\s+  11: \border\s+by\s+\d */
static bool
at_case_when(const char *v, size_t len, size_t t, size_t *from)
{
	static const struct kw kws[] = { KW("case"), { NULL, 0 } };
	return (*from = kw_before(v, t, kws)) != SIZE_MAX &&
	    word_sp(v, len, skip_sp(v, len, t), "when") != 0;
}

static bool
at_in_boolean(const char *v, size_t len, size_t t, size_t *from)
{
	static const struct kw kws[] = { KW("in"), { NULL, 0 } };
	return (*from = kw_before(v, t, kws)) != SIZE_MAX &&
	    word_sp(v, len, skip_sp(v, len, t), "boolean") != 0;
}

static bool
at_order_by(const char *v, size_t len, size_t t, size_t *from)
{
	static const struct kw kws[] = { KW("order"), { NULL, 0 } };
	size_t j;
	if ((*from = kw_before(v, t, kws)) == SIZE_MAX)
		return false;
	if (!(j = word_sp(v, len, skip_sp(v, len, t), "by")))
		return false;
	j = skip_sp(v, len, j);
	return j < len && digit((unsigned char)v[j]);
}

static const struct native_pat natives[] = {
	{ "['\"`)]\\s*(or|and|xor|\\|\\||&&)\\s+\\(?\\s*['\"]?[\\w-]*['\"]?\\s*(=|<>|!=|>=|<=|<|>|"
	  "\\blike\\b|\\bis\\s+(not\\s+)?null\\b|\\bbetween\\b)\\s*\\(?\\s*['\"]?[\\w-]*",
	  NAT_QUOTE | NAT_BACKTICK | NAT_CLOSE, at_quote_conj_cmp },
	{ "\\b(or|and)\\s+(\\d+)\\s*=\\s*\\2\\b", NAT_WORD_END, at_or_and_number_eq },
	{ "\\b(or|and)\\s+'(\\w*)'\\s*=\\s*'\\2", NAT_WORD_END, at_or_and_string_eq },
	{ "['\"]\\s*\\)*\\s*;?\\s*(--|#)\\s*[-+]?\\s*($|&)", NAT_QUOTE, at_quote_comment },
	{ "['\"]\\s*(or|and)\\s+(not\\s+)?(true|false|\\d+)\\s*(--|#|$|;)", NAT_QUOTE,
	  at_quote_or_and },
	{ "\\b(and|or|xor|where|having|when|not)\\s+(not\\s+)?\\(*\\s*-?\\d+\\s*"
	  "(=|<>|!=|<=>|>=|<=|<|>)\\s*\\(*\\s*-?\\d+\\b", NAT_WORD_END, at_conj_number },
	{ "\\(\\s*-?\\d+\\s*(=|<>|!=)\\s*-?\\d+\\s*\\)", NAT_OPEN, at_paren_cmp },
	{ "['\"]\\s*(or|and|xor|\\|\\|)\\s*['\"]\\w*['\"]\\s*(=|<>|!=|\\blike\\b)\\s*['\"]",
	  NAT_QUOTE, at_quote_conj_quote },
	{ "\\b[a-z_]{2,20}\\s*\\(\\s*\\(?\\s*-?\\d+\\s*(=|<>|!=|>|<)\\s*-?\\d+\\s*\\)?\\s*,",
	  NAT_OPEN, at_func_number },
	{ "\\bcase\\s+when\\s+\\(?[^&]{0,60}?(=|<|>|\\bis\\s|\\blike\\s|\\bexists\\b)[^&]{0,60}?"
	  "\\bthen\\b", NAT_WORD_END, at_case_when },
	{ "\\bin\\s+boolean\\s+mode\\s*\\)", NAT_WORD_END, at_in_boolean },
	{ "\\border\\s+by\\s+\\d+(\\s*,\\s*\\d+)*\\s*(--|#|;|\\)|$|&)", NAT_WORD_END, at_order_by },
	{ "\\(\\s*select\\s+(\\(|-?\\d|0x|['\"]|@@|null\\b|case\\b|\\*|[a-z_][a-z0-9_]*\\s*\\(|"
	  "[a-z_][a-z0-9_]*\\s+(from|where)\\b)", NAT_OPEN, at_paren_select },
	{ "['\"`]\\s*\\)*\\s*(and|or|where|having|order|union|select|limit)\\b[^&]{0,80}\\s(--|#)"
	  "\\s*[a-z0-9]{0,6}\\s*($|&)", NAT_QUOTE | NAT_BACKTICK, at_quote_word_comment },
};

const struct native_pat *
rules_native_lookup(const char *regex)
{
	for (size_t i = 0; i < sizeof(natives) / sizeof(natives[0]); i++)
		if (strcmp(natives[i].regex, regex) == 0)
			return &natives[i];
	return NULL;
}

static const uint8_t trig_class[256] = {
	[' '] = NAT_WORD_END, ['\t'] = NAT_WORD_END, ['\n'] = NAT_WORD_END, ['\v'] = NAT_WORD_END,
	['\f'] = NAT_WORD_END, ['\r'] = NAT_WORD_END, ['\''] = NAT_QUOTE, ['"'] = NAT_QUOTE,
	['`'] = NAT_BACKTICK, ['('] = NAT_OPEN, [')'] = NAT_CLOSE,
};

void
rules_native_add(struct native_set *ns, const struct native_pat *np)
{
	for (int c = 0; c < NAT_CLASSES; c++)
		if (np->triggers & (1u << c))
			ns->by_class[c] |= 1ull << ns->n;
	ns->np[ns->n++] = np;
}

/* The trigger at v[t], if a pending member wants it: its checks, in member order. */
static uint64_t
native_at(const struct native_set *ns, const char *v, size_t len, size_t t, uint64_t pending,
    native_confirm_fn confirm, void *arg)
{
	uint8_t cls = trig_class[(unsigned char)v[t]];
	if (cls == NAT_WORD_END && (t == 0 || (unsigned)((v[t - 1] | 0x20) - 'a') >= 26u))
		return pending;
	uint64_t m = cls ? ns->by_class[__builtin_ctz(cls)] & pending : 0;
	while (m) {
		unsigned i = (unsigned)__builtin_ctzll(m);
		size_t from;
		m &= m - 1;
		if (!ns->np[i]->at(v, len, t, &from))
			continue;
		/* the first place a match can start: PCRE2 from there finds the leftmost
		 * match or proves there is none (checks are necessary conditions, and from
		 * never shrinks as t grows) */
		uint64_t drop = (1ull << i) | confirm(arg, i, from);
		pending &= ~drop;
		m &= ~drop;
	}
	return pending;
}

uint64_t
rules_native_scan(const struct native_set *ns, const char *v, size_t len, uint64_t pending,
    native_confirm_fn confirm, void *arg)
{
	size_t t = 0;
#if defined(__SSE2__)
	/* 16 bytes a step: most bytes are no trigger */
	const __m128i q1 = _mm_set1_epi8('\''), q2 = _mm_set1_epi8('"'), bt = _mm_set1_epi8('`');
	const __m128i op = _mm_set1_epi8('('), cp = _mm_set1_epi8(')'), spc = _mm_set1_epi8(' ');
	const __m128i tab = _mm_set1_epi8('\t'), four = _mm_set1_epi8(4);
	for (; pending && t + 16 <= len; t += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(v + t));
		__m128i c = _mm_sub_epi8(x, tab);	/* \t..\r: 0..4 */
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, q1), _mm_cmpeq_epi8(x, q2)),
		    _mm_or_si128(_mm_cmpeq_epi8(x, bt), _mm_cmpeq_epi8(x, op)));
		hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(x, cp), _mm_cmpeq_epi8(x, spc)));
		hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(c, four), c));
		unsigned bits = (unsigned)_mm_movemask_epi8(hit);
		while (bits && pending) {
			pending = native_at(ns, v, len, t + (size_t)__builtin_ctz(bits), pending,
			    confirm, arg);
			bits &= bits - 1;
		}
	}
#endif
	for (; pending && t < len; t++)
		if (trig_class[(unsigned char)v[t]])
			pending = native_at(ns, v, len, t, pending, confirm, arg);
	return pending;
}
