/* Message text: built-in templates per message kind in English and Chinese, or
 * a channel's own template; "{name}" placeholders take the message's members.
 * The first line is the title (mail subject, robot headline). */
#include "notify/notify.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_MAX (32 << 10)

struct tmpl {
	const char *kind;
	const char *en, *zh;
};

static const struct tmpl builtin[] = {
	{ "incident",
	  "[{severity}] Incident #{id}: {title}\nSource {source_ip}, target {target}, "
	  "{alert_count} alerts, state {state}. Owner on duty: {recipient}.",
	  "【{severity_zh}】安全事件 #{id}：{title}\n来源 {source_ip}，目标 {target}，"
	  "告警 {alert_count} 条，状态：{state_zh}。值班人：{recipient}。" },
	{ "escalation",
	  "[{severity}] OVERDUE {record} #{id}: {title}\nEscalated to {recipient} "
	  "(level {escalation}), state {state}.",
	  "【{severity_zh}】超时未处理{record_zh} #{id}：{title}\n已升级至 {recipient}"
	  "（第 {escalation} 级），状态：{state_zh}。" },
	{ "notice",
	  "[{severity}] Notice #{id} ({kind}): {title}\nAsset {asset}, owner {owner}, "
	  "deadline {deadline}. Feedback required: {required_feedback}.",
	  "【{severity_zh}】{kind_zh}通报 #{id}：{title}\n资产 {asset}，负责人 {owner}，"
	  "截止 {deadline}。反馈要求：{required_feedback}。" },
	{ "digest",
	  "[{severity}] {count} notifications held back by the rate limit\n{summary}",
	  "【{severity_zh}】限流期间共 {count} 条通知\n{summary}" },
	{ "test", "[{severity}] vigil test message: {title}", "【{severity_zh}】vigil 测试消息：{title}" },
};

static const char *const zh_words[][2] = {
	{ "info", "提示" }, { "low", "低危" }, { "medium", "中危" }, { "high", "高危" },
	{ "critical", "严重" }, { "new", "待确认" }, { "acknowledged", "已确认" },
	{ "verified", "已研判" }, { "disposed", "已处置" }, { "feedback", "已反馈" },
	{ "closed", "已关闭" }, { "open", "待处理" }, { "vulnerability", "漏洞" },
	{ "incident", "事件" }, { "asset", "互联网资产" }, { "notice", "通报" },
};

static const char *
zh(const char *en)
{
	for (size_t i = 0; en && i < sizeof(zh_words) / sizeof(zh_words[0]); i++)
		if (strcmp(zh_words[i][0], en) == 0)
			return zh_words[i][1];
	return en;
}

/* Appends the value of member name (or a derived *_zh word) to b. */
static void
put_value(struct vg_buf *b, const json_t *msg, const char *name, size_t len)
{
	char key[64];
	bool want_zh = false;
	json_t *v;

	if (len >= sizeof(key)) {
		vg_buf_puts(b, "-");
		return;
	}
	memcpy(key, name, len);
	key[len] = '\0';
	if (len > 3 && strcmp(key + len - 3, "_zh") == 0) {
		key[len - 3] = '\0';
		want_zh = true;
	}
	v = json_object_get(msg, key);
	if (json_is_string(v))
		vg_buf_puts(b, want_zh ? zh(json_string_value(v)) : json_string_value(v));
	else if (json_is_integer(v))
		vg_buf_putf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		vg_buf_puts(b, json_is_true(v) ? "yes" : "no");
	else
		vg_buf_puts(b, "-");
}

char *
notify_expand(const char *tmpl, const json_t *msg)
{
	struct vg_buf *b = vg_buf_new(TEXT_MAX);
	char *out = NULL;

	if (!b)
		return NULL;
	for (const char *p = tmpl; *p;) {
		const char *close = p[0] == '{' ? strchr(p + 1, '}') : NULL;
		size_t len = close ? (size_t)(close - p - 1) : 0;
		bool name = close && len > 0 && strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_") == len;
		if (name) {
			put_value(b, msg, p + 1, len);
			p = close + 1;
		} else {
			vg_buf_put(b, p, 1);
			p++;
		}
	}
	/* A message cut at the bound is still sent: the limit error is ignored. */
	out = vg_buf_steal(b);
	vg_buf_free(b);
	return out;
}

int
notify_render(const struct vg_channel_cfg *ch, const char *kind, const json_t *msg,
    char **title, char **text)
{
	const char *tmpl = ch ? ch->template_text : NULL;
	bool use_zh = ch && ch->language && strcmp(ch->language, "zh") == 0;

	*title = *text = NULL;
	for (size_t i = 0; !tmpl && i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (strcmp(builtin[i].kind, kind) == 0)
			tmpl = use_zh ? builtin[i].zh : builtin[i].en;
	if (!tmpl)
		tmpl = use_zh ? "【{severity_zh}】{title}" : "[{severity}] {title}";
	if (!(*text = notify_expand(tmpl, msg)))
		return VG_ERR_NOMEM;
	*title = strndup(*text, strcspn(*text, "\n"));
	if (!*title) {
		free(*text);
		*text = NULL;
		return VG_ERR_NOMEM;
	}
	return VG_OK;
}
