/* Unit tests for the guarded YAML loader shared by config and rules: the node
 * budget counts aliases expanded, syntax errors keep their position, and the
 * small node helpers, and the error writers the readers share. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/yaml.h"

/* levels of 10 aliases each: 10^levels leaves from a few hundred bytes */
static char *
alias_bomb(int levels)
{
	char *s = calloc(1, 4096);
	int n = snprintf(s, 4096, "a0: &a0 [x]\n");
	for (int l = 1; l <= levels; l++) {
		n += snprintf(s + n, 4096 - (size_t)n, "a%d: &a%d [", l, l);
		for (int k = 0; k < 10; k++)
			n += snprintf(s + n, 4096 - (size_t)n, "%s*a%d", k ? "," : "", l - 1);
		n += snprintf(s + n, 4096 - (size_t)n, "]\n");
	}
	return s;
}

static void
test_alias_bomb_is_refused_within_budget(void **state)
{
	(void)state;
	struct vg_yaml y;
	struct vg_yaml_error e;
	char *text = alias_bomb(9);	/* a billion nodes if walked */

	assert_int_equal(vg_yaml_load(&y, text, strlen(text), 100000, &e), VG_ERR_LIMIT);
	assert_true(e.too_large);
	assert_non_null(strstr(e.problem, "document too large"));
	assert_true(e.line >= 1);
	assert_null(vg_yaml_root(&y));
	vg_yaml_free(&y);
	free(text);
}

static void
test_small_alias_use_is_accepted(void **state)
{
	(void)state;
	struct vg_yaml y;
	struct vg_yaml_error e;
	char *text = alias_bomb(2);	/* ~250 nodes */

	assert_int_equal(vg_yaml_load(&y, text, strlen(text), 100000, &e), VG_OK);
	yaml_node_t *root = vg_yaml_root(&y);
	assert_non_null(root);
	assert_string_equal(vg_yaml_kind(root), "a mapping");
	yaml_node_t *a2 = vg_yaml_map_get(&y, root, "a2");
	assert_non_null(a2);
	assert_string_equal(vg_yaml_kind(a2), "a list");
	assert_null(vg_yaml_map_get(&y, root, "nope"));
	assert_null(vg_yaml_scalar(a2));
	vg_yaml_free(&y);
	vg_yaml_free(&y);	/* twice is harmless */
	free(text);
}

static void
test_syntax_error_has_position(void **state)
{
	(void)state;
	struct vg_yaml y;
	struct vg_yaml_error e;
	const char *text = "a: 1\nb: [\n";

	assert_int_equal(vg_yaml_load(&y, text, strlen(text), 1000, &e), VG_ERR_PARSE);
	assert_false(e.too_large);
	assert_int_equal(e.line, 3);
	assert_true(e.problem[0] != '\0');
	vg_yaml_free(&y);
}

/* One message form for every reader: file:line[:column]: words, or file: words. */
static void
test_fail_writes_position_and_returns_code(void **state)
{
	(void)state;
	struct vg_yaml y;
	struct vg_yaml_error e;
	const char *text = "id: x\nitems:\n  - color: red\n";
	char err[128];
	struct vg_yaml_msg col = { "f.yaml", err, sizeof(err), true };
	struct vg_yaml_msg line = { "f.yaml", err, sizeof(err), false };

	assert_int_equal(vg_yaml_load(&y, text, strlen(text), 1000, &e), VG_OK);
	yaml_node_t *items = vg_yaml_map_get(&y, vg_yaml_root(&y), "items");
	yaml_node_t *item = vg_yaml_node(&y, items->data.sequence.items.start[0]);

	assert_int_equal(vg_yaml_fail(&col, item, VG_ERR_PARSE, "bad %s", "item"), VG_ERR_PARSE);
	assert_string_equal(err, "f.yaml:3:5: bad item");
	assert_int_equal(vg_yaml_fail(&line, item, VG_ERR_FORMAT, "bad"), VG_ERR_FORMAT);
	assert_string_equal(err, "f.yaml:3: bad");
	vg_yaml_fail(&col, NULL, VG_ERR_PARSE, "empty");
	assert_string_equal(err, "f.yaml: empty");

	/* unknown keys: the first key not in the table, NULL when all are known */
	static const char *const keys[] = { "id", "items", NULL };
	static const char *const few[] = { "id", NULL };
	assert_null(vg_yaml_unknown_key(&y, vg_yaml_root(&y), keys));
	yaml_node_t *k = vg_yaml_unknown_key(&y, vg_yaml_root(&y), few);
	assert_non_null(k);
	assert_string_equal(vg_yaml_scalar(k), "items");
	assert_null(vg_yaml_unknown_key(&y, items, few));	/* not a mapping */
	vg_yaml_free(&y);
}

static void
test_load_errors_are_written_as_before(void **state)
{
	(void)state;
	struct vg_yaml y;
	struct vg_yaml_error e;
	const char *text = "a: 1\nb: [\n";
	char err[256];
	struct vg_yaml_msg m = { "p.yaml", err, sizeof(err), true };
	struct vg_buf *b = vg_buf_new(4096);
	char *bomb = alias_bomb(9);

	assert_int_equal(vg_yaml_load(&y, text, strlen(text), 1000, &e), VG_ERR_PARSE);
	vg_yaml_free(&y);
	assert_int_equal(vg_yaml_fail_load(&m, &e, "too large", VG_ERR_PARSE), VG_ERR_PARSE);
	assert_true(strncmp(err, "p.yaml:3:", 9) == 0);
	assert_non_null(strstr(err, e.problem));
	assert_non_null(b);
	vg_yaml_put_load_error(b, "p.yaml", &e);
	assert_true(strncmp(vg_buf_ptr(b), "p.yaml:3:", 9) == 0);
	assert_non_null(strstr(vg_buf_ptr(b), ": yaml: "));

	assert_int_equal(vg_yaml_load(&y, bomb, strlen(bomb), 100000, &e), VG_ERR_LIMIT);
	vg_yaml_free(&y);
	vg_yaml_fail_load(&m, &e, "too large", VG_ERR_LIMIT);
	assert_non_null(strstr(err, ": too large"));
	vg_buf_reset(b);
	vg_yaml_put_load_error(b, "p.yaml", &e);
	assert_null(strstr(vg_buf_ptr(b), "yaml: "));
	assert_non_null(strstr(vg_buf_ptr(b), "document too large"));
	vg_buf_free(b);
	free(bomb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alias_bomb_is_refused_within_budget),
		cmocka_unit_test(test_small_alias_use_is_accepted),
		cmocka_unit_test(test_syntax_error_has_position),
		cmocka_unit_test(test_fail_writes_position_and_returns_code),
		cmocka_unit_test(test_load_errors_are_written_as_before),
	};
	return cmocka_run_group_tests_name("yaml", tests, NULL, NULL);
}
