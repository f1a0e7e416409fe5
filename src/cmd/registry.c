/* The subcommand table: adding a command is adding a file and a row here. */
#include "cmd/cmd.h"

extern const struct cmd_ops cmd_check_config;
extern const struct cmd_ops cmd_decode;
extern const struct cmd_ops cmd_demo;
extern const struct cmd_ops cmd_store;
extern const struct cmd_ops cmd_tail;

const struct cmd_ops *const cmd_registry[] = {
	&cmd_demo,
	&cmd_check_config,
	&cmd_store,
	&cmd_decode,
	&cmd_tail,
	NULL,
};
