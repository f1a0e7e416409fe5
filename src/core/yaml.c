/* Guarded YAML loading shared by config and rules: parse with libyaml's document
 * API, then count the tree with aliases expanded, stopping at the budget (so the
 * count itself costs at most max_nodes steps). */
#include "core/yaml.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define YAML_FILE_MAX (64u << 20)	/* no config or rule file comes near this */

static void
copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* libyaml's messages name its internals ("while scanning for the next token");
 * a reader gets what is wrong with the file instead. text[at] is the byte libyaml
 * stopped at. Unknown messages keep libyaml's words. */
static void
plain_words(struct vg_yaml_error *e, const char *problem, const char *context,
    const char *text, size_t len, size_t at)
{
	static const struct {
		const char *libyaml, *plain;
	} words[] = {
		{ "found a tab character", "a tab indents this line; YAML indents with spaces only" },
		{ "did not find expected node content", "a value is missing here" },
		{ "mapping values are not allowed", "unexpected ':' (quote a value that holds ': ')" },
		{ "did not find expected key", "this line is not indented like the keys before it" },
		{ "could not find expected ':'", "a key without ':' (or a quote left open)" },
		{ "found unexpected end of stream", "the file ends inside a quoted value" },
		{ "did not find expected ',' or ']'", "a '[' list is not closed with ']'" },
		{ "did not find expected ',' or '}'", "a '{' mapping is not closed with '}'" },
		{ "did not find expected '-' indicator", "a list item is not indented like the others" },
		{ "found undefined alias", "an alias (*name) refers to no anchor (&name)" },
		{ "found unknown escape character", "an unknown backslash escape in a double-quoted value" },
		{ "control characters are not allowed", "a control character in the file" },
		{ "invalid leading UTF-8 octet", "the file is not valid UTF-8" },
		{ "incomplete UTF-8 octet sequence", "the file is not valid UTF-8" },
		{ "did not find expected <document start>", "a second document or stray text after the first" },
	};
	const char *p = problem ? problem : "";

	if (strstr(p, "cannot start any token") && at < len) {
		unsigned char c = (unsigned char)text[at];
		if (c == '\t')
			snprintf(e->problem, sizeof(e->problem), "%s", words[0].plain);
		else if (c == '@' || c == '`')
			snprintf(e->problem, sizeof(e->problem),
			    "'%c' cannot start a value; quote the value", c);
		else
			snprintf(e->problem, sizeof(e->problem),
			    "character 0x%02x cannot start a value; quote the value", c);
		return;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strstr(p, words[i].libyaml)) {
			snprintf(e->problem, sizeof(e->problem), "%s", words[i].plain);
			return;
		}
	}
	snprintf(e->problem, sizeof(e->problem), "%s%s%s", *p ? p : "unknown error",
	    context && *context ? " " : "", context ? context : "");
}

static int
parse_error(const yaml_parser_t *parser, const char *text, size_t len, struct vg_yaml_error *e)
{
	e->line = parser->problem_mark.line + 1;
	e->column = parser->problem_mark.column + 1;
	copy_text(e->context, sizeof(e->context), parser->context);
	plain_words(e, parser->problem, parser->context, text, len, parser->problem_mark.index);
	return parser->error == YAML_MEMORY_ERROR ? VG_ERR_NOMEM : VG_ERR_PARSE;
}

/* libyaml's scanner rechecks every open flow level for each token, so deeply
 * nested input ("[[[[...") costs time quadratic in its depth (100k levels: over a
 * minute). One pass over the events stops at the first level past the limit,
 * before the document is built. */
static int
check_depth(const char *text, size_t len, struct vg_yaml_error *e)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t depth = 0;
	int ret = VG_OK;

	if (!yaml_parser_initialize(&parser))
		return VG_ERR_NOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			ret = parse_error(&parser, text, len, e);
			break;
		}
		yaml_event_type_t type = ev.type;
		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
			if (++depth > VG_YAML_MAX_DEPTH) {
				e->too_large = true;
				e->line = ev.start_mark.line + 1;
				e->column = ev.start_mark.column + 1;
				snprintf(e->problem, sizeof(e->problem),
				    "nested deeper than %d levels", VG_YAML_MAX_DEPTH);
				ret = VG_ERR_LIMIT;
			}
		} else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		yaml_event_delete(&ev);
		if (ret != VG_OK || type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return ret;
}

/* Walks the expanded tree without recursion (a deeply nested document must not
 * exhaust the stack); *at gets the node where the budget ran out. */
static int
check_size(yaml_document_t *doc, size_t max_nodes, const yaml_node_t **at)
{
	size_t seen = 0, n = 0, cap = 64;
	int *stack = malloc(cap * sizeof(*stack));
	yaml_node_t *root = yaml_document_get_root_node(doc);
	int ret = VG_OK;

	*at = NULL;
	if (!stack)
		return VG_ERR_NOMEM;
	if (root)
		stack[n++] = 1;	/* the root is node 1 */
	while (n > 0) {
		yaml_node_t *node = yaml_document_get_node(doc, stack[--n]);
		size_t kids = 0;
		if (!node)
			continue;
		if (++seen > max_nodes) {
			*at = node;
			ret = VG_ERR_LIMIT;
			break;
		}
		if (node->type == YAML_SEQUENCE_NODE)
			kids = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
		else if (node->type == YAML_MAPPING_NODE)
			kids = 2 * (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
		if (n + kids > cap) {
			size_t ncap = (n + kids) * 2;
			int *g = realloc(stack, ncap * sizeof(*g));
			if (!g) {
				ret = VG_ERR_NOMEM;
				break;
			}
			stack = g;
			cap = ncap;
		}
		if (node->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *it = node->data.sequence.items.start;
			    it < node->data.sequence.items.top; it++)
				stack[n++] = *it;
		} else if (node->type == YAML_MAPPING_NODE) {
			for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
			    p < node->data.mapping.pairs.top; p++) {
				stack[n++] = p->value;
				stack[n++] = p->key;
			}
		}
	}
	free(stack);
	return ret;
}

static int
load(struct vg_yaml *y, yaml_parser_t *parser, const char *text, size_t len,
    size_t max_nodes, struct vg_yaml_error *e)
{
	const yaml_node_t *at = NULL;
	int r;

	if (!yaml_parser_load(parser, &y->doc))
		return parse_error(parser, text, len, e);
	y->loaded = true;
	r = check_size(&y->doc, max_nodes, &at);
	if (r == VG_ERR_LIMIT) {
		e->too_large = true;
		e->line = at->start_mark.line + 1;
		e->column = at->start_mark.column + 1;
		snprintf(e->problem, sizeof(e->problem),
		    "document too large (over %zu nodes once aliases are expanded)", max_nodes);
	}
	if (r != VG_OK)
		vg_yaml_free(y);
	return r;
}

int
vg_yaml_load(struct vg_yaml *y, const char *text, size_t len, size_t max_nodes,
    struct vg_yaml_error *e)
{
	yaml_parser_t parser;
	int r;

	memset(y, 0, sizeof(*y));
	memset(e, 0, sizeof(*e));
	if ((r = check_depth(text, len, e)) != VG_OK)
		return r;
	if (!yaml_parser_initialize(&parser))
		return VG_ERR_NOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	r = load(y, &parser, text, len, max_nodes, e);
	yaml_parser_delete(&parser);
	return r;
}

/* The file is read whole: the depth check and the load are two passes, and the
 * plain-words messages look at the byte where libyaml stopped. */
int
vg_yaml_load_file(struct vg_yaml *y, FILE *f, size_t max_nodes, struct vg_yaml_error *e)
{
	char *text = NULL;
	size_t len = 0, cap = 0;
	int r;

	memset(y, 0, sizeof(*y));
	memset(e, 0, sizeof(*e));
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 16384;
			char *g = ncap <= YAML_FILE_MAX ? realloc(text, ncap) : NULL;
			if (!g) {
				free(text);
				if (ncap <= YAML_FILE_MAX)
					return VG_ERR_NOMEM;
				e->too_large = true;
				snprintf(e->problem, sizeof(e->problem), "file larger than %u MiB",
				    YAML_FILE_MAX >> 20);
				return VG_ERR_LIMIT;
			}
			text = g;
			cap = ncap;
		}
		size_t n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(text);
		snprintf(e->problem, sizeof(e->problem), "read error");
		return VG_ERR_IO;
	}
	r = vg_yaml_load(y, text, len, max_nodes, e);
	free(text);
	return r;
}

void
vg_yaml_free(struct vg_yaml *y)
{
	if (y && y->loaded) {
		yaml_document_delete(&y->doc);
		y->loaded = false;
	}
}

yaml_node_t *
vg_yaml_root(struct vg_yaml *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *
vg_yaml_node(struct vg_yaml *y, int id)
{
	return y->loaded ? yaml_document_get_node(&y->doc, id) : NULL;
}

const char *
vg_yaml_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

const char *
vg_yaml_kind(const yaml_node_t *n)
{
	switch (n ? n->type : YAML_NO_NODE) {
	case YAML_SCALAR_NODE:	 return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE:	 return "a mapping";
	default:		 return "empty";
	}
}

yaml_node_t *
vg_yaml_map_get(struct vg_yaml *y, const yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	    p++) {
		const char *k = vg_yaml_scalar(vg_yaml_node(y, p->key));
		if (k && strcmp(k, key) == 0)
			return vg_yaml_node(y, p->value);
	}
	return NULL;
}

yaml_node_t *
vg_yaml_unknown_key(struct vg_yaml *y, const yaml_node_t *map, const char *const *keys)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	    p++) {
		yaml_node_t *k = vg_yaml_node(y, p->key);
		const char *ks = vg_yaml_scalar(k);
		size_t i;

		for (i = 0; ks && keys[i]; i++)
			if (strcmp(ks, keys[i]) == 0)
				break;
		if (!ks || !keys[i])
			return k;
	}
	return NULL;
}

static void
put_at(const struct vg_yaml_msg *m, size_t line, size_t column, const char *msg)
{
	if (m->column)
		snprintf(m->err, m->size, "%s:%zu:%zu: %s", m->origin, line, column, msg);
	else
		snprintf(m->err, m->size, "%s:%zu: %s", m->origin, line, msg);
}

int
vg_yaml_fail(const struct vg_yaml_msg *m, const yaml_node_t *n, int code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		put_at(m, (size_t)n->start_mark.line + 1, (size_t)n->start_mark.column + 1, msg);
	else
		snprintf(m->err, m->size, "%s: %s", m->origin, msg);
	return code;
}

int
vg_yaml_fail_load(const struct vg_yaml_msg *m, const struct vg_yaml_error *e,
    const char *too_large, int code)
{
	put_at(m, e->line, e->column, e->too_large ? too_large : e->problem);
	return code;
}

void
vg_yaml_put_load_error(struct vg_buf *b, const char *origin, const struct vg_yaml_error *e)
{
	vg_buf_putf(b, "%s:%zu:%zu: %s%s\n", origin, e->line, e->column,
	    e->too_large ? "" : "yaml: ", e->problem[0] ? e->problem : "error");
}
