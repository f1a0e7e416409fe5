/* The channel registry and what several channels share. */
#include "notify/channel.h"

#include <string.h>

static const struct notify_channel_ops *const channels[] = {
	&notify_channel_webhook, &notify_channel_wecom, &notify_channel_dingtalk,
	&notify_channel_feishu, &notify_channel_slack, &notify_channel_smtp,
	&notify_channel_command, NULL,
};

const struct notify_channel_ops *
notify_channel_find(const char *type)
{
	for (size_t i = 0; type && channels[i]; i++)
		if (strcmp(channels[i]->type, type) == 0)
			return channels[i];
	return NULL;
}

json_t *
notify_webhook_body(const struct notify_delivery *d)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:O}", "idempotency_key", d->key, "kind",
	    d->kind, "title", d->title, "text", d->text, "contact", d->contact, "data", d->msg);
}
