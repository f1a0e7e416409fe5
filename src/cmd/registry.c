/* The subcommand table: adding a command is adding a file and a row here. */
#include "cmd/cmd.h"

extern const struct cmd_ops cmd_alerts;
extern const struct cmd_ops cmd_check_config;
extern const struct cmd_ops cmd_decode;
extern const struct cmd_ops cmd_demo;
extern const struct cmd_ops cmd_rules;
extern const struct cmd_ops cmd_store;
extern const struct cmd_ops cmd_status;
extern const struct cmd_ops cmd_scan_log;
extern const struct cmd_ops cmd_watch;
extern const struct cmd_ops cmd_scan;
extern const struct cmd_ops cmd_quarantine;
extern const struct cmd_ops cmd_backup;
extern const struct cmd_ops cmd_fim;
extern const struct cmd_ops cmd_publish;
extern const struct cmd_ops cmd_tail;
extern const struct cmd_ops cmd_block;
extern const struct cmd_ops cmd_serve;
extern const struct cmd_ops cmd_user;
extern const struct cmd_ops cmd_incident;
extern const struct cmd_ops cmd_notice;
extern const struct cmd_ops cmd_duty;
extern const struct cmd_ops cmd_notify;
extern const struct cmd_ops cmd_assess;
extern const struct cmd_ops cmd_feed;
extern const struct cmd_ops cmd_assets;
extern const struct cmd_ops cmd_discover;
extern const struct cmd_ops cmd_report;

const struct cmd_ops *const cmd_registry[] = {
	&cmd_demo,
	&cmd_watch,
	&cmd_serve,
	&cmd_user,
	&cmd_scan_log,
	&cmd_status,
	&cmd_alerts,
	&cmd_decode,
	&cmd_rules,
	&cmd_tail,
	&cmd_backup,
	&cmd_fim,
	&cmd_publish,
	&cmd_scan,
	&cmd_quarantine,
	&cmd_block,
	&cmd_incident,
	&cmd_notice,
	&cmd_duty,
	&cmd_notify,
	&cmd_assess,
	&cmd_feed,
	&cmd_assets,
	&cmd_discover,
	&cmd_report,
	&cmd_check_config,
	&cmd_store,
	NULL,
};
