/* Unit tests for the YAML config loader: typed values, defaults, and errors that
 * name file:line:column and the dotted key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/err.h"
#include "core/yaml.h"
#include "monitor/decode.h"

/* Loads as vigil's commands do: with the decoder registry's names and check
 * injected (core itself knows no decoder). */
static int
load(const char *yaml, struct vg_config **cfg, char **errors)
{
	char *warnings = NULL;
	const char *formats[32];
	decoder_names(formats, sizeof(formats) / sizeof(formats[0]));
	const struct vg_config_checks checks = { .source_formats = formats,
		.source = decoder_check };
	int r = vg_config_load_string_checked("t.yaml", yaml, strlen(yaml), "/tmp", &checks, cfg,
	    errors, &warnings);
	free(warnings);
	return r;
}

static void
test_defaults_apply_without_file(void **state)
{
	(void)state;
	struct vg_config *cfg = NULL;
	char *errors = NULL;
	assert_int_equal(vg_config_load(NULL, &cfg, &errors, NULL), VG_OK);
	assert_null(errors);
	assert_string_equal(cfg->store.backend, "sqlite");
	assert_string_equal(cfg->store.path, "vigil.db");
	assert_int_equal(cfg->monitor.max_line, 64 * 1024);
	assert_int_equal(cfg->console.port, 8470);
	assert_false(cfg->console.enabled);
	vg_config_free(cfg);
}

static void
test_full_document_is_typed_and_paths_resolved(void **state)
{
	(void)state;
	struct vg_config *cfg = NULL;
	char *errors = NULL;
	const char *yaml =
	    "store: {path: data/v.db}\n"
	    "log: {level: debug, format: json}\n"
	    "monitor:\n"
	    "  max_line: 1M\n"
	    "  sources:\n"
	    "    - {path: /tmp/a.log, format: combined, name: web}\n"
	    "    - path: /tmp/*.log\n"
	    "webroots:\n"
	    "  - {path: /tmp, policy: restore, exclude: [cache/*, up/*]}\n"
	    "console: {enabled: yes, port: 9000}\n";
	assert_int_equal(load(yaml, &cfg, &errors), VG_OK);
	assert_string_equal(cfg->store.path, "/tmp/data/v.db");
	assert_string_equal(cfg->log.level, "debug");
	assert_int_equal(cfg->monitor.max_line, 1 << 20);
	assert_int_equal(cfg->monitor.sources.n, 2);
	assert_string_equal(vg_config_source(cfg, 0)->name, "web");
	assert_string_equal(vg_config_source(cfg, 1)->format, "auto");
	assert_int_equal(cfg->webroots.n, 1);
	assert_string_equal(vg_config_webroot(cfg, 0)->policy, "restore");
	assert_int_equal(vg_config_webroot(cfg, 0)->exclude.n, 2);
	assert_string_equal(vg_config_webroot(cfg, 0)->exclude.items[1], "up/*");
	assert_true(cfg->console.enabled);
	assert_int_equal(cfg->console.port, 9000);
	vg_config_free(cfg);
}

/* Each bad document must fail with this exact location-and-key prefix. */
static void
test_errors_name_line_column_and_key(void **state)
{
	(void)state;
	static const struct {
		const char *yaml;
		const char *expect;
	} cases[] = {
		{ "store:\n  colour: red\n", "t.yaml:2:3: store.colour: unknown key" },
		{ "console:\n  port: 70000\n", "t.yaml:2:9: console.port: 70000 is out of range" },
		{ "console:\n  port: abc\n", "t.yaml:2:9: console.port: expected an integer" },
		{ "monitor:\n  sources:\n    - {format: json}\n",
		  "t.yaml:3:7: monitor.sources[0]: missing required key 'path'" },
		{ "monitor:\n  sources:\n    - {path: /tmp/x.log, format: xml}\n",
		  "t.yaml:3:34: monitor.sources[0].format: unknown value 'xml'" },
		{ "monitor:\n  sources:\n    - {path: /nonexistent-dir/x.log}\n",
		  "t.yaml:3:14: monitor.sources[0].path: directory not found" },
		{ "webroots:\n  - path: /nonexistent-webroot\n",
		  "t.yaml:2:11: webroots[0].path: directory not found" },
		{ "webroots: 3\n", "t.yaml:1:11: webroots: expected a list" },
		{ "webroots:\n  - {path: /tmp, url_prefix: app}\n",
		  "t.yaml: webroots[0].url_prefix: 'app': expected a URL path starting with '/'" },
		{ "monitor:\n  sources: [{name: a, path: /tmp/a.log}]\n"
		  "webroots:\n  - {path: /tmp, access_logs: [a, b]}\n",
		  "t.yaml: webroots[0].access_logs[1]: 'b' is not the name of a monitor.sources entry" },
		{ "log:\n  level: loud\n", "t.yaml:2:10: log.level: unknown value 'loud'" },
		{ "store: {path: a}\nstore: {path: b}\n", "t.yaml:2:1: store: duplicate key" },
		{ "- 1\n", "t.yaml:1:1: expected a mapping" },
		{ "store: [\n", "t.yaml:2:1: YAML syntax error" },
		/* positions count every item, not only the good ones */
		{ "webroots:\n  - path: /tmp\n    exclude: [[1], ok, [2], {a: 1}]\n",
		  "t.yaml:3:24: webroots[0].exclude[2]: expected a string, got a list" },
		{ "webroots:\n  - path: /tmp\n    exclude: [[1], ok, [2], {a: 1}]\n",
		  "t.yaml:3:29: webroots[0].exclude[3]: expected a string, got a mapping" },
		/* libyaml's words become plain ones */
		{ "store:\n\tpath: x\n",
		  "t.yaml:2:1: YAML syntax error: a tab indents this line; YAML indents with "
		  "spaces only" },
		{ "monitor: {syslog: [udp://h:1\n",
		  "YAML syntax error: a '[' list is not closed with ']'" },
		{ "monitor: {max_line: 10}\n", "t.yaml:1:21: monitor.max_line: 10 is out of range" },
		{ "monitor:\n  sources:\n    - {path: /tmp/x.log, format: nginx}\n",
		  "monitor.sources[0]: format nginx needs a log_format" },
		{ "monitor:\n  syslog: [udp://127.0.0.1:514, http://h:1]\n",
		  "t.yaml:2:33: monitor.syslog[1]: 'http://h:1': expected udp://HOST:PORT" },
		{ "monitor:\n  syslog: tcp://0.0.0.0\n",
		  "t.yaml:2:11: monitor.syslog: 'tcp://0.0.0.0': expected HOST:PORT" },
		{ "monitor:\n  syslog: udp://h:99999\n",
		  "t.yaml:2:11: monitor.syslog: 'udp://h:99999': port must be 1..65535" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vg_config *cfg = NULL;
		char *errors = NULL;
		assert_int_equal(load(cases[i].yaml, &cfg, &errors), VG_ERR_CONFIG);
		assert_null(cfg);
		assert_non_null(errors);
		if (!strstr(errors, cases[i].expect))
			fail_msg("case %zu: wanted '%s' in:\n%s", i, cases[i].expect, errors);
		free(errors);
	}
}

/* monitor.syslog takes one address or a list of them. */
static void
test_syslog_listen_accepts_one_address_or_a_list(void **state)
{
	(void)state;
	struct vg_config *cfg = NULL;
	char *errors = NULL;
	assert_int_equal(load("monitor: {syslog: udp://127.0.0.1:5514}\n", &cfg, &errors), VG_OK);
	assert_int_equal(cfg->monitor.syslog.n, 1);
	assert_string_equal(cfg->monitor.syslog.items[0], "udp://127.0.0.1:5514");
	vg_config_free(cfg);
	cfg = NULL;
	assert_int_equal(load("monitor:\n  syslog: [tcp://0.0.0.0:5514, 'udp://[::1]:514']\n",
	    &cfg, &errors), VG_OK);
	assert_int_equal(cfg->monitor.syslog.n, 2);
	assert_string_equal(cfg->monitor.syslog.items[1], "udp://[::1]:514");
	vg_config_free(cfg);
}

static void
test_all_errors_are_reported_at_once(void **state)
{
	(void)state;
	struct vg_config *cfg = NULL;
	char *errors = NULL;
	assert_int_equal(load("store: {x: 1}\nconsole: {y: 2}\n", &cfg, &errors), VG_ERR_CONFIG);
	assert_non_null(strstr(errors, "store.x"));
	assert_non_null(strstr(errors, "console.y"));
	free(errors);
}

static void
test_alias_bomb_is_bounded(void **state)
{
	(void)state;
	/* 1,000 web roots, each aliasing one list of 1,000 exclusions: a 6 KB file
	 * that naive expansion turns into a million strings. */
	static char big[16384];
	int n = snprintf(big, sizeof(big), "e: &e [");
	for (int k = 0; k < 1000; k++)
		n += snprintf(big + n, sizeof(big) - (size_t)n, "%sx", k ? "," : "");
	n += snprintf(big + n, sizeof(big) - (size_t)n, "]\nw: &w {path: /tmp, exclude: *e}\nwebroots: [");
	for (int k = 0; k < 1000; k++)
		n += snprintf(big + n, sizeof(big) - (size_t)n, "%s*w", k ? "," : "");
	snprintf(big + n, sizeof(big) - (size_t)n, "]\n");
	struct vg_config *cfg = NULL;
	char *errors = NULL;
	assert_int_equal(load(big, &cfg, &errors), VG_ERR_CONFIG);
	assert_null(cfg);
	assert_non_null(strstr(errors, "document too large"));
	free(errors);
}

/* 100k nested '[' took libyaml over a minute (quadratic); the depth limit stops it
 * at the first level too many, with a position. */
static void
test_deep_nesting_is_refused_quickly_with_a_position(void **state)
{
	(void)state;
	size_t n = 100000;
	char *yaml = malloc(n + 16);
	assert_non_null(yaml);
	memcpy(yaml, "exclude: ", 9);
	memset(yaml + 9, '[', n);
	yaml[9 + n] = '\0';
	struct vg_config *cfg = NULL;
	char *errors = NULL;
	assert_int_equal(load(yaml, &cfg, &errors), VG_ERR_CONFIG);
	assert_non_null(errors);
	if (!strstr(errors, "t.yaml:1:73: nested deeper than 64 levels"))
		fail_msg("wanted the depth error, got:\n%s", errors);
	free(errors);
	free(yaml);
}

struct key_walk {
	struct vg_yaml *y;
	const yaml_node_t *root;
	const char *text;	/* the file as written, for keys shown commented out */
	char missing[2048];
};

/* Whether "a.b[].c" is present under n (in any item of each list). */
static bool
key_shown(struct vg_yaml *y, const yaml_node_t *n, const char *p)
{
	char part[128];
	size_t len = strcspn(p, ".");

	if (!*p)
		return true;
	if (!n)
		return false;
	snprintf(part, sizeof(part), "%.*s", (int)len, p);
	bool list = len > 2 && strcmp(part + len - 2, "[]") == 0;
	if (list)
		part[len - 2] = '\0';
	const char *rest = p + len + (p[len] == '.');
	n = vg_yaml_map_get(y, n, part);
	if (!n)
		return false;
	if (!list)
		return key_shown(y, n, rest);
	if (n->type != YAML_SEQUENCE_NODE)
		return false;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++)
		if (key_shown(y, vg_yaml_node(y, *it), rest))
			return true;
	return false;
}

static void
check_key_shown(const char *key, void *arg)
{
	struct key_walk *w = arg;
	/* a key that needs a real file to be valid (a TLS certificate) may be shown
	 * commented out: "# tls_cert: PATH" */
	const char *leaf = strrchr(key, '.');
	char commented[160];
	snprintf(commented, sizeof(commented), "# %s:", leaf ? leaf + 1 : key);
	if (!key_shown(w->y, w->root, key) && !strstr(w->text, commented)) {
		size_t used = strlen(w->missing);
		snprintf(w->missing + used, sizeof(w->missing) - used, " %s", key);
	}
}

/* The README promises that examples/vigil.yaml shows every key. */
static void
test_example_config_shows_every_key(void **state)
{
	(void)state;
	const char *src = getenv("SRCDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/examples/vigil.yaml", src ? src : ".");
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	struct vg_yaml y;
	struct vg_yaml_error ye;
	static char text[1 << 16];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	rewind(f);
	assert_int_equal(vg_yaml_load_file(&y, f, 100000, &ye), 0);
	fclose(f);
	struct key_walk w = { .y = &y, .root = vg_yaml_root(&y), .text = text };
	vg_config_each_key(check_key_shown, &w);
	vg_yaml_free(&y);
	if (w.missing[0])
		fail_msg("examples/vigil.yaml lacks:%s", w.missing);
}

static void
test_duration_and_size_units(void **state)
{
	(void)state;
	long long v;
	assert_int_equal(vg_parse_duration("90", &v), VG_OK);
	assert_int_equal(v, 90);
	assert_int_equal(vg_parse_duration("5m", &v), VG_OK);
	assert_int_equal(v, 300);
	assert_int_equal(vg_parse_duration("2h", &v), VG_OK);
	assert_int_equal(v, 7200);
	assert_int_equal(vg_parse_duration("1x", &v), VG_ERR_PARSE);
	assert_int_equal(vg_parse_duration("", &v), VG_ERR_PARSE);
	assert_int_equal(vg_parse_size("64k", &v), VG_OK);
	assert_int_equal(v, 65536);
	assert_int_equal(vg_parse_size("2M", &v), VG_OK);
	assert_int_equal(v, 2 << 20);
	assert_int_equal(vg_parse_size("-1", &v), VG_ERR_PARSE);
}

static void
test_missing_file_is_an_io_error_naming_it(void **state)
{
	(void)state;
	struct vg_config *cfg = NULL;
	char *errors = NULL;
	assert_int_equal(vg_config_load("/nonexistent/vigil.yaml", &cfg, &errors, NULL), VG_ERR_IO);
	assert_non_null(strstr(errors, "/nonexistent/vigil.yaml: cannot open config"));
	free(errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_apply_without_file),
		cmocka_unit_test(test_full_document_is_typed_and_paths_resolved),
		cmocka_unit_test(test_errors_name_line_column_and_key),
		cmocka_unit_test(test_all_errors_are_reported_at_once),
		cmocka_unit_test(test_syslog_listen_accepts_one_address_or_a_list),
		cmocka_unit_test(test_alias_bomb_is_bounded),
		cmocka_unit_test(test_duration_and_size_units),
		cmocka_unit_test(test_deep_nesting_is_refused_quickly_with_a_position),
		cmocka_unit_test(test_example_config_shows_every_key),
		cmocka_unit_test(test_missing_file_is_an_io_error_naming_it),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
