/* Unit tests for IOC lists: file loading with file:line errors, CIDR matching in
 * the prefix trie for IPv4 and IPv6, domain suffix/exact matching, event hits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "monitor/ioc.h"

static const char list[] =
    "# test IOC list\n"
    "203.0.113.7\n"
    "198.51.100.0/24   # a whole network\n"
    "10.0.0.0/8\n"
    "2001:db8:bad::/48\n"
    "2001:db8::99\n"
    "\n"
    "evil.example\n"
    "=exact.example.org\n"
    "Mixed.Case.Example.\n"
    "999.1.1.1\n"
    "10.0.0.0/33\n"
    "not a domain\n"
    "2001:db8::/129\n";

static struct ioc_set *
load_list(char **errors)
{
	char path[] = "/tmp/vigil-ioc.XXXXXX";
	int fd = mkstemp(path);
	struct ioc_set *set = NULL;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(list, f);
	fclose(f);
	assert_int_equal(ioc_set_new(&set), VG_OK);
	assert_int_equal(ioc_load_file(set, path, errors), VG_OK);
	unlink(path);
	return set;
}

static void
test_bad_lines_are_reported_with_file_and_line(void **state)
{
	(void)state;
	char *errors = NULL;
	struct ioc_set *set = load_list(&errors);
	struct ioc_stats st;

	assert_non_null(errors);
	assert_non_null(strstr(errors, ":11: not an IPv4/IPv6 address or CIDR: '999.1.1.1'"));
	assert_non_null(strstr(errors, ":12: prefix length must be 0-32: '10.0.0.0/33'"));
	assert_non_null(strstr(errors, ":13: not an address, CIDR or domain name: 'not a domain'"));
	assert_non_null(strstr(errors, ":14: prefix length must be 0-128"));
	ioc_get_stats(set, &st);
	assert_int_equal(st.prefixes, 5);
	assert_int_equal(st.domains, 3);
	assert_int_equal(st.bad_lines, 4);
	free(errors);
	ioc_set_free(set);

	assert_int_equal(ioc_set_new(&set), VG_OK);
	assert_int_equal(ioc_load_file(set, "/nonexistent/ioc.txt", &errors), VG_ERR_IO);
	assert_non_null(strstr(errors, "/nonexistent/ioc.txt: cannot open"));
	free(errors);
	ioc_set_free(set);
}

static void
test_ip_prefix_trie_matches_v4_and_v6_networks(void **state)
{
	(void)state;
	char *errors = NULL;
	struct ioc_set *set = load_list(&errors);
	unsigned plen = 0;

	free(errors);
	assert_true(ioc_match_ip(set, "203.0.113.7", &plen));
	assert_int_equal(plen, 128);
	assert_false(ioc_match_ip(set, "203.0.113.8", NULL));
	assert_true(ioc_match_ip(set, "198.51.100.255", &plen));
	assert_int_equal(plen, 96 + 24);
	assert_false(ioc_match_ip(set, "198.51.101.0", NULL));
	assert_true(ioc_match_ip(set, "10.200.3.4", NULL));
	assert_false(ioc_match_ip(set, "11.0.0.1", NULL));
	assert_true(ioc_match_ip(set, "2001:db8:bad:1::5", &plen));
	assert_int_equal(plen, 48);
	assert_true(ioc_match_ip(set, "2001:DB8::99", NULL));
	assert_false(ioc_match_ip(set, "2001:db8::98", NULL));
	assert_false(ioc_match_ip(set, "2001:db8:bae::1", NULL));
	/* the IPv4-mapped IPv6 form is the same address */
	assert_true(ioc_match_ip(set, "::ffff:10.1.1.1", NULL));
	assert_false(ioc_match_ip(set, "garbage", NULL));
	assert_false(ioc_match_ip(set, "", NULL));
	ioc_set_free(set);
}

static void
test_domains_match_exactly_or_by_label_suffix(void **state)
{
	(void)state;
	char *errors = NULL;
	struct ioc_set *set = load_list(&errors);
	size_t m = 0;

	free(errors);
	assert_true(ioc_match_domain(set, "evil.example", 12, &m));
	assert_int_equal(m, 12);
	assert_true(ioc_match_domain(set, "cdn.a.EVIL.example.", 19, &m));
	assert_int_equal(m, 12);
	assert_false(ioc_match_domain(set, "notevil.example", 15, NULL));
	assert_false(ioc_match_domain(set, "example", 7, NULL));
	assert_true(ioc_match_domain(set, "exact.example.org", 17, NULL));
	assert_false(ioc_match_domain(set, "www.exact.example.org", 21, NULL));
	assert_true(ioc_match_domain(set, "mixed.case.example", 18, NULL));
	ioc_set_free(set);
}

struct hits {
	int n;
	char ids[4][32];
	char text[4][64];
};

static int
on_hit(const struct rule_hit *h, void *arg)
{
	struct hits *c = arg;
	if (c->n < 4) {
		snprintf(c->ids[c->n], sizeof(c->ids[0]), "%s/%s", h->rule->id, h->rule->category);
		snprintf(c->text[c->n], sizeof(c->text[0]), "%.*s", (int)h->text_len, h->text);
	}
	c->n++;
	return 0;
}

static void
test_event_hits_are_ioc_rules(void **state)
{
	(void)state;
	char *errors = NULL;
	struct ioc_set *set = load_list(&errors);
	struct vg_event ev;
	struct hits h = { 0 };

	free(errors);
	vg_event_init(&ev);
	snprintf(ev.src_ip, sizeof(ev.src_ip), "198.51.100.20");
	ev.http.url = "/go?next=https://user@c2.evil.example:8443/x";
	assert_int_equal(ioc_match_event(set, &ev, on_hit, &h), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.ids[0], "ioc.ip/ioc");
	assert_string_equal(h.text[0], "198.51.100.20");
	assert_string_equal(h.ids[1], "ioc.domain/ioc");
	assert_string_equal(h.text[1], "c2.evil.example");

	memset(&h, 0, sizeof(h));
	vg_event_init(&ev);
	snprintf(ev.src_ip, sizeof(ev.src_ip), "192.0.2.1");
	ev.http.url = "/search?q=evil.example";	/* a word, not a host after :// */
	ev.http.referer = "https://www.example.com/";
	assert_int_equal(ioc_match_event(set, &ev, on_hit, &h), 0);
	assert_int_equal(h.n, 0);
	ioc_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_lines_are_reported_with_file_and_line),
		cmocka_unit_test(test_ip_prefix_trie_matches_v4_and_v6_networks),
		cmocka_unit_test(test_domains_match_exactly_or_by_label_suffix),
		cmocka_unit_test(test_event_hits_are_ioc_rules),
	};
	return cmocka_run_group_tests_name("ioc", tests, NULL, NULL);
}
