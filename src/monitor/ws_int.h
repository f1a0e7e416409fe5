/* Internals shared by the webshell script analysers: tokens, the per-file arena, the
 * decoders used for constant folding, and the per-language name tables. */
#ifndef VG_WS_INT_H
#define VG_WS_INT_H

#include "monitor/ws.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Per-file caps: beyond them the analysis stops and reports what it has. */
#define WS_MAX_TOKENS (1u << 21)
#define WS_MAX_ARENA (48u << 20)
#define WS_MAX_STR (2u << 20)		/* longest folded string */
#define WS_MAX_DEPTH 4			/* nested decoded layers analysed */

/* Bump allocator; everything of one analysis is freed at once. */
struct ws_arena {
	struct ws_chunk *head;
	size_t used;			/* bytes handed out, checked against WS_MAX_ARENA */
};
void *ws_alloc(struct ws_arena *a, size_t n);	/* NULL past the cap or on ENOMEM */
char *ws_dup(struct ws_arena *a, const char *s, size_t n);	/* NUL-terminated copy */
void ws_arena_free(struct ws_arena *a);

enum ws_tok_type { TK_EOF = 0, TK_ID, TK_VAR, TK_STR, TK_NUM, TK_OP, TK_EOS };
#define TF_INTERP 1		/* PHP "..." or heredoc holding $variables */
#define TF_BACKTICK 2		/* PHP `...`: a shell command */

struct ws_tok {
	uint8_t type;
	uint8_t flags;
	uint32_t op;		/* TK_OP: up to 4 chars packed, first char lowest */
	const char *s;		/* TK_ID/TK_VAR: name in the source (TK_VAR without '$');
				 * TK_STR: decoded value (arena, NUL-terminated) */
	uint32_t n;
};
#define OP1(a) ((uint32_t)(unsigned char)(a))
#define OP2(a, b) (OP1(a) | OP1(b) << 8)
#define OP3(a, b, c) (OP2(a, b) | OP1(c) << 16)

struct ws_toks {
	struct ws_tok *v;
	size_t n, cap;
	const char **controls;	/* ASPX: ids of runat=server controls (lower case) */
	size_t ncontrols;
	bool limited;
};

/* Tokenizes the server-side code in src (markup outside <?php ?>, <% %>, JSPX
 * scriptlets and runat=server script blocks is skipped; code_only = all of src is
 * code). Token and string storage come from a; out->v is malloc'd (free it). */
int ws_lex(enum ws_lang lang, const char *src, size_t n, bool code_only, struct ws_arena *a,
    struct ws_toks *out);

/* Decoders for folding; each returns a NUL-terminated arena string (length in *out_n)
 * or NULL when the input does not decode. */
char *ws_b64(struct ws_arena *a, const char *s, size_t n, size_t *out_n);
char *ws_hex(struct ws_arena *a, const char *s, size_t n, size_t *out_n);
char *ws_rot13(struct ws_arena *a, const char *s, size_t n, size_t *out_n);
char *ws_rev(struct ws_arena *a, const char *s, size_t n, size_t *out_n);
char *ws_urldec(struct ws_arena *a, const char *s, size_t n, size_t *out_n);
/* mode: 0 raw deflate (gzinflate), 1 zlib (gzuncompress), 2 gzip (gzdecode) */
char *ws_inflate(struct ws_arena *a, const char *s, size_t n, int mode, size_t *out_n);

/* Function / method / constructor table entries (see ws_lang.c). */
enum ws_fk {
	F_KEEP = 0,	/* result carries the taint of receiver and arguments */
	F_KILL,		/* sanitiser or scalar result: untainted */
	F_SRC,		/* request input */
	F_REQ,		/* the request object itself */
	F_B64, F_HEX, F_ROT13, F_INFL, F_UNC, F_GZD, F_REV, F_URLD, F_CHR, F_LOWER,
	F_UPPER, F_TRIM, F_SUBSTR, F_SUBSTR_END, F_MID, F_REPL, F_REPL_M, F_JOIN, F_BYTES,
	F_OBJ,		/* CreateObject("ProgID"): tag from the constant */
	F_CLASSBYNAME,	/* Class.forName / Type.GetType: tag from the constant */
	F_WEBROOT,	/* getRealPath / MapPath: result lies under the web root */
	S_CODE, S_EXEC, S_CLASS, S_INCLUDE, S_CALLBACK, S_INVOKE, S_REFLFN,
	S_FILEW,	/* path = arg, data = arg2 */
	S_OPENW,	/* opens path arg for writing: result tag TG_FILEW */
	S_WRITE,	/* writes arg to a TG_FILEW receiver / handle arg2 */
	S_FILEOP, S_UPLOAD, S_DBEXEC, S_DBCONN, S_NET, S_XSLTREG, S_XSLTUSE,
	S_PREG,		/* preg_replace: code when the pattern has the e modifier */
};

enum ws_tag {
	TG_NONE = 0, TG_REQUEST, TG_SHELL, TG_FSO, TG_FILEW, TG_DB, TG_STREAM, TG_REFL,
	TG_XSLT, TG_SERVER, TG_PROC, TG_ENGINE, TG_GLOBALS, TG_NET, TG_CONTROL,
};

#define W_ANY 0
#define W_FREE 1	/* only f(...) */
#define W_MEMB 2	/* only x.f(...) / x->f(...) */
#define W_NEW 3		/* only new F(...) */

#define ARG_ANY (-1)
#define ARG_RECV (-2)
#define ARG_LAST (-3)

struct ws_fn {
	const char *name;	/* lower case */
	uint8_t kind;		/* enum ws_fk */
	int8_t arg;		/* argument the entry is about (ARG_*) */
	int8_t arg2;
	uint8_t where;		/* W_* */
	uint8_t tag_req;	/* receiver tag required (TG_NONE = any) */
	uint8_t tag_out;	/* tag of the result */
};

struct ws_table {
	const struct ws_fn *v;
	size_t n;
};

/* Name tables of a language (sorted by name, then tag_req descending). */
const struct ws_table *ws_table_for(enum ws_lang lang);
/* First entry for lname matching where and the receiver tag, or NULL. */
const struct ws_fn *ws_lookup(const struct ws_table *t, const char *lname, int where, int tag);
/* Tag for a COM ProgID / Java or .NET class name, TG_NONE if harmless. */
int ws_tag_of_name(const char *s, size_t n);

#endif
