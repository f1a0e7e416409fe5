/* Private to notify/: the channel table. Adding a channel is adding a file with
 * one struct notify_channel_ops and a row in channel.c. */
#ifndef VG_NOTIFY_CHANNEL_H
#define VG_NOTIFY_CHANNEL_H

#include "notify/notify.h"

#include <stdbool.h>

/* One delivery attempt; every member is borrowed for the call. */
struct notify_delivery {
	const struct vg_channel_cfg *ch;
	const char *key;		/* idempotency key */
	const char *kind;
	const char *title, *text;	/* rendered */
	const json_t *msg;
	const char *contact;		/* person on duty's contact, or NULL */
};

struct notify_channel_ops {
	const char *type;
	/* Required config beyond the schema, checked by notify_config_check. */
	bool needs_url, needs_command, needs_mail;
	/* Delivers d; *conn is a per-channel slot the sender keeps between calls
	 * (a curl handle for keep-alive); free_conn releases it. 0 when the
	 * receiver accepted, else VG_ERR_IO with err saying why. */
	int (*send)(void **conn, const struct notify_delivery *d, char *err, size_t err_size);
	void (*free_conn)(void *conn);
};

const struct notify_channel_ops *notify_channel_find(const char *type);

/* The JSON body of the generic webhook (and the command's stdin): a new object. */
json_t *notify_webhook_body(const struct notify_delivery *d);

extern const struct notify_channel_ops notify_channel_webhook, notify_channel_wecom,
    notify_channel_dingtalk, notify_channel_feishu, notify_channel_slack, notify_channel_smtp,
    notify_channel_command;

#endif
