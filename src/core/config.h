/* vigil.yaml: parsed with libyaml into typed structs. Every section is described by
 * a schema table in config.c, so adding a key is adding a row; errors name
 * file:line:column and the dotted key, e.g. "vigil.yaml:14:5: monitor.sources[2].path: ...". */
#ifndef VG_CONFIG_H
#define VG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* Generic array filled by the schema walker; use the typed accessors below. */
struct vg_cfg_array {
	void *items;
	size_t n;
};

struct vg_cfg_strlist {
	char **items;
	size_t n;
};

/* monitor.sources[] */
struct vg_source_cfg {
	char *name;		/* label used in events; defaults to path */
	char *path;		/* file or glob; resolved against the config's directory */
	char *format;		/* auto|combined|nginx|apache|sshd|syslog|json */
	char *log_format;	/* nginx log_format string, for format: nginx */
};

/* webroots[].policies[]: a per-path override of the web root's policy */
struct vg_webroot_policy_cfg {
	char *path;		/* glob against the path relative to the web root */
	char *policy;		/* alert|restore|quarantine */
};

/* webroots[] */
struct vg_webroot_cfg {
	char *name;
	char *path;
	char *policy;		/* alert|restore|quarantine */
	struct vg_cfg_strlist exclude;
	struct vg_cfg_array policies;	/* of struct vg_webroot_policy_cfg; first match wins */
	char *url_prefix;	/* URL path the root is served at ("/"): webshell.accessed */
	struct vg_cfg_strlist access_logs;	/* monitor.sources names with its requests;
						   empty = every log */
};

/* sitewatch.sites[]: a website watched from outside */
struct vg_site_cfg {
	char *url;
	char *name;		/* for alerts; default the URL's host */
	long long expect_status;	/* 0 = the baseline's status */
	char *ca_file;		/* PEM of the CA that signs it (a private CA); NULL = system */
};

/* block.triggers[]: which alerts block their source address */
struct vg_block_trigger_cfg {
	char *rule;		/* glob on the rule id; NULL = any */
	char *category;		/* glob on the category; NULL = any */
	char *severity;		/* minimum severity; NULL = any */
	long long after;	/* events the alert must have aggregated (>= 1) */
	long long duration;	/* seconds; 0 = the escalation steps of block.durations */
};

/* notify.channels[] */
struct vg_channel_cfg {
	char *name;
	char *type;		/* webhook|wecom|dingtalk|feishu|slack|smtp|command */
	char *url;		/* robot/webhook URL, or smtp://host:port for smtp */
	char *secret;		/* dingtalk/feishu signing secret; NULL = unsigned */
	char *language;		/* en|zh */
	char *template_text;	/* "{title}" style template; NULL = built-in */
	long long rate;		/* messages per minute; 0 = unlimited */
	bool digest;		/* fold a flood beyond the rate into one message */
	long long timeout;	/* seconds per delivery attempt */
	char *mail_from;
	struct vg_cfg_strlist mail_to;
	char *username;
	char *password;
	struct vg_cfg_strlist command;	/* argv, run without a shell */
};

/* notify.routes[]: which messages go to which channels */
struct vg_route_cfg {
	char *min_severity;		/* info..critical */
	struct vg_cfg_strlist kinds;	/* incident|escalation|notice|test; empty = all */
	struct vg_cfg_strlist channels;
	bool to_duty;			/* address the person on duty (mail to, robot @) */
};

/* sla.<severity>: clocks in seconds; 0 = no clock */
struct vg_sla_cfg {
	long long ack;
	long long dispose;
};

struct vg_config {
	char *file;		/* config path, or NULL when defaults only */
	char *base_dir;		/* relative paths are resolved against this */
	struct {
		char *backend;	/* sqlite (postgresql later) */
		char *path;
	} store;
	struct {
		char *level;
		char *format;
	} log;
	struct {
		struct vg_cfg_array sources;	/* of struct vg_source_cfg */
		long long max_line;		/* bytes; longer lines are truncated and flagged */
		char *rules;			/* rules directory */
		char *rules_cache;		/* compiled-rules cache directory; NULL = none */
		struct vg_cfg_strlist ioc_files;
		struct vg_cfg_strlist syslog;	/* receivers: "udp://HOST:PORT", "tcp://HOST:PORT" */
	} monitor;
	struct vg_cfg_array webroots;	/* of struct vg_webroot_cfg */
	struct {
		char *backup_dir;
		char *quarantine_dir;
		long long debounce_ms;		/* quiet time before acting on a written file */
		long long scan_interval;	/* seconds between scans of unwatched parts */
	} protect;
	struct {		/* refused in files until the web console exists */
		bool enabled;
		char *listen;
		long long port;		/* 0 = any free port (tests) */
		char *tls_cert;		/* PEM; HTTPS when both cert and key are set */
		char *tls_key;
		long long session_idle;	/* seconds of inactivity that end a session */
	} console;
	struct {
		bool enabled;			/* watch blocks on triggers */
		bool dry_run;			/* record what would be done, touch nothing */
		struct vg_cfg_strlist adapters;	/* nftables|command|webhook|nginx; [] = nftables */
		struct vg_cfg_strlist allowlist;	/* CIDRs that are never blocked */
		struct vg_cfg_strlist durations;	/* escalation steps; [] = 10m, 1h, 24h */
		long long repeat_window;	/* seconds: earlier blocks this recent escalate */
		long long max_per_minute;	/* automatic blocks per minute */
		long long max_total;		/* active blocks at once (also the nft set size) */
		struct vg_cfg_array triggers;	/* of struct vg_block_trigger_cfg */
		char *nft_table;		/* inet table vigil owns */
		char *action;			/* drop|reject: what the nftables rules do */
		struct vg_cfg_strlist command_add;	/* argv; "{}" becomes the target */
		struct vg_cfg_strlist command_del;
		char *webhook_url;		/* POSTed JSON {"action","target","timeout"} */
		char *nginx_deny_file;		/* "deny ADDR;" lines, rewritten atomically */
		struct vg_cfg_strlist nginx_reload;	/* argv run after each rewrite */
	} block;
	struct {
		struct vg_cfg_strlist group_by;	/* source_ip, sensor, family, rule */
		long long window;		/* seconds an incident keeps absorbing alerts */
		long long suppress_expiry;	/* default life of a false-positive suppression */
	} cases;
	struct vg_sla_cfg sla[5];		/* indexed by enum vg_severity (0 info .. 4 critical) */
	struct {
		struct vg_cfg_array sites;	/* of struct vg_site_cfg */
		long long interval;		/* seconds between checks of a site */
		long long timeout;		/* seconds a check may take */
		long long slow_ms;		/* a response slower than this is an alert */
		long long tls_warn;		/* seconds before certificate expiry to warn */
		char *keywords;			/* spam-link keyword list; NULL = shipped */
	} sitewatch;
	struct {
		struct vg_cfg_array channels;	/* of struct vg_channel_cfg */
		struct vg_cfg_array routes;	/* of struct vg_route_cfg */
		long long interval;		/* seconds between outbox passes */
		long long max_backoff;		/* seconds; retries back off up to this */
	} notify;
};

/* What loading cannot check by itself, because core includes no stage: names and
 * checks of the stages' plug-ins, injected by the caller (cmd/ passes the
 * decoder registry's). A NULL struct or member skips that check. */
struct vg_config_checks {
	/* Accepted monitor.sources[].format values, NULL-terminated. */
	const char *const *source_formats;
	/* Checks one source's format with its log_format; on failure returns
	 * non-zero with a one-line reason in why. */
	int (*source)(const char *format, const char *log_format, char *why, size_t why_size);
};

static inline struct vg_site_cfg *
vg_config_site(const struct vg_config *cfg, size_t i)
{
	return &((struct vg_site_cfg *)cfg->sitewatch.sites.items)[i];
}

static inline struct vg_block_trigger_cfg *
vg_config_block_trigger(const struct vg_config *cfg, size_t i)
{
	return &((struct vg_block_trigger_cfg *)cfg->block.triggers.items)[i];
}

/* Loads path, or only defaults when path is NULL. On success *out is set and the
 * caller frees it with vg_config_free(); *warnings (may be NULL on return) holds
 * newline-separated warnings the caller frees. On failure returns VG_ERR_CONFIG or
 * VG_ERR_IO, *out stays NULL and *errors holds one "file:line:col: key: message"
 * per line, which the caller frees. */
int vg_config_load(const char *path, struct vg_config **out, char **errors, char **warnings);

/* Same as vg_config_load on an in-memory document; name is used in messages
 * and base_dir for relative paths (NULL = current directory). */
int vg_config_load_string(const char *name, const char *text, size_t len, const char *base_dir,
    struct vg_config **out, char **errors, char **warnings);

/* The same two with the stages' checks (checks may be NULL). */
int vg_config_load_checked(const char *path, const struct vg_config_checks *checks,
    struct vg_config **out, char **errors, char **warnings);
int vg_config_load_string_checked(const char *name, const char *text, size_t len,
    const char *base_dir, const struct vg_config_checks *checks, struct vg_config **out,
    char **errors, char **warnings);

/* Accepts NULL. */
void vg_config_free(struct vg_config *cfg);

/* Calls fn with every leaf key of the schema, dotted, "[]" marking a list of
 * mappings: "store.path", "webroots[].policies[].path". For docs and tests. */
void vg_config_each_key(void (*fn)(const char *key, void *arg), void *arg);

static inline struct vg_source_cfg *
vg_config_source(const struct vg_config *cfg, size_t i)
{
	return &((struct vg_source_cfg *)cfg->monitor.sources.items)[i];
}

static inline struct vg_webroot_cfg *
vg_config_webroot(const struct vg_config *cfg, size_t i)
{
	return &((struct vg_webroot_cfg *)cfg->webroots.items)[i];
}

static inline struct vg_channel_cfg *
vg_config_channel(const struct vg_config *cfg, size_t i)
{
	return &((struct vg_channel_cfg *)cfg->notify.channels.items)[i];
}

static inline struct vg_route_cfg *
vg_config_route(const struct vg_config *cfg, size_t i)
{
	return &((struct vg_route_cfg *)cfg->notify.routes.items)[i];
}

/* Parses "30s", "5m", "2h", "1d" or plain seconds. 0 or VG_ERR_PARSE. */
int vg_parse_duration(const char *s, long long *seconds);
/* Parses "512", "64k", "1M", "2G" (binary units). 0 or VG_ERR_PARSE. */
int vg_parse_size(const char *s, long long *bytes);

#endif
