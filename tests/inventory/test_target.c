/* Unit tests for what `vigil discover` may scan: target specs (addresses, ranges,
 * CIDRs, exclusions, limits, messages naming the bad part), port specs, the
 * top-ports list, the scan-order permutation and the adaptive time-out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/err.h"
#include "inventory/portscan.h"
#include "inventory/target.h"

static struct target_set *
parse(const char *spec, int want_rc, char *err, size_t errsz)
{
	struct target_set *t;
	assert_int_equal(target_set_new(false, &t), VG_OK);
	assert_int_equal(target_add(t, spec, "argument 1", err, errsz), want_rc);
	assert_int_equal(target_finish(t), VG_OK);
	return t;
}

static const char *
host_str(const struct target_set *t, size_t i)
{
	static char buf[64];
	size_t n;
	const struct inv_host *h = target_hosts(t, &n);
	assert_true(i < n);
	return target_addr_str(&h[i].addr, buf, sizeof(buf));
}

static size_t
count(const struct target_set *t)
{
	size_t n;
	target_hosts(t, &n);
	return n;
}

static void
test_cidr_range_and_last_octet_forms_expand(void **state)
{
	(void)state;
	char err[256];
	struct target_set *t = parse("10.0.0.7/30", VG_OK, err, sizeof(err));
	assert_int_equal(count(t), 4);
	assert_string_equal(host_str(t, 0), "10.0.0.4");	/* host bits zeroed */
	assert_string_equal(host_str(t, 3), "10.0.0.7");
	target_set_free(t);
	t = parse("10.0.0.250-10.0.1.2", VG_OK, err, sizeof(err));
	assert_int_equal(count(t), 9);
	assert_string_equal(host_str(t, 8), "10.0.1.2");
	target_set_free(t);
	t = parse("192.168.1.1-3,fd00::1-fd00::3 [fd00::9]", VG_OK, err, sizeof(err));
	assert_int_equal(count(t), 7);
	assert_string_equal(host_str(t, 3), "fd00::1");
	assert_string_equal(host_str(t, 6), "fd00::9");
	target_set_free(t);
	t = parse("fd00::/126", VG_OK, err, sizeof(err));
	assert_int_equal(count(t), 4);
	target_set_free(t);
}

static void
test_malformed_specs_name_the_part(void **state)
{
	(void)state;
	char err[256];
	static const struct { const char *spec, *want; int rc; } cases[] = {
		{ "10.0.0", "not an address, range, CIDR or host name", VG_ERR_PARSE },
		{ "10.0.0.1/33", "prefix length must be 0..32", VG_ERR_PARSE },
		{ "10.0.0.9-3", "range ends before it starts", VG_ERR_PARSE },
		{ "10.0.0.1-fd00::1", "mixes IPv4 and IPv6", VG_ERR_PARSE },
		{ "10.0.0.1-300", "range end is not an address", VG_ERR_PARSE },
		{ "ho$st", "not an address", VG_ERR_PARSE },
		{ "-bad.example", "not an address", VG_ERR_PARSE },
		{ "10.0.0.0/8", "at most 1048576", VG_ERR_LIMIT },
		{ "fd00::/64", "more than 2^32", VG_ERR_LIMIT },
		{ "good.example", "not resolved here", VG_ERR_NOTFOUND },
		{ ",,", "empty target", VG_ERR_PARSE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct target_set *t = parse(cases[i].spec, cases[i].rc, err, sizeof(err));
		if (!strstr(err, cases[i].want) || !strstr(err, "argument 1"))
			fail_msg("'%s': message '%s' lacks '%s'", cases[i].spec, err, cases[i].want);
		target_set_free(t);
	}
}

static void
test_exclusions_and_duplicates(void **state)
{
	(void)state;
	char err[256];
	struct target_set *t;
	assert_int_equal(target_set_new(false, &t), VG_OK);
	assert_int_equal(target_add(t, "10.1.0.0/24", "a", err, sizeof(err)), VG_OK);
	assert_int_equal(target_add(t, "10.1.0.5 10.1.0.5", "b", err, sizeof(err)), VG_OK);
	/* a huge exclusion costs nothing: it stays a range */
	assert_int_equal(target_exclude(t, "10.1.0.0/25,::/0", "x", err, sizeof(err)), VG_OK);
	assert_int_equal(target_exclude(t, "10.1.0.200-10.1.0.255", "x", err, sizeof(err)),
	    VG_OK);
	assert_int_equal(target_finish(t), VG_OK);
	assert_int_equal(count(t), 72);	/* .128 .. .199 */
	assert_string_equal(host_str(t, 0), "10.1.0.128");
	target_set_free(t);
	t = parse("10.2.0.1,10.2.0.1,10.2.0.2,10.2.0.1", VG_OK, err, sizeof(err));
	assert_int_equal(count(t), 2);
	target_set_free(t);
}

static void
test_targets_file_reports_file_and_line(void **state)
{
	(void)state;
	char path[] = "/tmp/vigil-test-targets.XXXXXX", err[256];
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char text[] = "# hosts\n10.3.0.1  # web\n\n10.3.0.2-3\nbad..name\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	struct target_set *t;
	assert_int_equal(target_set_new(false, &t), VG_OK);
	assert_int_equal(target_add_file(t, path, false, err, sizeof(err)), VG_ERR_PARSE);
	assert_non_null(strstr(err, ":5: 'bad..name'"));
	assert_int_equal(target_finish(t), VG_OK);
	assert_int_equal(count(t), 3);
	target_set_free(t);
	unlink(path);
}

static void
test_port_specs(void **state)
{
	(void)state;
	struct port_list p;
	char err[256];
	assert_int_equal(target_parse_ports("443,22,80-82,22", &p, err, sizeof(err)), VG_OK);
	assert_int_equal(p.n, 5);
	assert_int_equal(p.ports[0], 22);
	assert_int_equal(p.ports[4], 443);
	target_ports_free(&p);
	assert_int_equal(target_parse_ports("-", &p, err, sizeof(err)), VG_OK);
	assert_int_equal(p.n, 65535);
	target_ports_free(&p);
	assert_int_equal(target_parse_ports("T:60000-", &p, err, sizeof(err)), VG_OK);
	assert_int_equal(p.n, 5536);
	target_ports_free(&p);
	static const struct { const char *spec, *want; } bad[] = {
		{ "0", "'0' at position 1" }, { "80,70000", "'70000' at position 4" },
		{ "90-80", "ends before it starts" }, { "80,,81", "empty item at position 4" },
		{ "U:53", "only TCP" }, { "8o", "'8o'" }, { "", "empty item" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(target_parse_ports(bad[i].spec, &p, err, sizeof(err)),
		    VG_ERR_PARSE);
		if (!strstr(err, bad[i].want))
			fail_msg("'%s': '%s' lacks '%s'", bad[i].spec, err, bad[i].want);
	}
}

static void
test_shipped_top_ports_list(void **state)
{
	(void)state;
	struct port_list p;
	size_t got;
	char err[256], path[4096];
	snprintf(path, sizeof(path), "%s/rules/inventory/top-ports.txt",
	    getenv("SRCDIR") ? getenv("SRCDIR") : ".");
	assert_int_equal(target_top_ports(path, 3, &p, &got, err, sizeof(err)), VG_OK);
	assert_int_equal(got, 3);
	/* sorted: 22, 80, 443 are the three commonest */
	assert_int_equal(p.ports[0], 22);
	assert_int_equal(p.ports[1], 80);
	assert_int_equal(p.ports[2], 443);
	target_ports_free(&p);
	assert_int_equal(target_top_ports(path, 100000, &p, &got, err, sizeof(err)), VG_OK);
	assert_true(got >= 200 && got == p.n);
	target_ports_free(&p);
}

static void
test_permutation_visits_each_index_once(void **state)
{
	(void)state;
	static const uint64_t sizes[] = { 1, 2, 3, 17, 1000, 262140 };
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t n = sizes[s];
		uint8_t *seen = calloc(n, 1);
		struct perm p;
		uint64_t in_order = 0;
		assert_non_null(seen);
		perm_init(&p, n, 12345 + s);
		for (uint64_t i = 0; i < n; i++) {
			uint64_t v = perm_at(&p, i);
			assert_true(v < n);
			assert_false(seen[v]);
			seen[v] = 1;
			in_order += v == i;
		}
		/* a permutation that leaves most indexes in place hides nothing */
		if (n >= 1000)
			assert_true(in_order < n / 100);
		free(seen);
	}
	/* different seeds, different orders */
	struct perm a, b;
	perm_init(&a, 65536, 1);
	perm_init(&b, 65536, 2);
	int same = 0;
	for (uint64_t i = 0; i < 64; i++)
		same += perm_at(&a, i) == perm_at(&b, i);
	assert_true(same < 8);
}

static void
test_adaptive_timeout(void **state)
{
	(void)state;
	struct portscan_opts o = { .retries = 2 };
	struct rtt_est e = { 0 };
	portscan_defaults(&o);
	assert_int_equal(rtt_timeout(&e, &o, 0), 1000000);	/* nothing known yet */
	assert_int_equal(rtt_timeout(&e, &o, 1), 2000000);
	for (int i = 0; i < 20; i++)
		rtt_update(&e, 200000);	/* a 200 ms path */
	int64_t t = rtt_timeout(&e, &o, 0);
	assert_true(t >= 200000 && t < 400000);
	/* a known RTT: a retry is for a lost packet, the time-out stays */
	assert_int_equal(rtt_timeout(&e, &o, 2), t);
	struct rtt_est fast = { 0 };
	for (int i = 0; i < 20; i++)
		rtt_update(&fast, 80);
	assert_int_equal(rtt_timeout(&fast, &o, 0), o.min_timeout_us);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_range_and_last_octet_forms_expand),
		cmocka_unit_test(test_malformed_specs_name_the_part),
		cmocka_unit_test(test_exclusions_and_duplicates),
		cmocka_unit_test(test_targets_file_reports_file_and_line),
		cmocka_unit_test(test_port_specs),
		cmocka_unit_test(test_shipped_top_ports_list),
		cmocka_unit_test(test_permutation_visits_each_index_once),
		cmocka_unit_test(test_adaptive_timeout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
