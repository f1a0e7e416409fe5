/* Config loader. libyaml builds a document tree (which keeps line/column marks);
 * a schema table per section maps keys to struct offsets, so the walker, the
 * defaults and the free routine are generic and a new key is one table row.
 * All errors are collected, not just the first, so one run shows every mistake. */
#include "core/config.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/yaml.h"

#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_MAX_BYTES (1 << 20)
#define CONFIG_MAX_NODES 100000	/* guards alias expansion ("billion laughs"), see core/yaml.h */
#define DIAG_MAX (64 << 10)

enum cfg_type {
	CFG_STR,
	CFG_ENUM,	/* string restricted to choices */
	CFG_PATH,	/* string, resolved against base_dir */
	CFG_INT,
	CFG_SIZE,	/* "64k" */
	CFG_DURATION,	/* "5m" */
	CFG_BOOL,
	CFG_STRLIST,
	CFG_PATHLIST,
	CFG_MAP,	/* nested schema, in place */
	CFG_SEQ,	/* sequence of maps, into struct vg_cfg_array */
};

/* What must exist at a CFG_PATH once resolved. */
enum cfg_check {
	CHECK_NONE,
	CHECK_DIR,		/* an existing directory */
	CHECK_FILE,		/* an existing file */
	CHECK_LOG_SOURCE,	/* file or glob whose directory exists; a missing file only warns */
	CHECK_PARENT_DIR,	/* file that may not exist yet, in a directory that may be created */
	CHECK_LISTEN_ADDR,	/* udp://HOST:PORT or tcp://HOST:PORT ([v6] in brackets) */
	CHECK_SOURCE_FORMAT,	/* CFG_ENUM whose choices the caller injects (decoder names) */
};

struct cfg_schema;

struct cfg_field {
	const char *key;
	enum cfg_type type;
	size_t offset;
	const struct cfg_schema *sub;	/* CFG_MAP, CFG_SEQ */
	const char *def;		/* default, parsed as if it came from the file */
	const char *const *choices;	/* CFG_ENUM, NULL-terminated */
	long long min, max;		/* numeric types */
	enum cfg_check check;
	bool required;
};

struct cfg_schema {
	const struct cfg_field *fields;
	size_t n_fields;
	size_t elem_size;		/* for CFG_SEQ items */
};

#define FIELDS(arr) arr, sizeof(arr) / sizeof(arr[0])

static const char *const webroot_policies[] = { "alert", "restore", "quarantine", NULL };
static const char *const store_backends[] = { "sqlite", NULL };
static const char *const block_actions[] = { "drop", "reject", NULL };
static const char *const log_levels[] = { "error", "warn", "info", "debug", NULL };
static const char *const log_formats[] = { "text", "json", NULL };

static const struct cfg_field source_fields[] = {
	{ .key = "path", .type = CFG_PATH, .offset = offsetof(struct vg_source_cfg, path),
	  .required = true, .check = CHECK_LOG_SOURCE },
	{ .key = "name", .type = CFG_STR, .offset = offsetof(struct vg_source_cfg, name) },
	{ .key = "format", .type = CFG_ENUM, .offset = offsetof(struct vg_source_cfg, format),
	  .check = CHECK_SOURCE_FORMAT, .def = "auto" },
	{ .key = "log_format", .type = CFG_STR,
	  .offset = offsetof(struct vg_source_cfg, log_format) },
};
static const struct cfg_schema source_schema = { FIELDS(source_fields),
	sizeof(struct vg_source_cfg) };

static const struct cfg_field webroot_policy_fields[] = {
	{ .key = "path", .type = CFG_STR, .offset = offsetof(struct vg_webroot_policy_cfg, path),
	  .required = true },
	{ .key = "policy", .type = CFG_ENUM,
	  .offset = offsetof(struct vg_webroot_policy_cfg, policy), .choices = webroot_policies,
	  .required = true },
};
static const struct cfg_schema webroot_policy_schema = { FIELDS(webroot_policy_fields),
	sizeof(struct vg_webroot_policy_cfg) };

static const struct cfg_field webroot_fields[] = {
	{ .key = "path", .type = CFG_PATH, .offset = offsetof(struct vg_webroot_cfg, path),
	  .required = true, .check = CHECK_DIR },
	{ .key = "name", .type = CFG_STR, .offset = offsetof(struct vg_webroot_cfg, name) },
	{ .key = "policy", .type = CFG_ENUM, .offset = offsetof(struct vg_webroot_cfg, policy),
	  .choices = webroot_policies, .def = "alert" },
	{ .key = "exclude", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_webroot_cfg, exclude) },
	{ .key = "policies", .type = CFG_SEQ, .offset = offsetof(struct vg_webroot_cfg, policies),
	  .sub = &webroot_policy_schema },
	{ .key = "url_prefix", .type = CFG_STR, .offset = offsetof(struct vg_webroot_cfg, url_prefix),
	  .def = "/" },
	{ .key = "access_logs", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_webroot_cfg, access_logs) },
};
static const struct cfg_schema webroot_schema = { FIELDS(webroot_fields),
	sizeof(struct vg_webroot_cfg) };

static const struct cfg_field store_fields[] = {
	{ .key = "backend", .type = CFG_ENUM, .offset = offsetof(struct vg_config, store.backend),
	  .choices = store_backends, .def = "sqlite" },
	{ .key = "path", .type = CFG_PATH, .offset = offsetof(struct vg_config, store.path),
	  .def = "vigil.db", .check = CHECK_PARENT_DIR },
};
static const struct cfg_schema store_schema = { FIELDS(store_fields), 0 };

static const struct cfg_field log_fields[] = {
	{ .key = "level", .type = CFG_ENUM, .offset = offsetof(struct vg_config, log.level),
	  .choices = log_levels, .def = "warn" },
	{ .key = "format", .type = CFG_ENUM, .offset = offsetof(struct vg_config, log.format),
	  .choices = log_formats, .def = "text" },
};
static const struct cfg_schema log_schema = { FIELDS(log_fields), 0 };

static const struct cfg_field monitor_fields[] = {
	{ .key = "sources", .type = CFG_SEQ, .offset = offsetof(struct vg_config, monitor.sources),
	  .sub = &source_schema },
	{ .key = "max_line", .type = CFG_SIZE, .offset = offsetof(struct vg_config, monitor.max_line),
	  .def = "64k", .min = 256, .max = 64 << 20 },
	{ .key = "rules", .type = CFG_PATH, .offset = offsetof(struct vg_config, monitor.rules) },
	{ .key = "rules_cache", .type = CFG_PATH,
	  .offset = offsetof(struct vg_config, monitor.rules_cache) },
	{ .key = "syslog", .type = CFG_STRLIST, .offset = offsetof(struct vg_config, monitor.syslog),
	  .check = CHECK_LISTEN_ADDR },
	{ .key = "ioc_files", .type = CFG_PATHLIST,
	  .offset = offsetof(struct vg_config, monitor.ioc_files), .check = CHECK_FILE },
};
static const struct cfg_schema monitor_schema = { FIELDS(monitor_fields), 0 };

static const struct cfg_field protect_fields[] = {
	{ .key = "backup_dir", .type = CFG_PATH,
	  .offset = offsetof(struct vg_config, protect.backup_dir), .def = "vigil-backup",
	  .check = CHECK_PARENT_DIR },
	{ .key = "quarantine_dir", .type = CFG_PATH,
	  .offset = offsetof(struct vg_config, protect.quarantine_dir), .def = "vigil-quarantine",
	  .check = CHECK_PARENT_DIR },
	{ .key = "debounce_ms", .type = CFG_INT,
	  .offset = offsetof(struct vg_config, protect.debounce_ms), .def = "20", .min = 0,
	  .max = 10000 },
	{ .key = "scan_interval", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_config, protect.scan_interval), .def = "60s", .min = 1,
	  .max = 86400 },
};
static const struct cfg_schema protect_schema = { FIELDS(protect_fields), 0 };

static const struct cfg_field console_fields[] = {
	{ .key = "enabled", .type = CFG_BOOL, .offset = offsetof(struct vg_config, console.enabled),
	  .def = "false" },
	{ .key = "listen", .type = CFG_STR, .offset = offsetof(struct vg_config, console.listen),
	  .def = "127.0.0.1" },
	{ .key = "port", .type = CFG_INT, .offset = offsetof(struct vg_config, console.port),
	  .def = "8470", .min = 0, .max = 65535 },
	{ .key = "tls_cert", .type = CFG_PATH, .offset = offsetof(struct vg_config, console.tls_cert),
	  .check = CHECK_FILE },
	{ .key = "tls_key", .type = CFG_PATH, .offset = offsetof(struct vg_config, console.tls_key),
	  .check = CHECK_FILE },
	{ .key = "session_idle", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_config, console.session_idle), .def = "30m", .min = 60,
	  .max = 7 * 86400 },
};
static const struct cfg_schema console_schema = { FIELDS(console_fields), 0 };

static const char *const severities[] = { "info", "low", "medium", "high", "critical", NULL };

static const struct cfg_field block_trigger_fields[] = {
	{ .key = "rule", .type = CFG_STR, .offset = offsetof(struct vg_block_trigger_cfg, rule) },
	{ .key = "category", .type = CFG_STR,
	  .offset = offsetof(struct vg_block_trigger_cfg, category) },
	{ .key = "severity", .type = CFG_ENUM,
	  .offset = offsetof(struct vg_block_trigger_cfg, severity), .choices = severities },
	{ .key = "after", .type = CFG_INT, .offset = offsetof(struct vg_block_trigger_cfg, after),
	  .def = "1", .min = 1, .max = 1000000 },
	{ .key = "duration", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_block_trigger_cfg, duration), .def = "0", .min = 0,
	  .max = 365 * 86400 },
};
static const struct cfg_schema block_trigger_schema = { FIELDS(block_trigger_fields),
	sizeof(struct vg_block_trigger_cfg) };

static const struct cfg_field block_fields[] = {
	{ .key = "enabled", .type = CFG_BOOL, .offset = offsetof(struct vg_config, block.enabled),
	  .def = "false" },
	{ .key = "dry_run", .type = CFG_BOOL, .offset = offsetof(struct vg_config, block.dry_run),
	  .def = "false" },
	{ .key = "adapters", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_config, block.adapters) },
	{ .key = "allowlist", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_config, block.allowlist) },
	{ .key = "durations", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_config, block.durations) },
	{ .key = "repeat_window", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_config, block.repeat_window), .def = "7d", .min = 0,
	  .max = 365 * 86400 },
	{ .key = "max_per_minute", .type = CFG_INT,
	  .offset = offsetof(struct vg_config, block.max_per_minute), .def = "600", .min = 1,
	  .max = 10000000 },
	{ .key = "max_total", .type = CFG_INT,
	  .offset = offsetof(struct vg_config, block.max_total), .def = "200000", .min = 1,
	  .max = 16000000 },
	{ .key = "triggers", .type = CFG_SEQ, .offset = offsetof(struct vg_config, block.triggers),
	  .sub = &block_trigger_schema },
	{ .key = "nft_table", .type = CFG_STR,
	  .offset = offsetof(struct vg_config, block.nft_table), .def = "vigil" },
	{ .key = "action", .type = CFG_ENUM, .offset = offsetof(struct vg_config, block.action),
	  .choices = block_actions, .def = "drop" },
	{ .key = "command_add", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_config, block.command_add) },
	{ .key = "command_del", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_config, block.command_del) },
	{ .key = "webhook_url", .type = CFG_STR,
	  .offset = offsetof(struct vg_config, block.webhook_url) },
	{ .key = "nginx_deny_file", .type = CFG_PATH,
	  .offset = offsetof(struct vg_config, block.nginx_deny_file), .check = CHECK_PARENT_DIR },
	{ .key = "nginx_reload", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_config, block.nginx_reload) },
};
static const struct cfg_schema block_schema = { FIELDS(block_fields), 0 };
static const char *const group_keys[] = { "source_ip", "sensor", "family", "rule", NULL };
static const char *const channel_types[] = { "webhook", "wecom", "dingtalk", "feishu", "slack",
	"smtp", "command", NULL };
static const char *const languages[] = { "en", "zh", NULL };
static const char *const message_kinds[] = { "incident", "escalation", "notice", "test", NULL };

static const struct cfg_field cases_fields[] = {
	{ .key = "group_by", .type = CFG_STRLIST, .offset = offsetof(struct vg_config, cases.group_by),
	  .choices = group_keys },
	{ .key = "window", .type = CFG_DURATION, .offset = offsetof(struct vg_config, cases.window),
	  .def = "30m", .min = 1, .max = 30 * 86400 },
	{ .key = "suppress_expiry", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_config, cases.suppress_expiry), .def = "7d", .min = 60,
	  .max = 366 * 86400 },
};
static const struct cfg_schema cases_schema = { FIELDS(cases_fields), 0 };

#define SLA_FIELDS(sev, idx, d_ack, d_dispose)                                                           \
	static const struct cfg_field sla_##sev##_fields[] = {                                  \
		{ .key = "ack", .type = CFG_DURATION,                                           \
		  .offset = offsetof(struct vg_config, sla[idx].ack), .def = d_ack,            \
		  .min = 0, .max = 30 * 86400 },                                                \
		{ .key = "dispose", .type = CFG_DURATION,                                       \
		  .offset = offsetof(struct vg_config, sla[idx].dispose), .def = d_dispose, \
		  .min = 0, .max = 30 * 86400 },                                                \
	};                                                                                      \
	static const struct cfg_schema sla_##sev##_schema = { FIELDS(sla_##sev##_fields), 0 }
SLA_FIELDS(CRITICAL, 4, "5m", "30m");
SLA_FIELDS(HIGH, 3, "15m", "2h");
SLA_FIELDS(MEDIUM, 2, "1h", "8h");
SLA_FIELDS(LOW, 1, "4h", "1d");
SLA_FIELDS(INFO, 0, "0", "0");

static const struct cfg_field sla_fields[] = {
	{ .key = "critical", .type = CFG_MAP, .sub = &sla_CRITICAL_schema },
	{ .key = "high", .type = CFG_MAP, .sub = &sla_HIGH_schema },
	{ .key = "medium", .type = CFG_MAP, .sub = &sla_MEDIUM_schema },
	{ .key = "low", .type = CFG_MAP, .sub = &sla_LOW_schema },
	{ .key = "info", .type = CFG_MAP, .sub = &sla_INFO_schema },
};
static const struct cfg_schema sla_schema = { FIELDS(sla_fields), 0 };

static const struct cfg_field channel_fields[] = {
	{ .key = "name", .type = CFG_STR, .offset = offsetof(struct vg_channel_cfg, name),
	  .required = true },
	{ .key = "type", .type = CFG_ENUM, .offset = offsetof(struct vg_channel_cfg, type),
	  .choices = channel_types, .required = true },
	{ .key = "url", .type = CFG_STR, .offset = offsetof(struct vg_channel_cfg, url) },
	{ .key = "secret", .type = CFG_STR, .offset = offsetof(struct vg_channel_cfg, secret) },
	{ .key = "language", .type = CFG_ENUM, .offset = offsetof(struct vg_channel_cfg, language),
	  .choices = languages, .def = "en" },
	{ .key = "template", .type = CFG_STR,
	  .offset = offsetof(struct vg_channel_cfg, template_text) },
	{ .key = "rate", .type = CFG_INT, .offset = offsetof(struct vg_channel_cfg, rate),
	  .def = "20", .min = 0, .max = 100000 },
	{ .key = "digest", .type = CFG_BOOL, .offset = offsetof(struct vg_channel_cfg, digest),
	  .def = "true" },
	{ .key = "timeout", .type = CFG_DURATION, .offset = offsetof(struct vg_channel_cfg, timeout),
	  .def = "10s", .min = 1, .max = 300 },
	{ .key = "mail_from", .type = CFG_STR,
	  .offset = offsetof(struct vg_channel_cfg, mail_from) },
	{ .key = "mail_to", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_channel_cfg, mail_to) },
	{ .key = "username", .type = CFG_STR, .offset = offsetof(struct vg_channel_cfg, username) },
	{ .key = "password", .type = CFG_STR, .offset = offsetof(struct vg_channel_cfg, password) },
	{ .key = "command", .type = CFG_STRLIST,
	  .offset = offsetof(struct vg_channel_cfg, command) },
};
static const struct cfg_schema channel_schema = { FIELDS(channel_fields),
	sizeof(struct vg_channel_cfg) };

static const struct cfg_field route_fields[] = {
	{ .key = "min_severity", .type = CFG_ENUM,
	  .offset = offsetof(struct vg_route_cfg, min_severity), .choices = severities,
	  .def = "info" },
	{ .key = "kinds", .type = CFG_STRLIST, .offset = offsetof(struct vg_route_cfg, kinds),
	  .choices = message_kinds },
	{ .key = "channels", .type = CFG_STRLIST, .offset = offsetof(struct vg_route_cfg, channels),
	  .required = true },
	{ .key = "to_duty", .type = CFG_BOOL, .offset = offsetof(struct vg_route_cfg, to_duty),
	  .def = "false" },
};
static const struct cfg_schema route_schema = { FIELDS(route_fields),
	sizeof(struct vg_route_cfg) };

static const struct cfg_field notify_fields[] = {
	{ .key = "channels", .type = CFG_SEQ, .offset = offsetof(struct vg_config, notify.channels),
	  .sub = &channel_schema },
	{ .key = "routes", .type = CFG_SEQ, .offset = offsetof(struct vg_config, notify.routes),
	  .sub = &route_schema },
	{ .key = "interval", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_config, notify.interval), .def = "2s", .min = 1,
	  .max = 3600 },
	{ .key = "max_backoff", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_config, notify.max_backoff), .def = "10m", .min = 1,
	  .max = 86400 },
};
static const struct cfg_schema notify_schema = { FIELDS(notify_fields), 0 };

static const struct cfg_field site_fields[] = {
	{ .key = "url", .type = CFG_STR, .offset = offsetof(struct vg_site_cfg, url),
	  .required = true },
	{ .key = "name", .type = CFG_STR, .offset = offsetof(struct vg_site_cfg, name) },
	{ .key = "expect_status", .type = CFG_INT,
	  .offset = offsetof(struct vg_site_cfg, expect_status), .def = "0", .min = 0, .max = 599 },
	{ .key = "ca_file", .type = CFG_PATH, .offset = offsetof(struct vg_site_cfg, ca_file),
	  .check = CHECK_FILE },
};
static const struct cfg_schema site_schema = { FIELDS(site_fields), sizeof(struct vg_site_cfg) };

static const struct cfg_field sitewatch_fields[] = {
	{ .key = "sites", .type = CFG_SEQ, .offset = offsetof(struct vg_config, sitewatch.sites),
	  .sub = &site_schema },
	{ .key = "interval", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_config, sitewatch.interval), .def = "5m", .min = 10,
	  .max = 86400 },
	{ .key = "timeout", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_config, sitewatch.timeout), .def = "15s", .min = 1,
	  .max = 300 },
	{ .key = "slow_ms", .type = CFG_INT, .offset = offsetof(struct vg_config, sitewatch.slow_ms),
	  .def = "5000", .min = 1, .max = 600000 },
	{ .key = "tls_warn", .type = CFG_DURATION,
	  .offset = offsetof(struct vg_config, sitewatch.tls_warn), .def = "14d", .min = 0,
	  .max = 366 * 86400 },
	{ .key = "keywords", .type = CFG_PATH,
	  .offset = offsetof(struct vg_config, sitewatch.keywords), .check = CHECK_FILE },
};
static const struct cfg_schema sitewatch_schema = { FIELDS(sitewatch_fields), 0 };

static const struct cfg_field top_fields[] = {
	{ .key = "store", .type = CFG_MAP, .sub = &store_schema },
	{ .key = "log", .type = CFG_MAP, .sub = &log_schema },
	{ .key = "monitor", .type = CFG_MAP, .sub = &monitor_schema },
	{ .key = "webroots", .type = CFG_SEQ, .offset = offsetof(struct vg_config, webroots),
	  .sub = &webroot_schema },
	{ .key = "protect", .type = CFG_MAP, .sub = &protect_schema },
	{ .key = "console", .type = CFG_MAP, .sub = &console_schema },
	{ .key = "block", .type = CFG_MAP, .sub = &block_schema },
	{ .key = "cases", .type = CFG_MAP, .sub = &cases_schema },
	{ .key = "sla", .type = CFG_MAP, .sub = &sla_schema },
	{ .key = "notify", .type = CFG_MAP, .sub = &notify_schema },
	{ .key = "sitewatch", .type = CFG_MAP, .sub = &sitewatch_schema },
};
static const struct cfg_schema top_schema = { FIELDS(top_fields), sizeof(struct vg_config) };

/* Parsing state for one load. */
struct loader {
	const char *name;	/* file name for messages */
	const char *base_dir;
	const struct vg_config_checks *checks;	/* may be NULL */
	yaml_document_t *doc;
	struct vg_buf *errors;
	struct vg_buf *warnings;
	size_t n_errors;
	bool nomem;
};

static void __attribute__((format(printf, 5, 6)))
diag(struct loader *ld, bool is_error, const yaml_node_t *node, const char *key,
    const char *fmt, ...)
{
	struct vg_buf *b = is_error ? ld->errors : ld->warnings;
	va_list ap;

	if (is_error)
		ld->n_errors++;
	if (node)
		vg_buf_putf(b, "%s:%zu:%zu: ", ld->name, (size_t)node->start_mark.line + 1,
		    (size_t)node->start_mark.column + 1);
	else
		vg_buf_putf(b, "%s: ", ld->name);
	if (key && *key)
		vg_buf_putf(b, "%s: ", key);
	va_start(ap, fmt);
	vg_buf_vputf(b, fmt, ap);
	va_end(ap);
	vg_buf_puts(b, "\n");
}

#define error_at(ld, node, key, ...) diag(ld, true, node, key, __VA_ARGS__)
#define warn_at(ld, node, key, ...) diag(ld, false, node, key, __VA_ARGS__)

static int
parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "True", "Yes", "On", "TRUE" };
	static const char *const no[] = { "false", "no", "off", "False", "No", "Off", "FALSE" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return VG_OK;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return VG_OK;
		}
	}
	return VG_ERR_PARSE;
}

/* Splits "123k" into number and unit multiplier from table; VG_ERR_PARSE if unknown. */
static int
parse_with_unit(const char *s, const char *units, const long long *mult, long long *out)
{
	char num[32];
	size_t n = strlen(s);
	long long m = 1, v;

	if (n == 0 || n >= sizeof(num))
		return VG_ERR_PARSE;
	memcpy(num, s, n + 1);
	const char *u = strchr(units, num[n - 1]);
	if (u && num[n - 1] != '\0') {
		m = mult[u - units];
		num[n - 1] = '\0';
	}
	if (vg_parse_ll(num, 0, INT64_MAX / m, &v) != VG_OK)
		return VG_ERR_PARSE;
	*out = v * m;
	return VG_OK;
}

int
vg_parse_duration(const char *s, long long *seconds)
{
	static const long long mult[] = { 1, 60, 3600, 86400 };
	return parse_with_unit(s, "smhd", mult, seconds);
}

int
vg_parse_size(const char *s, long long *bytes)
{
	static const long long mult[] = { 1024, 1024, 1 << 20, 1 << 20, 1 << 30, 1 << 30 };
	return parse_with_unit(s, "kKmMgG", mult, bytes);
}

/* Resolves a relative path against base_dir; caller frees. */
static char *
resolve_path(const char *base_dir, const char *p)
{
	if (p[0] == '/' || !base_dir || !*base_dir || strcmp(base_dir, ".") == 0)
		return strdup(p);
	struct vg_buf *b = vg_buf_new(PATH_MAX * 2);
	char *out = NULL;
	if (b && vg_buf_putf(b, "%s/%s", base_dir, p) == VG_OK)
		out = vg_buf_steal(b);
	vg_buf_free(b);
	return out;
}

static bool
is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void
check_path(struct loader *ld, const yaml_node_t *node, const char *key, const char *path,
    enum cfg_check check)
{
	struct stat st;
	char *copy, *dir;

	switch (check) {
	case CHECK_NONE:
	case CHECK_LISTEN_ADDR:	/* not a path: see check_listen_addr */
	case CHECK_SOURCE_FORMAT:	/* not a path: see field_choices */
		return;
	case CHECK_DIR:
		if (stat(path, &st) != 0)
			error_at(ld, node, key, "directory not found: %s", path);
		else if (!S_ISDIR(st.st_mode))
			error_at(ld, node, key, "not a directory: %s", path);
		return;
	case CHECK_FILE:
		if (stat(path, &st) != 0)
			error_at(ld, node, key, "file not found: %s", path);
		else if (S_ISDIR(st.st_mode))
			error_at(ld, node, key, "is a directory, expected a file: %s", path);
		return;
	case CHECK_LOG_SOURCE:
	case CHECK_PARENT_DIR:
		copy = strdup(path);
		if (!copy) {
			ld->nomem = true;
			return;
		}
		dir = dirname(copy);
		if (check == CHECK_LOG_SOURCE && strpbrk(dir, "*?[")) {
			error_at(ld, node, key, "wildcards are allowed in the file name only: %s",
			    path);
		} else if (check == CHECK_LOG_SOURCE && !is_dir(dir)) {
			error_at(ld, node, key, "directory not found: %s", dir);
		} else if (check == CHECK_LOG_SOURCE && !strpbrk(path, "*?[")) {
			if (stat(path, &st) != 0)
				warn_at(ld, node, key, "file not found yet (read when it appears): %s",
				    path);
			else if (S_ISDIR(st.st_mode))
				error_at(ld, node, key, "is a directory, expected a log file: %s",
				    path);
		}
		free(copy);
		return;
	}
}

static bool walk_map(struct loader *ld, const yaml_node_t *node, const struct cfg_schema *sch,
    void *base, const char *prefix);

static char *
dup_scalar(struct loader *ld, const char *s)
{
	char *p = strdup(s);
	if (!p)
		ld->nomem = true;
	return p;
}

/* A listen address as the monitor's receivers take it. Only the shape is checked
 * here (core depends on nothing); binding happens when the receiver starts. */
static void
check_listen_addr(struct loader *ld, const yaml_node_t *node, const char *key, const char *v)
{
	const char *rest, *colon;
	long long port;

	if (strncmp(v, "udp://", 6) != 0 && strncmp(v, "tcp://", 6) != 0) {
		error_at(ld, node, key, "'%s': expected udp://HOST:PORT or tcp://HOST:PORT", v);
		return;
	}
	rest = v + 6;
	colon = strrchr(rest, ':');
	if (!colon || colon == rest || (rest[0] == '[' && colon[-1] != ']')) {
		error_at(ld, node, key, "'%s': expected HOST:PORT after the scheme", v);
		return;
	}
	if (vg_parse_ll(colon + 1, 1, 65535, &port) != VG_OK)
		error_at(ld, node, key, "'%s': port must be 1..65535", v);
}

static void
check_item(struct loader *ld, const yaml_node_t *node, const char *key, const char *v,
    const struct cfg_field *f)
{
	if (f->choices) {
		bool ok = false;
		for (const char *const *c = f->choices; *c; c++)
			ok = ok || strcmp(*c, v) == 0;
		if (!ok)
			error_at(ld, node, key, "unknown value '%s'", v);
	}
	if (f->check == CHECK_LISTEN_ADDR)
		check_listen_addr(ld, node, key, v);
	else if (f->type == CFG_PATHLIST)
		check_path(ld, node, key, v, f->check);
}

/* Stores a list of strings from a sequence (or a single scalar, for convenience). */
static void
set_strlist(struct loader *ld, const yaml_node_t *node, const struct cfg_field *f, void *base,
    const char *key)
{
	struct vg_cfg_strlist *list = (struct vg_cfg_strlist *)((char *)base + f->offset);
	yaml_node_item_t *it;
	size_t n;

	if (node->type == YAML_SCALAR_NODE) {
		char *v = f->type == CFG_PATHLIST ? resolve_path(ld->base_dir, vg_yaml_scalar(node))
						  : dup_scalar(ld, vg_yaml_scalar(node));
		list->items = calloc(1, sizeof(char *));
		if (!v || !list->items) {
			free(v);
			ld->nomem = true;
			return;
		}
		check_item(ld, node, key, v, f);
		list->items[list->n++] = v;
		return;
	}
	if (node->type != YAML_SEQUENCE_NODE) {
		error_at(ld, node, key, "expected a list of strings, got %s", vg_yaml_kind(node));
		return;
	}
	n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	list->items = calloc(n ? n : 1, sizeof(char *));
	if (!list->items) {
		ld->nomem = true;
		return;
	}
	for (it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
		yaml_node_t *child = yaml_document_get_node(ld->doc, *it);
		char ckey[256];
		/* the item's position in the file's list, not among the good ones */
		size_t idx = (size_t)(it - node->data.sequence.items.start);
		if (snprintf(ckey, sizeof(ckey), "%s[%zu]", key, idx) >= (int)sizeof(ckey))
			ckey[sizeof(ckey) - 1] = '\0';	/* a cut key name is still useful */
		if (!child || child->type != YAML_SCALAR_NODE) {
			error_at(ld, child ? child : node, ckey, "expected a string, got %s",
			    child ? vg_yaml_kind(child) : "nothing");
			continue;
		}
		char *v = f->type == CFG_PATHLIST ? resolve_path(ld->base_dir, vg_yaml_scalar(child))
						  : dup_scalar(ld, vg_yaml_scalar(child));
		if (!v) {
			ld->nomem = true;
			return;
		}
		check_item(ld, child, ckey, v, f);
		list->items[list->n++] = v;
	}
}

/* Allowed values of a CFG_ENUM field; NULL = not checked (choices the caller
 * was asked for but did not inject). */
static const char *const *
field_choices(const struct loader *ld, const struct cfg_field *f)
{
	if (f->type != CFG_ENUM)
		return NULL;
	if (f->check == CHECK_SOURCE_FORMAT)
		return ld->checks ? ld->checks->source_formats : NULL;
	return f->choices;
}

static bool
in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* Parses one scalar into its typed slot; node NULL means the value is a default. */
static void
set_scalar(struct loader *ld, const yaml_node_t *node, const char *text,
    const struct cfg_field *f, void *base, const char *key)
{
	void *slot = (char *)base + f->offset;
	long long v = 0;
	int r = VG_OK;

	switch (f->type) {
	case CFG_STR:
	case CFG_ENUM:
	case CFG_PATH: {
		char **dst = slot;
		const char *const *choices = field_choices(ld, f);
		if (choices) {
			bool ok = false;
			for (const char *const *c = choices; *c; c++)
				ok = ok || strcmp(*c, text) == 0;
			if (!ok) {
				struct vg_buf *b = vg_buf_new(1024);
				for (const char *const *c = choices; b && *c; c++)
					vg_buf_putf(b, "%s%s", c == choices ? "" : ", ", *c);
				error_at(ld, node, key, "unknown value '%s' (expected one of: %s)",
				    text, b ? vg_buf_ptr(b) : "?");
				vg_buf_free(b);
				return;
			}
		}
		free(*dst);
		*dst = f->type == CFG_PATH ? resolve_path(ld->base_dir, text) : dup_scalar(ld, text);
		if (!*dst)
			ld->nomem = true;
		else if (f->type == CFG_PATH && node)
			check_path(ld, node, key, *dst, f->check);
		return;
	}
	case CFG_BOOL: {
		bool b;
		if (parse_bool(text, &b) != VG_OK)
			error_at(ld, node, key, "expected true or false, got '%s'", text);
		else
			*(bool *)slot = b;
		return;
	}
	case CFG_INT:
		r = vg_parse_ll(text, INT64_MIN, INT64_MAX, &v);
		if (r != VG_OK) {
			error_at(ld, node, key, "expected an integer, got '%s'", text);
			return;
		}
		break;
	case CFG_SIZE:
		if (vg_parse_size(text, &v) != VG_OK) {
			error_at(ld, node, key, "expected a size such as 4096, 64k or 1M, got '%s'",
			    text);
			return;
		}
		break;
	case CFG_DURATION:
		if (vg_parse_duration(text, &v) != VG_OK) {
			error_at(ld, node, key, "expected a duration such as 30s, 5m, 2h, got '%s'",
			    text);
			return;
		}
		break;
	default:
		return;
	}
	if ((f->min || f->max) && (v < f->min || v > f->max)) {
		error_at(ld, node, key, "%lld is out of range [%lld, %lld]", v, f->min, f->max);
		return;
	}
	*(long long *)slot = v;
}

/* Applies schema defaults (recursing into nested maps). */
static void
apply_defaults(struct loader *ld, const struct cfg_schema *sch, void *base, const char *prefix)
{
	for (size_t i = 0; i < sch->n_fields; i++) {
		const struct cfg_field *f = &sch->fields[i];
		if (f->type == CFG_MAP)
			apply_defaults(ld, f->sub, base, prefix);
		else if (f->def)
			set_scalar(ld, NULL, f->def, f, base, f->key);
	}
}

static void
walk_seq(struct loader *ld, const yaml_node_t *node, const struct cfg_field *f, void *base,
    const char *key)
{
	struct vg_cfg_array *arr = (struct vg_cfg_array *)((char *)base + f->offset);
	size_t n;

	if (node->type != YAML_SEQUENCE_NODE) {
		error_at(ld, node, key, "expected a list, got %s", vg_yaml_kind(node));
		return;
	}
	n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	arr->items = calloc(n ? n : 1, f->sub->elem_size);
	if (!arr->items) {
		ld->nomem = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *child = yaml_document_get_node(ld->doc, node->data.sequence.items.start[i]);
		void *elem = (char *)arr->items + arr->n * f->sub->elem_size;
		char ckey[256];
		if (snprintf(ckey, sizeof(ckey), "%s[%zu]", key, i) >= (int)sizeof(ckey))
			ckey[sizeof(ckey) - 1] = '\0';
		arr->n++;	/* counted before filling so free() sees partial items */
		apply_defaults(ld, f->sub, elem, ckey);
		if (child)
			walk_map(ld, child, f->sub, elem, ckey);
	}
}

static bool
walk_map(struct loader *ld, const yaml_node_t *node, const struct cfg_schema *sch, void *base,
    const char *prefix)
{
	yaml_node_pair_t *p;
	bool seen[64] = { false };

	if (node->type != YAML_MAPPING_NODE) {
		if (node->type == YAML_SCALAR_NODE && vg_yaml_scalar(node)[0] == '\0' && !*prefix)
			return true;	/* empty document */
		error_at(ld, node, prefix, "expected a mapping, got %s", vg_yaml_kind(node));
		return false;
	}
	for (p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(ld->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(ld->doc, p->value);
		const struct cfg_field *f = NULL;
		char key[256];
		size_t fi;

		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			error_at(ld, k, prefix, "keys must be strings");
			continue;
		}
		snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "." : "", vg_yaml_scalar(k));
		for (fi = 0; fi < sch->n_fields; fi++) {
			if (strcmp(sch->fields[fi].key, vg_yaml_scalar(k)) == 0) {
				f = &sch->fields[fi];
				break;
			}
		}
		if (!f) {
			struct vg_buf *b = vg_buf_new(1024);
			for (size_t i = 0; b && i < sch->n_fields; i++)
				vg_buf_putf(b, "%s%s", i ? ", " : "", sch->fields[i].key);
			error_at(ld, k, key, "unknown key (known here: %s)", b ? vg_buf_ptr(b) : "?");
			vg_buf_free(b);
			continue;
		}
		if (fi < 64 && seen[fi]) {
			error_at(ld, k, key, "duplicate key");
			continue;
		}
		if (fi < 64)
			seen[fi] = true;
		switch (f->type) {
		case CFG_MAP:
			walk_map(ld, v, f->sub, base, key);
			break;
		case CFG_SEQ:
			walk_seq(ld, v, f, base, key);
			break;
		case CFG_STRLIST:
		case CFG_PATHLIST:
			set_strlist(ld, v, f, base, key);
			break;
		default:
			if (v->type != YAML_SCALAR_NODE)
				error_at(ld, v, key, "expected a single value, got %s", vg_yaml_kind(v));
			else
				set_scalar(ld, v, vg_yaml_scalar(v), f, base, key);
		}
	}
	for (size_t i = 0; i < sch->n_fields; i++) {
		if (sch->fields[i].required && !(i < 64 && seen[i]))
			error_at(ld, node, prefix, "missing required key '%s'", sch->fields[i].key);
	}
	return true;
}

static void
free_fields(const struct cfg_schema *sch, void *base)
{
	for (size_t i = 0; i < sch->n_fields; i++) {
		const struct cfg_field *f = &sch->fields[i];
		void *slot = (char *)base + f->offset;
		switch (f->type) {
		case CFG_STR:
		case CFG_ENUM:
		case CFG_PATH:
			free(*(char **)slot);
			break;
		case CFG_STRLIST:
		case CFG_PATHLIST: {
			struct vg_cfg_strlist *l = slot;
			for (size_t j = 0; j < l->n; j++)
				free(l->items[j]);
			free(l->items);
			break;
		}
		case CFG_MAP:
			free_fields(f->sub, base);
			break;
		case CFG_SEQ: {
			struct vg_cfg_array *a = slot;
			for (size_t j = 0; j < a->n; j++)
				free_fields(f->sub, (char *)a->items + j * f->sub->elem_size);
			free(a->items);
			break;
		}
		default:
			break;
		}
	}
}

void
vg_config_free(struct vg_config *cfg)
{
	if (!cfg)
		return;
	free_fields(&top_schema, cfg);
	free(cfg->file);
	free(cfg->base_dir);
	free(cfg);
}

/* A web root's url_prefix is a URL path; its access_logs name monitor.sources. */
static void
validate_webroots(struct loader *ld, struct vg_config *cfg)
{
	char key[96];

	for (size_t i = 0; i < cfg->webroots.n; i++) {
		const struct vg_webroot_cfg *w = vg_config_webroot(cfg, i);
		if (w->url_prefix && w->url_prefix[0] != '/') {
			snprintf(key, sizeof(key), "webroots[%zu].url_prefix", i);
			error_at(ld, NULL, key, "'%s': expected a URL path starting with '/'",
			    w->url_prefix);
		}
		for (size_t k = 0; k < w->access_logs.n; k++) {
			bool found = false;
			for (size_t j = 0; j < cfg->monitor.sources.n && !found; j++) {
				const struct vg_source_cfg *s = vg_config_source(cfg, j);
				found = s->name && strcmp(s->name, w->access_logs.items[k]) == 0;
			}
			if (!found) {
				snprintf(key, sizeof(key), "webroots[%zu].access_logs[%zu]", i, k);
				error_at(ld, NULL, key, "'%s' is not the name of a monitor.sources entry",
				    w->access_logs.items[k]);
			}
		}
	}
}

/* Cross-field rules that a table row cannot express: each source's format with
 * its log_format, checked by the injected decoder check (core knows no decoder). */
static void
validate(struct loader *ld, struct vg_config *cfg)
{
	const struct vg_config_checks *c = ld->checks;

	validate_webroots(ld, cfg);
	if (!c || !c->source)
		return;
	for (size_t i = 0; i < cfg->monitor.sources.n; i++) {
		struct vg_source_cfg *s = vg_config_source(cfg, i);
		char key[64], why[256] = "";
		if (!s->format || (c->source_formats && !in_list(c->source_formats, s->format)))
			continue;	/* already reported where the format was read */
		if (c->source(s->format, s->log_format, why, sizeof(why)) != VG_OK) {
			snprintf(key, sizeof(key), "monitor.sources[%zu]", i);
			error_at(ld, NULL, key, "%s", why[0] ? why : "invalid source");
		}
	}
}

static char *
take_text(struct vg_buf *b)
{
	if (!b || vg_buf_len(b) == 0)
		return NULL;
	return vg_buf_steal(b);
}

int
vg_config_load_string(const char *name, const char *text, size_t len, const char *base_dir,
    struct vg_config **out, char **errors, char **warnings)
{
	return vg_config_load_string_checked(name, text, len, base_dir, NULL, out, errors,
	    warnings);
}

int
vg_config_load_string_checked(const char *name, const char *text, size_t len,
    const char *base_dir, const struct vg_config_checks *checks, struct vg_config **out,
    char **errors, char **warnings)
{
	struct loader ld = { .name = name, .base_dir = base_dir, .checks = checks };
	struct vg_config *cfg = NULL;
	struct vg_yaml y = { .loaded = false };
	struct vg_yaml_error ye;
	int ret = VG_ERR_CONFIG, r;

	*out = NULL;
	*errors = NULL;
	if (warnings)
		*warnings = NULL;
	ld.errors = vg_buf_new(DIAG_MAX);
	ld.warnings = vg_buf_new(DIAG_MAX);
	cfg = calloc(1, sizeof(*cfg));
	if (!ld.errors || !ld.warnings || !cfg) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	cfg->base_dir = strdup(base_dir ? base_dir : ".");
	if (!cfg->base_dir) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	apply_defaults(&ld, &top_schema, cfg, "");

	if (text) {
		r = vg_yaml_load(&y, text, len, CONFIG_MAX_NODES, &ye);
		if (r == VG_ERR_NOMEM) {
			ret = r;
			goto out;
		}
		if (r != VG_OK && ye.too_large) {
			vg_buf_putf(ld.errors, "%s:%zu:%zu: %s\n", name, ye.line, ye.column,
			    ye.problem);
			ld.n_errors++;
			goto out;
		}
		if (r != VG_OK) {
			vg_buf_putf(ld.errors, "%s:%zu:%zu: YAML syntax error: %s\n", name,
			    ye.line, ye.column, ye.problem);
			ld.n_errors++;
			goto out;
		}
		ld.doc = &y.doc;
		yaml_node_t *root = vg_yaml_root(&y);
		if (root)
			walk_map(&ld, root, &top_schema, cfg, "");
	}
	validate(&ld, cfg);
	if (ld.nomem) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	if (ld.n_errors == 0) {
		*out = cfg;
		cfg = NULL;
		ret = VG_OK;
	}
out:
	vg_yaml_free(&y);
	if (ret == VG_ERR_NOMEM && ld.errors)
		vg_buf_puts(ld.errors, "out of memory while loading configuration\n");
	if (ret != VG_OK)
		*errors = take_text(ld.errors);
	if (warnings)
		*warnings = take_text(ld.warnings);
	vg_buf_free(ld.errors);
	vg_buf_free(ld.warnings);
	vg_config_free(cfg);
	return ret;
}

int
vg_config_load(const char *path, struct vg_config **out, char **errors, char **warnings)
{
	return vg_config_load_checked(path, NULL, out, errors, warnings);
}

int
vg_config_load_checked(const char *path, const struct vg_config_checks *checks,
    struct vg_config **out, char **errors, char **warnings)
{
	struct vg_buf *text = NULL;
	char *dir_copy = NULL;
	FILE *f = NULL;
	int ret;

	*out = NULL;
	*errors = NULL;
	if (warnings)
		*warnings = NULL;
	if (!path)
		return vg_config_load_string_checked("(defaults)", NULL, 0, NULL, checks, out, errors,
		    warnings);

	struct vg_buf *msg = vg_buf_new(PATH_MAX + 256);
	text = vg_buf_new(CONFIG_MAX_BYTES);
	if (!msg || !text) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	struct stat st;
	f = fopen(path, "r");
	if (!f || fstat(fileno(f), &st) != 0) {
		vg_buf_putf(msg, "%s: cannot open config: %s\n", path, strerror(errno));
		ret = VG_ERR_IO;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		vg_buf_putf(msg, "%s: config is not a regular file\n", path);
		ret = VG_ERR_CONFIG;
		goto out;
	}
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (vg_buf_put(text, chunk, n) != VG_OK) {
			vg_buf_putf(msg, "%s: config larger than %d bytes\n", path, CONFIG_MAX_BYTES);
			ret = VG_ERR_CONFIG;
			goto out;
		}
	}
	if (ferror(f)) {
		vg_buf_putf(msg, "%s: read error: %s\n", path, strerror(errno));
		ret = VG_ERR_IO;
		goto out;
	}
	dir_copy = strdup(path);
	if (!dir_copy) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	ret = vg_config_load_string_checked(path, vg_buf_ptr(text), vg_buf_len(text),
	    dirname(dir_copy), checks, out, errors, warnings);
	if (ret == VG_OK && !((*out)->file = strdup(path))) {
		vg_config_free(*out);
		*out = NULL;
		ret = VG_ERR_NOMEM;
	}
out:
	if (ret != VG_OK && !*errors && msg)
		*errors = take_text(msg);
	if (f)
		fclose(f);
	free(dir_copy);
	vg_buf_free(text);
	vg_buf_free(msg);
	return ret;
}

static void
each_key(const struct cfg_schema *sc, const char *prefix,
    void (*fn)(const char *key, void *arg), void *arg)
{
	for (size_t i = 0; i < sc->n_fields; i++) {
		const struct cfg_field *f = &sc->fields[i];
		char key[256];
		snprintf(key, sizeof(key), "%s%s%s%s", prefix, *prefix ? "." : "", f->key,
		    f->type == CFG_SEQ ? "[]" : "");
		if (f->sub)
			each_key(f->sub, key, fn, arg);
		else
			fn(key, arg);
	}
}

void
vg_config_each_key(void (*fn)(const char *key, void *arg), void *arg)
{
	each_key(&top_schema, "", fn, arg);
}
