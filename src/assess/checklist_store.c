/* Checklist answers in the store (table checklist_answers, migration 009): appended,
 * never updated, the newest per item counting; and the judging of one item. */
#include "assess/checklist.h"
#include "core/sha256.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "core/store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char SQL_ANSWER_ADD[] =
    "INSERT INTO checklist_answers(checklist, item, answer, evidence, file_name, file_sha256,"
    " file_size, file_b64, actor, at) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
static const char SQL_ANSWER_LAST[] =
    "SELECT answer, evidence, file_name, file_sha256, actor, at FROM checklist_answers"
    " WHERE checklist = $1 AND item = $2 ORDER BY id DESC LIMIT 1";

/* Reads file whole (at most CL_FILE_MAX): *data malloc'd, *len, the hex SHA-256. */
static int
read_evidence(const char *file, unsigned char **data, size_t *len, char hex[65])
{
	struct stat sb;
	size_t n = 0;
	int fd, rc = 0;

	*data = NULL;
	*len = 0;
	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return VG_ERR_IO;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return VG_ERR_IO;
	}
	if (sb.st_size > CL_FILE_MAX) {
		close(fd);
		return VG_ERR_LIMIT;
	}
	if (!(*data = malloc((size_t)sb.st_size + 1))) {
		close(fd);
		return VG_ERR_NOMEM;
	}
	while (n < (size_t)sb.st_size) {
		ssize_t r = read(fd, *data + n, (size_t)sb.st_size - n);

		if (r <= 0) {
			rc = r == 0 ? 0 : VG_ERR_IO;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	if (rc == 0)
		rc = vg_sha256_hex(*data, n, hex);
	if (rc) {
		free(*data);
		*data = NULL;
		return rc;
	}
	*len = n;
	return 0;
}

int
checklist_answer(struct vg_store *st, const struct checklist *c, const char *item,
    enum cl_answer a, const char *evidence, const char *file, const char *actor)
{
	unsigned char *data = NULL;
	char *b64 = NULL, hex[65] = "";
	const char *base = NULL;
	size_t len = 0;
	int rc;

	if (!checklist_item(c, item))
		return VG_ERR_NOTFOUND;
	if (a == CL_UNANSWERED)
		return VG_ERR_INVAL;
	if (file) {
		if ((rc = read_evidence(file, &data, &len, hex)))
			return rc;
		if (!(b64 = malloc(4 * ((len + 2) / 3) + 1))) {
			free(data);
			return VG_ERR_NOMEM;
		}
		EVP_EncodeBlock((unsigned char *)b64, data, (int)len);
		base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	}
	{
		struct store_val b[] = { SV_TEXT(c->id), SV_TEXT(item), SV_TEXT(cl_answer_name(a)),
			SV_TEXT(evidence), SV_TEXT(base), SV_TEXT(file ? hex : NULL),
			file ? SV_INT(len) : SV_NULL, SV_TEXT(b64), SV_TEXT(actor),
			SV_INT(vg_now_us()) };

		rc = store_exec(st, SQL_ANSWER_ADD, b, sizeof(b) / sizeof(b[0]), NULL, NULL);
	}
	free(data);
	free(b64);
	return rc;
}

static void
copy_member(const json_t *o, const char *k, char *out, size_t size)
{
	const char *s = json_string_value(json_object_get(o, k));

	vg_strlcpy(out, s ? s : "", size);
}

int
checklist_judge(const struct cl_env *env, const struct checklist *c, const struct cl_item *it,
    struct cl_state *out)
{
	json_t *row = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (it->autocheck) {
		rc = strcmp(it->autocheck, "duty-roster") == 0 ? checklist_auto_duty(env, out) :
								 checklist_auto_backup(env, out);
		/* decided: done; undecidable (nothing configured): a person's answer counts */
		if (rc == 0 && out->answer != CL_UNANSWERED) {
			out->automatic = true;
			return 0;
		}
		if (rc != 0 && rc != VG_ERR_NOTFOUND)
			return rc;
		memset(out, 0, sizeof(*out));
	}
	{
		struct store_val b[] = { SV_TEXT(c->id), SV_TEXT(it->id) };

		rc = store_query_one(env->st, SQL_ANSWER_LAST, b, 2, &row);
	}
	if (rc == VG_ERR_NOTFOUND)
		return 0;
	if (rc)
		return rc;
	cl_answer_parse(json_string_value(json_object_get(row, "answer")), &out->answer);
	copy_member(row, "evidence", out->evidence, sizeof(out->evidence));
	copy_member(row, "actor", out->actor, sizeof(out->actor));
	copy_member(row, "file_name", out->file_name, sizeof(out->file_name));
	copy_member(row, "file_sha256", out->file_sha256, sizeof(out->file_sha256));
	out->at_us = json_integer_value(json_object_get(row, "at"));
	json_decref(row);
	return 0;
}
