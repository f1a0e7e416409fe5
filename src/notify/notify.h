/* Notifications: a persistent outbox in the store and the channels that drain
 * it (JSON webhook, WeCom, DingTalk, Feishu/Lark, Slack robots, SMTP mail, a
 * local command). Enqueueing is one INSERT, so the daemon's loop never waits on
 * a receiver; a sender (notify_flush, or the worker thread) delivers with
 * retries and back-off, folds floods into digests under per-channel rate
 * limits, and survives restarts. Delivery is at-least-once: every message
 * carries its idempotency key (HTTP header "Idempotency-Key", the webhook body's
 * "idempotency_key", the mail's Message-ID, the command's environment), so a
 * receiver drops the rare repeat after a crash between send and record. */
#ifndef VG_NOTIFY_H
#define VG_NOTIFY_H

#include "core/config.h"
#include "core/log.h"
#include "core/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct notify;

/* Cross-checks notify.* beyond the schema (routes name existing channels, each
 * channel has what its type needs). 0, or VG_ERR_CONFIG with err set. */
int notify_config_check(const struct vg_config *cfg, char *err, size_t err_size);

/* Opens the outbox over st (borrowed, as are cfg and log). Caller closes
 * (accepts NULL). */
int notify_open(struct vg_store *st, const struct vg_config *cfg, const struct vg_logger *log,
    struct notify **out);
void notify_close(struct notify *nt);

/* Routes one message by kind (incident|escalation|notice|test) and severity
 * through notify.routes and queues it once per channel under "<key>@<channel>";
 * a key already queued is skipped (so re-raising an event never sends twice).
 * msg is borrowed (copied into the store). *n (may be NULL) = rows queued. */
int notify_enqueue(struct notify *nt, const char *kind, int severity, const char *key,
    const json_t *msg, size_t *n);
/* Queues directly to one channel, bypassing routes (for `notify test`). */
int notify_enqueue_channel(struct notify *nt, const char *channel, const char *kind,
    int severity, const char *key, const json_t *msg);
/* A cases_notify_fn: arg is a struct notify *. Failures are logged. */
void notify_cases_hook(void *arg, const char *kind, int severity, const char *key,
    const json_t *msg);

struct notify_pass {
	size_t sent;		/* delivered this pass */
	size_t failed;		/* attempts that failed (will retry) */
	size_t digested;	/* messages folded into digests */
	size_t pending;		/* still queued after the pass */
};
/* One pass over the outbox: claims due messages channel by channel, sends them
 * (blocking, each attempt bounded by the channel's timeout) and records the
 * outcome. Meant for a worker thread or a CLI, never the daemon's loop. */
int notify_flush(struct notify *nt, int64_t now_us, struct notify_pass *pass);

/* notify_flush passes until nothing is pending or wait_s seconds passed (a pause of
 * 200 ms when everything due is backing off); *total sums the passes and its pending
 * is what is left. For the CLI, never the daemon's loop. */
int notify_flush_until(struct notify *nt, long long wait_s, struct notify_pass *total);

/* True if notify.channels has one called name. */
bool notify_has_channel(const struct notify *nt, const char *name);
/* Queues a test message for channel, bypassing routes: title text (NULL = "hello from
 * vigil") at severity (enum vg_severity). key (key_size >= 32) gets its idempotency
 * key. VG_ERR_NOTFOUND if there is no such channel. */
int notify_test(struct notify *nt, const char *channel, const char *text, int severity,
    char *key, size_t key_size);

/* New JSON array of outbox rows (newest first; state NULL = all), at most limit
 * (0 = 100); and {"pending":N,"sent":N,"digested":N,"failing":N}. Caller decrefs. */
int notify_outbox_list(struct notify *nt, const char *state, size_t limit, json_t **out);
int notify_outbox_stats(struct notify *nt, json_t **out);

/* Renders msg for a channel: *title (first line) and *text (whole message),
 * both malloc'd for the caller. Uses ch->template_text when set, else the
 * built-in text of kind in ch->language ("en" or "zh"). Pure. */
int notify_render(const struct vg_channel_cfg *ch, const char *kind, const json_t *msg,
    char **title, char **text);
/* Expands "{name}" placeholders from msg's members ("-" when absent) plus the
 * derived severity_zh, state_zh, kind_zh. Caller frees. */
char *notify_expand(const char *tmpl, const json_t *msg);

/* DingTalk's signature of timestamp (ms) with secret: url-encoded base64 of
 * HMAC-SHA256(secret, "<ts>\n<secret>"); Feishu's: base64 of HMAC-SHA256 keyed
 * with "<ts>\n<secret>" over the empty string. out >= 128 bytes. 0 or VG_ERR_*. */
int notify_sign_dingtalk(const char *secret, long long ts_ms, char *out, size_t size);
int notify_sign_feishu(const char *secret, long long ts_s, char *out, size_t size);

/* The sender thread: its own store connection, a pass every notify.interval or
 * as soon as notify_worker_kick is called (cheap, from any thread). cfg and log
 * are borrowed until stop; stop waits for the current attempt to end. */
struct notify_worker;
int notify_worker_start(const struct vg_config *cfg, const struct vg_logger *log,
    struct notify_worker **out);
void notify_worker_kick(struct notify_worker *w);
void notify_worker_stop(struct notify_worker *w);

#endif
