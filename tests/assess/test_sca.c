/* Unit tests for the SCA engine (assess/sca*): rule syntax, per-line content
 * operators (r:, !r:, n: compare, &&), conditions all/any/none with rules that cannot
 * be judged, variables, the sshd first-value-wins reading, logrotate retention
 * arithmetic, and links resolving inside the judged tree only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assess/sca.h"
#include "core/err.h"

struct fixture {
	char dir[64];
	struct rootfs rf;
	struct sca_env env;
	struct sca_cache cache;
};

static void
put(struct fixture *f, const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	for (char *p = path + strlen(f->dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-sca-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	put(f, "etc/app.conf", "# comment\nPort 22\nMaxTries 7\nPermitRootLogin no\n");
	put(f, "etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n"
	    "MaxAuthTries 3\nMatch User x\n  PasswordAuthentication no\n");
	put(f, "etc/ssh/sshd_config.d/10-a.conf", "PermitRootLogin prohibit-password\n");
	put(f, "etc/logrotate.conf", "weekly\nrotate 4\ninclude /etc/logrotate.d\n");
	put(f, "etc/logrotate.d/x", "/var/log/x.log {\n monthly\n rotate 12\n maxage 100\n"
	    " postrotate\n  rotate 1\n endscript\n}\n");
	put(f, "usr/lib/sysctl.d/50-net.conf", "net.ipv4.ip_forward = 1\nkernel.x = 5\n");
	put(f, "etc/sysctl.d/50-net.conf", "net/ipv4/ip_forward=0\n");
	put(f, "etc/sysctl.d/90-z.conf", "kernel.x = 7 # later file\n");
	put(f, "etc/sysctl.d/README", "kernel.x = 9\n");
	/* a link out of the tree must resolve inside it */
	char link[128];
	snprintf(link, sizeof(link), "%s/etc/escape", f->dir);
	if (symlink("/etc/app.conf", link) != 0)
		return -1;
	if (rootfs_open(f->dir, &f->rf) != VG_OK)
		return -1;
	f->env = (struct sca_env){ .rf = &f->rf, .run_commands = false, .cmd_timeout_ms = 5000,
		.cache = &f->cache };
	*state = f;
	return 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	rootfs_close(&f->rf);
	sca_cache_clear(&f->cache);
	assert_int_equal(nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(f);
	return 0;
}

/* Judges one check written as YAML rules under condition cond. */
static enum sca_result
judge(struct fixture *f, const char *cond, const char *rules)
{
	char yaml[4096], err[256];
	struct sca_policy *p = NULL;
	enum sca_result res;

	snprintf(yaml, sizeof(yaml),
	    "policy: {id: t}\nvariables:\n  $conf: /etc/app.conf\nchecks:\n"
	    "  - id: 1\n    title: t\n    condition: %s\n    rules:\n%s", cond, rules);
	if (sca_policy_parse("t.yml", yaml, strlen(yaml), &p, err, sizeof(err)) != VG_OK)
		fail_msg("parse: %s", err);
	struct vg_buf *ev = vg_buf_new(65536);
	assert_int_equal(sca_check_eval(&f->env, &p->checks[0], &res, ev), VG_OK);
	vg_buf_free(ev);
	sca_policy_free(p);
	return res;
}

static void
test_content_operators(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(judge(f, "all", "      - 'f:/etc/app.conf -> r:^Port 22$'\n"), SCA_PASSED);
	assert_int_equal(judge(f, "all", "      - 'f:$conf -> r:^Port 23$'\n"), SCA_FAILED);
	/* both operators on the same line */
	assert_int_equal(judge(f, "all", "      - 'f:/etc/app.conf -> !r:^# && r:Port'\n"),
	    SCA_PASSED);
	assert_int_equal(judge(f, "all", "      - 'f:/etc/app.conf -> r:^# && r:Port'\n"), SCA_FAILED);
	assert_int_equal(judge(f, "all",
	    "      - 'f:/etc/app.conf -> n:^MaxTries (\\d+) compare <= 4'\n"), SCA_FAILED);
	assert_int_equal(judge(f, "all",
	    "      - 'f:/etc/app.conf -> n:^MaxTries (\\d+) compare > 4'\n"), SCA_PASSED);
	assert_int_equal(judge(f, "all", "      - 'f:/etc/app.conf -> Port 22'\n"), SCA_PASSED);
	assert_int_equal(judge(f, "none", "      - 'f:/etc/missing'\n"), SCA_PASSED);
	assert_int_equal(judge(f, "all", "      - 'not f:/etc/missing'\n"), SCA_PASSED);
	assert_int_equal(judge(f, "all", "      - 'd:/etc -> r:\\.conf$ -> r:^Port'\n"), SCA_PASSED);
	assert_int_equal(judge(f, "any",
	    "      - 'f:/etc/missing,/etc/app.conf -> r:PermitRootLogin no'\n"), SCA_PASSED);
}

static void
test_conditions_with_unjudged_rules(void **state)
{
	struct fixture *f = *state;
	const char *cmd = "      - 'c:id -> r:uid'\n";
	char rules[512];

	/* a command on a tree that is not the running system is not judged */
	assert_int_equal(judge(f, "all", cmd), SCA_NA);
	snprintf(rules, sizeof(rules), "%s      - 'f:/etc/missing'\n", cmd);
	assert_int_equal(judge(f, "all", rules), SCA_FAILED);	/* decided by the false rule */
	snprintf(rules, sizeof(rules), "%s      - 'f:/etc/app.conf'\n", cmd);
	assert_int_equal(judge(f, "any", rules), SCA_PASSED);
	assert_int_equal(judge(f, "none", rules), SCA_FAILED);
	assert_int_equal(judge(f, "any", "      - 'p:cron'\n"), SCA_NA);	/* no proc/ */
}

static void
test_links_stay_inside(void **state)
{
	struct fixture *f = *state;
	/* /etc/escape -> /etc/app.conf resolves to the tree's file, not the host's */
	assert_int_equal(judge(f, "all", "      - 'f:/etc/escape -> r:^MaxTries 7$'\n"), SCA_PASSED);
	assert_int_equal(judge(f, "all", "      - 'f:/../../../etc/passwd'\n"), SCA_FAILED);
}

static void
test_sshd_and_logrotate(void **state)
{
	struct fixture *f = *state;
	struct vg_buf *out = NULL;
	const char *why;

	assert_int_equal(sca_sshd_effective(&f->env, &out, &why), VG_OK);
	/* the Include comes first, so its value wins; Match blocks are not global */
	assert_non_null(strstr(vg_buf_ptr(out), "permitrootlogin without-password\n"));
	assert_non_null(strstr(vg_buf_ptr(out), "maxauthtries 3\n"));
	assert_non_null(strstr(vg_buf_ptr(out), "passwordauthentication yes\n"));
	vg_buf_free(out);
	/* sysctl.d: same-named file in /etc replaces /usr/lib's; later names win; not *.conf ignored */
	assert_int_equal(sca_probe(&f->env, "sysctl net.ipv4.ip_forward kernel.x kernel.y", &out, &why),
	    VG_OK);
	assert_non_null(strstr(vg_buf_ptr(out),
	    "net.ipv4.ip_forward = 0 (configured in /etc/sysctl.d/50-net.conf)\n"));
	assert_non_null(strstr(vg_buf_ptr(out), "kernel.x = 7 (configured in /etc/sysctl.d/90-z.conf)\n"));
	assert_non_null(strstr(vg_buf_ptr(out), "kernel.y unset"));
	vg_buf_free(out);
	assert_int_equal(sca_probe(&f->env, "logrotate", &out, &why), VG_OK);
	/* 12 months capped by maxage 100; the script's "rotate 1" is not a directive */
	assert_non_null(strstr(vg_buf_ptr(out), "rotate=12 period=monthly days=100\n"));
	assert_non_null(strstr(vg_buf_ptr(out), "global: rotate=4 period=weekly days=28\n"));
	vg_buf_free(out);
}

static void
test_bad_policies(void **state)
{
	static const char *const bad[] = {
		"policy: {id: t}\nchecks:\n  - id: 1\n    title: t\n    rules: ['q:/x']\n",
		"policy: {id: t}\nchecks:\n  - id: 1\n    title: t\n    rules: ['f:/x -> r:(']\n",
		"policy: {id: t}\nchecks:\n  - id: 1\n    title: t\n    rules: ['f:/x -> n:\\d+ compare < 3']\n",
		"policy: {id: t}\nchecks:\n  - id: 1\n    title: t\n    condition: most\n    rules: ['f:/x']\n",
		"policy: {id: t}\nchecks:\n  - {id: 1, title: a, rules: ['f:/x']}\n  - {id: 1, title: b, rules: ['f:/y']}\n",
		"policy: {id: t}\nchecks:\n  - id: 1\n    title: t\n    rules: ['x:nosuchprobe']\n",
		"checks: []\n",
		"a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: [*e, *e, *e, *e, *e, *e, *e, *e]\n",
	};
	struct sca_policy *p;
	char err[256];
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = (void *)1;
		assert_int_not_equal(sca_policy_parse("bad.yml", bad[i], strlen(bad[i]), &p, err,
		    sizeof(err)), VG_OK);
		assert_null(p);
		assert_non_null(strstr(err, "bad.yml"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_content_operators, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conditions_with_unjudged_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_stay_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sshd_and_logrotate, setup, teardown),
		cmocka_unit_test(test_bad_policies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
