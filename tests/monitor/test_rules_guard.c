/* The rule loader refuses a rule file whose aliases expand past the node budget
 * (the guard shared with config in core/yaml.c) instead of walking it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "monitor/rules.h"

static void
test_rule_file_alias_bomb_is_refused(void **state)
{
	(void)state;
	char path[] = "/tmp/vigil-rules-bomb-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	/* Ten levels of ten aliases: 10^10 example strings if walked. */
	fprintf(f, "x0: &x0 [\"GET /a\"]\n");
	for (int l = 1; l <= 10; l++) {
		fprintf(f, "x%d: &x%d [", l, l);
		for (int k = 0; k < 10; k++)
			fprintf(f, "%s*x%d", k ? "," : "", l - 1);
		fprintf(f, "]\n");
	}
	fprintf(f, "rules:\n  - {id: t.bomb, title: t, severity: low, category: t, fields: [url],"
		   " patterns: [{literal: zzz}], no_match: *x10}\n");
	fclose(f);

	struct ruleset *rs = NULL;
	char *errors = NULL;
	assert_int_equal(ruleset_load(path, 0, NULL, &rs, &errors), VG_ERR_PARSE);
	assert_null(rs);
	assert_non_null(errors);
	assert_non_null(strstr(errors, "document too large"));
	free(errors);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_file_alias_bomb_is_refused),
	};
	return cmocka_run_group_tests_name("rules_guard", tests, NULL, NULL);
}
