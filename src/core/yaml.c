/* Guarded YAML loading shared by config and rules: parse with libyaml's document
 * API, then count the tree with aliases expanded, stopping at the budget (so the
 * count itself costs at most max_nodes steps). */
#include "core/yaml.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

static void
copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
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
load(struct vg_yaml *y, yaml_parser_t *parser, size_t max_nodes, struct vg_yaml_error *e)
{
	const yaml_node_t *at = NULL;
	int r;

	memset(e, 0, sizeof(*e));
	if (!yaml_parser_load(parser, &y->doc)) {
		e->line = parser->problem_mark.line + 1;
		e->column = parser->problem_mark.column + 1;
		copy_text(e->problem, sizeof(e->problem), parser->problem);
		copy_text(e->context, sizeof(e->context), parser->context);
		return parser->error == YAML_MEMORY_ERROR ? VG_ERR_NOMEM : VG_ERR_PARSE;
	}
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

/* One parser set-up for both inputs: f if non-NULL, else text. */
static int
load_from(struct vg_yaml *y, const char *text, size_t len, FILE *f, size_t max_nodes,
    struct vg_yaml_error *e)
{
	yaml_parser_t parser;
	int r;

	memset(y, 0, sizeof(*y));
	if (!yaml_parser_initialize(&parser)) {
		memset(e, 0, sizeof(*e));
		return VG_ERR_NOMEM;
	}
	if (f)
		yaml_parser_set_input_file(&parser, f);
	else
		yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	r = load(y, &parser, max_nodes, e);
	yaml_parser_delete(&parser);
	return r;
}

int
vg_yaml_load(struct vg_yaml *y, const char *text, size_t len, size_t max_nodes,
    struct vg_yaml_error *e)
{
	return load_from(y, text, len, NULL, max_nodes, e);
}

int
vg_yaml_load_file(struct vg_yaml *y, FILE *f, size_t max_nodes, struct vg_yaml_error *e)
{
	return load_from(y, NULL, 0, f, max_nodes, e);
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
