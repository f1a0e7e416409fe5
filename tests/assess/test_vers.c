/* Unit tests for version ordering (assess/vers): dpkg's rules checked against
 * `dpkg --compare-versions` itself on edge cases (epochs, revisions, '~', letters,
 * leading zeros), semver pre-releases, dotted banner versions, and unparsable
 * versions refused (so they read "unknown", never "vulnerable"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "assess/vers.h"
#include "core/err.h"

static const char *const dpkg_pairs[][2] = {
	{ "1.0", "1.0" }, { "1.0", "1.0-0" }, { "1.0-1", "1.0-2" }, { "1:1.0", "2.0" },
	{ "0:1.0", "1.0" }, { "1.0~rc1", "1.0" }, { "1.0~rc1", "1.0~rc2" }, { "1.0~~", "1.0~" },
	{ "1.0a", "1.0" }, { "1.0a", "1.0b" }, { "1.0+b1", "1.0" }, { "1.0.0", "1.0" },
	{ "1.01", "1.1" }, { "1.001", "1.1" }, { "2.30", "2.4" }, { "1.2.3-1~deb12u1", "1.2.3-1" },
	{ "1.2.3-1+deb12u1", "1.2.3-1" }, { "3.0.11-1~deb12u2", "3.0.11-1~deb12u1" },
	{ "1:9.2p1-2+deb12u2", "1:9.2p1-2+deb12u3" }, { "9.2p1-2", "9.2p1-10" },
	{ "1.0-1ubuntu1", "1.0-1" }, { "1.0-1build1", "1.0-1ubuntu1" }, { "2:1.0", "1:9.9" },
	{ "1.0.0~beta", "1.0.0~alpha" }, { "7.88.1-10+deb12u5", "7.88.1-10+deb12u12" },
	{ "1.2-3-4", "1.2-3" }, { "10", "9" }, { "1.0+dfsg", "1.0" }, { "1.0+dfsg-1", "1.0-1" },
	{ "0.0", "0" }, { "1.0", "1.0 x" },
};

/* dpkg's own answer: -1, 0, 1, or 2 when dpkg refuses the syntax. */
static int
dpkg_oracle(const char *a, const char *b)
{
	const char *ops[] = { "lt", "eq", "gt" };
	for (int i = 0; i < 3; i++) {
		pid_t pid = fork();
		int st;
		if (pid == 0) {
			int dn = open("/dev/null", O_WRONLY);
			if (dn >= 0)
				dup2(dn, 2);
			execlp("dpkg", "dpkg", "--compare-versions", a, ops[i], b, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
			return 3;
		if (WEXITSTATUS(st) == 0)
			return i - 1;
		if (WEXITSTATUS(st) != 1)
			return WEXITSTATUS(st) == 127 ? 3 : 2;
	}
	return 2;
}

static void
test_dpkg_against_dpkg(void **state)
{
	(void)state;
	size_t checked = 0;
	for (size_t i = 0; i < sizeof(dpkg_pairs) / sizeof(dpkg_pairs[0]); i++) {
		const char *a = dpkg_pairs[i][0], *b = dpkg_pairs[i][1];
		int want = dpkg_oracle(a, b), got = 9;
		int r = vers_cmp(VERS_DPKG, a, b, &got);
		if (want == 3)
			skip();	/* no dpkg here: the fixed expectations below still run */
		if (want == 2) {
			assert_int_equal(r, VG_ERR_PARSE);
			continue;
		}
		if (r != VG_OK || got != want)
			fail_msg("%s vs %s: dpkg says %d, vigil %d (r=%d)", a, b, want, got, r);
		/* and the other way round */
		assert_int_equal(vers_cmp(VERS_DPKG, b, a, &got), VG_OK);
		assert_int_equal(got, -want);
		checked++;
	}
	assert_true(checked >= 25);
}

static void
test_dpkg_fixed(void **state)
{
	int c;
	(void)state;
	assert_int_equal(vers_cmp(VERS_DPKG, "1.0~rc1", "1.0", &c), VG_OK);
	assert_int_equal(c, -1);
	assert_int_equal(vers_cmp(VERS_DPKG, "1:1.0", "9.0", &c), VG_OK);
	assert_int_equal(c, 1);
	/* the backport that makes a Debian package not vulnerable */
	assert_int_equal(vers_cmp(VERS_DPKG, "3.0.11-1~deb12u2", "3.0.11-1~deb12u2", &c), VG_OK);
	assert_int_equal(c, 0);
	assert_int_equal(vers_cmp(VERS_DPKG, "", "1", &c), VG_ERR_PARSE);
	assert_int_equal(vers_cmp(VERS_DPKG, "x:1", "1", &c), VG_ERR_PARSE);
	assert_int_equal(vers_cmp(VERS_DPKG, "1.0 junk!", "1", &c), VG_ERR_PARSE);
	/* dpkg only warns about a version not starting with a digit; vigil calls it unknown */
	assert_int_equal(vers_cmp(VERS_DPKG, "a", "1", &c), VG_ERR_PARSE);
}

static void
test_semver(void **state)
{
	static const char *const order[] = { "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
		"1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1",
		"1.2.0", "v1.10.0", "2.0.0" };
	int c;
	(void)state;
	for (size_t i = 0; i + 1 < sizeof(order) / sizeof(order[0]); i++) {
		assert_int_equal(vers_cmp(VERS_SEMVER, order[i], order[i + 1], &c), VG_OK);
		if (c != -1)
			fail_msg("%s should sort before %s", order[i], order[i + 1]);
	}
	assert_int_equal(vers_cmp(VERS_SEMVER, "1.0.0+build.5", "1.0.0", &c), VG_OK);
	assert_int_equal(c, 0);
	assert_int_equal(vers_cmp(VERS_SEMVER, "1.0", "1.0.0", &c), VG_ERR_PARSE);
}

static void
test_dotted(void **state)
{
	int c;
	(void)state;
	assert_int_equal(vers_cmp(VERS_DOTTED, "2.4.49", "2.4.50", &c), VG_OK);
	assert_int_equal(c, -1);
	assert_int_equal(vers_cmp(VERS_DOTTED, "1.1.1k", "1.1.1w", &c), VG_OK);
	assert_int_equal(c, -1);
	assert_int_equal(vers_cmp(VERS_DOTTED, "9.3p2", "9.2p1", &c), VG_OK);
	assert_int_equal(c, 1);
	assert_int_equal(vers_cmp(VERS_DOTTED, "1.25.3", "1.9.15", &c), VG_OK);
	assert_int_equal(c, 1);
	assert_int_equal(vers_cmp(VERS_DOTTED, "", "1", &c), VG_ERR_PARSE);
	assert_int_equal(vers_cmp(VERS_DOTTED, "unknown", "1", &c), VG_ERR_PARSE);
	assert_int_equal(vers_scheme_for_ecosystem("Debian:12"), VERS_DPKG);
	assert_int_equal(vers_scheme_for_ecosystem("npm"), VERS_SEMVER);
	assert_int_equal(vers_scheme_for_ecosystem("PyPI"), VERS_DOTTED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_against_dpkg),
		cmocka_unit_test(test_dpkg_fixed),
		cmocka_unit_test(test_semver),
		cmocka_unit_test(test_dotted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
