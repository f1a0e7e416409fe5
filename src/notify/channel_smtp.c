/* E-mail over SMTP with libcurl. The subject is RFC 2047 base64, so no text
 * from an alert can inject a header; the idempotency key is the Message-ID
 * (and X-Vigil-Idempotency-Key) so a mail system can drop a repeat. */
#include "notify/channel.h"
#include "core/buf.h"
#include "core/err.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAIL_MAX (256 << 10)

struct upload {
	const char *p;
	size_t left;
};

static size_t
on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t k = size * n < u->left ? size * n : u->left;

	memcpy(buf, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

static int
build_mail(const struct notify_delivery *d, struct vg_buf *m)
{
	const struct vg_channel_cfg *ch = d->ch;
	size_t tlen = strlen(d->title);
	char *b64 = malloc(4 * ((tlen + 2) / 3) + 1), date[64];
	time_t now = time(NULL);
	struct tm tm;

	if (!b64)
		return VG_ERR_NOMEM;
	EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)d->title, (int)tlen);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	vg_buf_putf(m, "From: <%s>\r\nTo: ", ch->mail_from);
	for (size_t i = 0; i < ch->mail_to.n; i++)
		vg_buf_putf(m, "%s<%s>", i ? ", " : "", ch->mail_to.items[i]);
	if (d->contact && strchr(d->contact, '@'))
		vg_buf_putf(m, "%s<%s>", ch->mail_to.n ? ", " : "", d->contact);
	vg_buf_putf(m, "\r\nSubject: =?UTF-8?B?%s?=\r\nDate: %s\r\nMessage-ID: <", b64, date);
	free(b64);
	for (const char *k = d->key; *k; k++)	/* the key's '@' would end the local part */
		vg_buf_put(m, *k == '@' ? "." : k, 1);
	vg_buf_putf(m, "@vigil>\r\nX-Vigil-Idempotency-Key: %s\r\nMIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=UTF-8\r\n"
		       "Content-Transfer-Encoding: 8bit\r\n\r\n", d->key);
	for (const char *p = d->text; *p; p++)
		vg_buf_put(m, *p == '\n' ? "\r\n" : p, *p == '\n' ? 2 : 1);
	return vg_buf_puts(m, "\r\n");
}

static int
send_smtp(void **conn, const struct notify_delivery *d, char *err, size_t err_size)
{
	const struct vg_channel_cfg *ch = d->ch;
	struct vg_buf *m = vg_buf_new(MAIL_MAX);
	struct curl_slist *rcpt = NULL;
	struct upload up;
	char from[512];
	CURLcode rc;
	int r = VG_ERR_NOMEM;

	if (!m || build_mail(d, m) != VG_OK)
		goto out;
	if (!*conn && !(*conn = curl_easy_init()))
		goto out;
	CURL *c = *conn;
	curl_easy_reset(c);
	for (size_t i = 0; i < ch->mail_to.n; i++)
		rcpt = curl_slist_append(rcpt, ch->mail_to.items[i]);
	if (d->contact && strchr(d->contact, '@'))
		rcpt = curl_slist_append(rcpt, d->contact);
	snprintf(from, sizeof(from), "<%s>", ch->mail_from);
	up.p = vg_buf_ptr(m);
	up.left = vg_buf_len(m);
	curl_easy_setopt(c, CURLOPT_URL, ch->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, ch->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, ch->timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (ch->username)
		curl_easy_setopt(c, CURLOPT_USERNAME, ch->username);
	if (ch->password)
		curl_easy_setopt(c, CURLOPT_PASSWORD, ch->password);
	if ((rc = curl_easy_perform(c)) != CURLE_OK) {
		snprintf(err, err_size, "%s", curl_easy_strerror(rc));
		r = VG_ERR_IO;
		goto out;
	}
	r = VG_OK;
out:
	curl_slist_free_all(rcpt);
	vg_buf_free(m);
	return r;
}

static void
free_conn(void *conn)
{
	curl_easy_cleanup(conn);
}

const struct notify_channel_ops notify_channel_smtp = { .type = "smtp", .needs_url = true,
	.needs_mail = true, .send = send_smtp, .free_conn = free_conn };
