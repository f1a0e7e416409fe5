/* Guarded YAML documents for every YAML reader (config, rules, the policies to
 * come). libyaml's document API keeps line/column marks for messages; the guard
 * walks the tree once with aliases expanded and refuses a document over a node
 * budget, so a small file that aliases one big list many times ("billion
 * laughs") is refused before any reader walks it. Readers then apply their own
 * table of keys (config: schema rows; rules: keyword rows). */
#ifndef VG_YAML_H
#define VG_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <yaml.h>

struct vg_yaml {
	yaml_document_t doc;
	bool loaded;
};

/* Deepest nesting of lists and mappings a document may have: libyaml's time grows
 * with the square of the depth, and no config or rule needs more than a few. */
#define VG_YAML_MAX_DEPTH 64

/* Why a load failed: where, and libyaml's words (copied). */
struct vg_yaml_error {
	size_t line, column;	/* 1-based */
	bool too_large;		/* over the node budget or the depth (else a syntax error) */
	char problem[128];	/* plain words ("a tab indents this line; ...") */
	char context[128];	/* libyaml's context, for debugging */
};

/* Parses text (len bytes) or the rest of f into y. 0; VG_ERR_PARSE on a syntax
 * error; VG_ERR_LIMIT when the tree, aliases expanded, has more than max_nodes
 * nodes or nests deeper than VG_YAML_MAX_DEPTH; VG_ERR_NOMEM; VG_ERR_IO. On failure *e says where and y holds nothing. Caller
 * frees y with vg_yaml_free (also after a failure). */
int vg_yaml_load(struct vg_yaml *y, const char *text, size_t len, size_t max_nodes,
    struct vg_yaml_error *e);
int vg_yaml_load_file(struct vg_yaml *y, FILE *f, size_t max_nodes, struct vg_yaml_error *e);
void vg_yaml_free(struct vg_yaml *y);

/* Root node; NULL for an empty document. */
yaml_node_t *vg_yaml_root(struct vg_yaml *y);
/* Node by id (from pairs and items); NULL if out of range. */
yaml_node_t *vg_yaml_node(struct vg_yaml *y, int id);
/* A scalar's text, or NULL if n is not a scalar. Borrowed from the document. */
const char *vg_yaml_scalar(const yaml_node_t *n);
/* "a scalar", "a list", "a mapping" or "empty", for messages. */
const char *vg_yaml_kind(const yaml_node_t *n);
/* Value of key in mapping map (first match), or NULL. */
yaml_node_t *vg_yaml_map_get(struct vg_yaml *y, const yaml_node_t *map, const char *key);
/* First key of mapping map that is not one of keys (NULL-terminated), or that is
 * not a scalar; NULL when every key is known (or map is not a mapping). */
yaml_node_t *vg_yaml_unknown_key(struct vg_yaml *y, const yaml_node_t *map,
    const char *const *keys);

/* Where a reader's one error message goes: the file it names and the caller's
 * buffer. column: positions are "line:column" (else "line" alone). */
struct vg_yaml_msg {
	const char *origin;
	char *err;
	size_t size;
	bool column;
};

/* Writes "origin:line[:column]: message" (n's start) or, with n NULL,
 * "origin: message" into m->err; returns code, so a reader can
 * `return vg_yaml_fail(...)`. */
int vg_yaml_fail(const struct vg_yaml_msg *m, const yaml_node_t *n, int code, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
/* A failed load as m's message: where, then too_large's words when the document was
 * over the budget or too deep, else the syntax problem. Returns code. */
int vg_yaml_fail_load(const struct vg_yaml_msg *m, const struct vg_yaml_error *e,
    const char *too_large, int code);

struct vg_buf;
/* For the readers that collect every error in a buffer (rules, asset classes): a
 * failed load as the line "origin:line:column: yaml: problem\n" appended to b;
 * a document over the budget or too deep is named without "yaml: ". */
void vg_yaml_put_load_error(struct vg_buf *b, const char *origin, const struct vg_yaml_error *e);

#endif
