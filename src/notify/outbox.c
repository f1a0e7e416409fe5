/* The outbox: routing into it, and the sender pass that drains it. A row is
 * claimed with a lease (next_at pushed past the attempt's timeout) before it is
 * sent, marked sent after, and otherwise retried with exponential back-off up
 * to notify.max_backoff, forever: a receiver that is down delays messages but
 * never loses them. Past a channel's rate, a flood is folded into one digest. */
#include "notify/channel.h"
#include "notify/sql_outbox.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DUE_BATCH 256
#define ROUTE_MAX_CHANNELS 32
#define DIGEST_TITLES 10

struct notify {
	struct vg_store *st;
	const struct vg_config *cfg;
	const struct vg_logger *log;
	void **conns;	/* per channel index: the channel's kept connection */
};

int
notify_config_check(const struct vg_config *cfg, char *err, size_t err_size)
{
	size_t nch = cfg->notify.channels.n;

	for (size_t i = 0; i < nch; i++) {
		const struct vg_channel_cfg *ch = vg_config_channel(cfg, i);
		const struct notify_channel_ops *ops = notify_channel_find(ch->type);
		for (size_t j = 0; j < i; j++)
			if (strcmp(vg_config_channel(cfg, j)->name, ch->name) == 0)
				goto dup;
		if (!ops || (ops->needs_url && !ch->url) ||
		    (ops->needs_command && ch->command.n == 0) ||
		    (ops->needs_mail && (!ch->mail_from || ch->mail_to.n == 0))) {
			snprintf(err, err_size,
			    "notify.channels[%zu] (%s): a %s channel needs %s", i, ch->name, ch->type,
			    ops && ops->needs_command ? "command" :
			    ops && ops->needs_mail ? "url (smtp://host:port), mail_from and mail_to" :
						     "url");
			return VG_ERR_CONFIG;
		}
		continue;
dup:
		snprintf(err, err_size, "notify.channels[%zu]: channel name '%s' is used twice", i,
		    ch->name);
		return VG_ERR_CONFIG;
	}
	for (size_t i = 0; i < cfg->notify.routes.n; i++) {
		const struct vg_route_cfg *r = vg_config_route(cfg, i);
		for (size_t k = 0; k < r->channels.n; k++) {
			bool found = false;
			for (size_t j = 0; j < nch; j++)
				found = found ||
				    strcmp(vg_config_channel(cfg, j)->name, r->channels.items[k]) == 0;
			if (!found) {
				snprintf(err, err_size, "notify.routes[%zu].channels[%zu]: no channel "
				    "named '%s'", i, k, r->channels.items[k]);
				return VG_ERR_CONFIG;
			}
		}
	}
	return VG_OK;
}

int
notify_open(struct vg_store *st, const struct vg_config *cfg, const struct vg_logger *log,
    struct notify **out)
{
	struct notify *nt = calloc(1, sizeof(*nt));

	*out = NULL;
	if (!nt)
		return VG_ERR_NOMEM;
	nt->conns = calloc(cfg->notify.channels.n + 1, sizeof(void *));
	if (!nt->conns) {
		free(nt);
		return VG_ERR_NOMEM;
	}
	nt->st = st;
	nt->cfg = cfg;
	nt->log = log;
	*out = nt;
	return VG_OK;
}

void
notify_close(struct notify *nt)
{
	if (!nt)
		return;
	for (size_t i = 0; i < nt->cfg->notify.channels.n; i++) {
		const struct notify_channel_ops *ops =
		    notify_channel_find(vg_config_channel(nt->cfg, i)->type);
		if (nt->conns[i] && ops && ops->free_conn)
			ops->free_conn(nt->conns[i]);
	}
	free(nt->conns);
	free(nt);
}

static int
queue_row(struct notify *nt, const char *channel, const char *kind, int severity,
    const char *key, const char *recipient, const char *payload, int64_t now, int64_t *changes)
{
	char ikey[512];

	if (snprintf(ikey, sizeof(ikey), "%s@%s", key, channel) >= (int)sizeof(ikey))
		return VG_ERR_LIMIT;
	struct store_val b[] = { SV_TEXT(channel), SV_TEXT(ikey), SV_TEXT(kind), SV_INT(severity),
		SV_TEXT(recipient), SV_TEXT(payload), SV_INT(now), SV_INT(now) };
	return store_exec(nt->st, SQL_OUT_ADD, b, 8, NULL, changes);
}

int
notify_enqueue(struct notify *nt, const char *kind, int severity, const char *key,
    const json_t *msg, size_t *n)
{
	const char *done[ROUTE_MAX_CHANNELS];
	size_t ndone = 0, queued = 0;
	char *payload = json_dumps(msg, JSON_COMPACT);
	const char *contact = json_string_value(json_object_get(msg, "contact"));
	int r = VG_OK;

	if (n)
		*n = 0;
	if (!payload)
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < nt->cfg->notify.routes.n && r == VG_OK; i++) {
		const struct vg_route_cfg *rt = vg_config_route(nt->cfg, i);
		enum vg_severity min = VG_SEV_INFO;
		bool kind_ok = rt->kinds.n == 0;
		vg_severity_parse(rt->min_severity, &min);
		for (size_t k = 0; k < rt->kinds.n; k++)
			kind_ok = kind_ok || strcmp(rt->kinds.items[k], kind) == 0;
		if (severity < (int)min || !kind_ok)
			continue;
		for (size_t c = 0; c < rt->channels.n && r == VG_OK; c++) {
			const char *name = rt->channels.items[c];
			bool seen = false;
			int64_t changes = 0;
			for (size_t d = 0; d < ndone; d++)
				seen = seen || strcmp(done[d], name) == 0;
			if (seen || ndone == ROUTE_MAX_CHANNELS)
				continue;
			done[ndone++] = name;
			r = queue_row(nt, name, kind, severity, key, rt->to_duty ? contact : NULL,
			    payload, vg_now_us(), &changes);
			queued += (size_t)changes;
		}
	}
	free(payload);
	if (n)
		*n = queued;
	return r;
}

int
notify_enqueue_channel(struct notify *nt, const char *channel, const char *kind, int severity,
    const char *key, const json_t *msg)
{
	char *payload = json_dumps(msg, JSON_COMPACT);
	int r;

	if (!payload)
		return VG_ERR_NOMEM;
	r = queue_row(nt, channel, kind, severity, key,
	    json_string_value(json_object_get(msg, "contact")), payload, vg_now_us(), NULL);
	free(payload);
	return r;
}

void
notify_cases_hook(void *arg, const char *kind, int severity, const char *key, const json_t *msg)
{
	struct notify *nt = arg;
	size_t n = 0;
	int r = notify_enqueue(nt, kind, severity, key, msg, &n);

	if (r != VG_OK)
		vg_error(nt->log, "notify: cannot queue %s: %s", key, vg_strerror(r));
	else
		vg_debug(nt->log, "notify: %s queued for %zu channel(s)", key, n);
}

static int64_t
backoff_us(const struct vg_config *cfg, int64_t attempts)
{
	int64_t s = 1, cap = cfg->notify.max_backoff;

	for (int64_t i = 1; i < attempts && s < cap; i++)
		s *= 2;
	return (s < cap ? s : cap) * 1000000LL;
}

/* Folds the due rows into one digest row (same channel), in one transaction. */
static int
fold_digest(struct notify *nt, const char *channel, json_t *due, int64_t now, size_t *folded)
{
	struct vg_buf *sum = vg_buf_new(8 << 10);
	size_t n = json_array_size(due), i, per_sev[5] = { 0 };
	int64_t first = json_integer_value(json_object_get(json_array_get(due, 0), "id"));
	int64_t last = json_integer_value(json_object_get(json_array_get(due, n - 1), "id"));
	int64_t did = 0, changes = 0;
	int maxsev = 0, r = VG_ERR_NOMEM;
	json_t *row, *msg = NULL;
	char key[160], *payload = NULL;

	if (!sum)
		return r;
	json_array_foreach(due, i, row) {
		int sev = (int)json_integer_value(json_object_get(row, "severity"));
		sev = sev < 0 ? 0 : sev > 4 ? 4 : sev;
		per_sev[sev]++;
		maxsev = sev > maxsev ? sev : maxsev;
	}
	for (int s = 4; s >= 0; s--)
		if (per_sev[s])
			vg_buf_putf(sum, "%s%zu %s", vg_buf_len(sum) ? ", " : "", per_sev[s],
			    vg_severity_name((enum vg_severity)s));
	json_array_foreach(due, i, row) {
		if (i >= DIGEST_TITLES) {
			vg_buf_putf(sum, "\n... and %zu more", n - DIGEST_TITLES);
			break;
		}
		json_t *m = json_loads(json_string_value(json_object_get(row, "message")), 0, NULL);
		const char *t = json_string_value(json_object_get(m, "title"));
		vg_buf_putf(sum, "\n- %s: %s", json_string_value(json_object_get(row, "kind")),
		    t ? t : "-");
		json_decref(m);
	}
	snprintf(key, sizeof(key), "digest-%lld-%lld", (long long)first, (long long)last);
	msg = json_pack("{s:s, s:I, s:s, s:s}", "title", "digest", "count", (json_int_t)n,
	    "severity", vg_severity_name((enum vg_severity)maxsev), "summary", vg_buf_ptr(sum));
	if (!msg || !(payload = json_dumps(msg, JSON_COMPACT)))
		goto out;
	if ((r = store_begin(nt->st)) != VG_OK)
		goto out;
	/* Due at the pass's own clock, so this pass sends it. */
	if ((r = queue_row(nt, channel, "digest", maxsev, key, NULL, payload, now, &changes)) !=
	    VG_OK)
		goto fail;
	did = 0;
	{
		json_t *idrow = NULL;
		char ikey[200];
		snprintf(ikey, sizeof(ikey), "%s@%s", key, channel);
		if ((r = store_query_one(nt->st, SQL_OUT_ID, (struct store_val[]){ SV_TEXT(ikey) }, 1,
			 &idrow)) != VG_OK)
			goto fail;
		did = json_integer_value(json_object_get(idrow, "id"));
		json_decref(idrow);
	}
	struct store_val b[] = { SV_INT(did), SV_TEXT(channel), SV_INT(now), SV_INT(first),
		SV_INT(last) };
	if ((r = store_exec(nt->st, SQL_OUT_FOLD, b, 5, NULL, &changes)) != VG_OK)
		goto fail;
	if ((r = store_commit(nt->st)) != VG_OK)
		goto fail;
	*folded += (size_t)changes;
	vg_info(nt->log, "notify: %s: %lld messages folded into digest %lld", channel,
	    (long long)changes, (long long)did);
	goto out;
fail:
	store_rollback(nt->st);
out:
	free(payload);
	json_decref(msg);
	vg_buf_free(sum);
	return r;
}

static int
deliver(struct notify *nt, size_t ci, const struct notify_channel_ops *ops, json_t *row,
    int64_t now, struct notify_pass *pass)
{
	const struct vg_channel_cfg *ch = vg_config_channel(nt->cfg, ci);
	int64_t id = json_integer_value(json_object_get(row, "id"));
	int64_t attempts = json_integer_value(json_object_get(row, "attempts")) + 1;
	int64_t lease = vg_now_us() + (2 * ch->timeout + 5) * 1000000LL, changes = 0;
	const char *kind = json_string_value(json_object_get(row, "kind"));
	json_t *msg = json_loads(json_string_value(json_object_get(row, "message")), 0, NULL);
	char *title = NULL, *text = NULL, err[512] = "";
	int r;

	struct store_val claim[] = { SV_INT(lease), SV_INT(id), SV_INT(now) };
	if ((r = store_exec(nt->st, SQL_OUT_CLAIM, claim, 3, NULL, &changes)) != VG_OK ||
	    changes == 0)
		goto out;	/* another sender has it */
	if (!msg)
		msg = json_object();
	if ((r = notify_render(ch, kind, msg, &title, &text)) != VG_OK)
		goto out;
	struct notify_delivery d = { .ch = ch,
		.key = json_string_value(json_object_get(row, "idem_key")), .kind = kind,
		.title = title, .text = text, .msg = msg,
		.contact = json_string_value(json_object_get(row, "recipient")) };
	if (ops->send(&nt->conns[ci], &d, err, sizeof(err)) == VG_OK) {
		struct store_val b[] = { SV_INT(vg_now_us()), SV_INT(id) };
		r = store_exec(nt->st, SQL_OUT_DONE, b, 2, NULL, NULL);
		pass->sent++;
	} else {
		int64_t next = vg_now_us() + backoff_us(nt->cfg, attempts);
		struct store_val b[] = { SV_INT(next), SV_TEXT(err[0] ? err : "failed"), SV_INT(id) };
		r = store_exec(nt->st, SQL_OUT_RETRY, b, 3, NULL, NULL);
		pass->failed++;
		vg_debug(nt->log, "notify: %s: %s: attempt %lld failed: %s", ch->name, d.key,
		    (long long)attempts, err);
	}
out:
	free(title);
	free(text);
	json_decref(msg);
	return r;
}

static int
flush_channel(struct notify *nt, size_t ci, int64_t now, struct notify_pass *pass)
{
	const struct vg_channel_cfg *ch = vg_config_channel(nt->cfg, ci);
	const struct notify_channel_ops *ops = notify_channel_find(ch->type);
	int64_t tokens = DUE_BATCH;
	json_t *due = NULL, *row = NULL;
	size_t i;
	int r;

	if (!ops)
		return VG_ERR_CONFIG;
	if (ch->rate) {
		struct store_val b[] = { SV_TEXT(ch->name), SV_INT(now - 60 * 1000000LL) };
		if ((r = store_query_one(nt->st, SQL_OUT_SENT_RECENT, b, 2, &row)) != VG_OK)
			return r;
		tokens = ch->rate - json_integer_value(json_object_get(row, "n"));
		json_decref(row);
		if (tokens <= 0)
			return VG_OK;
		if (tokens > DUE_BATCH)
			tokens = DUE_BATCH;
	}
	struct store_val b[] = { SV_TEXT(ch->name), SV_INT(now), SV_INT(DUE_BATCH) };
	if ((r = store_query(nt->st, SQL_OUT_DUE, b, 3, 0, &due)) != VG_OK)
		return r;
	if (ch->rate && ch->digest && (int64_t)json_array_size(due) > tokens &&
	    json_array_size(due) > 1) {
		json_decref(due);
		due = NULL;
		if ((r = store_query(nt->st, SQL_OUT_DUE, b, 3, 0, &due)) != VG_OK ||
		    (r = fold_digest(nt, ch->name, due, now, &pass->digested)) != VG_OK)
			goto out;
		json_decref(due);
		due = NULL;
		if ((r = store_query(nt->st, SQL_OUT_DUE, b, 3, 0, &due)) != VG_OK)
			goto out;
	}
	json_array_foreach(due, i, row) {
		if ((int64_t)i >= tokens)
			break;
		if ((r = deliver(nt, ci, ops, row, now, pass)) != VG_OK)
			goto out;
	}
	r = VG_OK;
out:
	json_decref(due);
	return r;
}

int
notify_flush(struct notify *nt, int64_t now_us, struct notify_pass *pass)
{
	json_t *row = NULL;
	int r = VG_OK;

	memset(pass, 0, sizeof(*pass));
	for (size_t i = 0; i < nt->cfg->notify.channels.n && r == VG_OK; i++)
		r = flush_channel(nt, i, now_us, pass);
	if (r == VG_OK && (r = store_query_one(nt->st, SQL_OUT_PENDING, NULL, 0, &row)) == VG_OK)
		pass->pending = (size_t)json_integer_value(json_object_get(row, "n"));
	json_decref(row);
	return r;
}

int
notify_flush_until(struct notify *nt, long long wait_s, struct notify_pass *total)
{
	struct notify_pass pass;
	int64_t end = vg_now_us() + wait_s * 1000000LL;
	int r;

	memset(total, 0, sizeof(*total));
	for (;;) {
		if ((r = notify_flush(nt, vg_now_us(), &pass)) != VG_OK)
			return r;
		total->sent += pass.sent;
		total->failed += pass.failed;
		total->digested += pass.digested;
		total->pending = pass.pending;
		if (pass.pending == 0 || vg_now_us() >= end)
			return VG_OK;
		if (pass.sent + pass.digested == 0)
			usleep(200 * 1000);	/* everything due is backing off */
	}
}

bool
notify_has_channel(const struct notify *nt, const char *name)
{
	for (size_t i = 0; i < nt->cfg->notify.channels.n; i++)
		if (strcmp(vg_config_channel(nt->cfg, i)->name, name) == 0)
			return true;
	return false;
}

int
notify_test(struct notify *nt, const char *channel, const char *text, int severity,
    char *key, size_t key_size)
{
	json_t *j;
	int r;

	if (!notify_has_channel(nt, channel))
		return VG_ERR_NOTFOUND;
	snprintf(key, key_size, "test-%lld", (long long)vg_now_us());
	j = json_pack("{s:s, s:s}", "title", text ? text : "hello from vigil", "severity",
	    vg_severity_name((enum vg_severity)severity));
	r = j ? notify_enqueue_channel(nt, channel, "test", severity, key, j) : VG_ERR_NOMEM;
	json_decref(j);
	return r;
}

int
notify_outbox_list(struct notify *nt, const char *state, size_t limit, json_t **out)
{
	json_t *row;
	size_t i;
	int r;

	if (!limit)
		limit = 100;
	if (state) {
		struct store_val b[] = { SV_TEXT(state), SV_INT(limit) };
		r = store_query(nt->st, SQL_OUT_LIST_STATE, b, 2, 0, out);
	} else {
		r = store_query(nt->st, SQL_OUT_LIST, (struct store_val[]){ SV_INT(limit) }, 1, 0, out);
	}
	if (r != VG_OK)
		return r;
	json_array_foreach(*out, i, row) {
		static const char *const times[] = { "next_at", "created_at", "sent_at" };
		for (size_t t = 0; t < 3; t++) {
			json_t *v = json_object_get(row, times[t]);
			char buf[40];
			if (json_is_integer(v)) {
				vg_time_format(json_integer_value(v), buf, sizeof(buf));
				json_object_set_new(row, times[t], json_string(buf));
			}
		}
		json_int_t s = json_integer_value(json_object_get(row, "severity"));
		json_object_set_new(row, "severity",
		    json_string(vg_severity_name((enum vg_severity)(s < 0 || s > 4 ? 0 : s))));
	}
	return VG_OK;
}

int
notify_outbox_stats(struct notify *nt, json_t **out)
{
	json_t *row = NULL;
	const char *k;
	json_t *v;
	int r = store_query_one(nt->st, SQL_OUT_STATS, NULL, 0, &row);

	*out = NULL;
	if (r != VG_OK)
		return r;
	json_object_foreach(row, k, v)
		if (json_is_null(v))
			json_object_set_new(row, k, json_integer(0));
	*out = row;
	return VG_OK;
}
