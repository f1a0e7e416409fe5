/* The CSV reader (see import_csv.h). Fields are unescaped into one buffer per
 * record, so a row costs no allocation after the first; positions are counted in
 * characters because the people reading "inventory.csv:12:7" count them so. */
#include "inventory/import_csv.h"

#include "core/err.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csv_reader {
	const unsigned char *p, *end;
	size_t line, col;	/* of *p */
	bool done;
	/* the record's unescaped fields, NUL-separated */
	char buf[CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1)];
	size_t used;
};

int
csv_open(const char *data, size_t len, struct csv_reader **out)
{
	struct csv_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return VG_ERR_NOMEM;
	r->p = (const unsigned char *)data;
	r->end = r->p + len;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
	r->line = r->col = 1;
	*out = r;
	return VG_OK;
}

void
csv_free(struct csv_reader *r)
{
	free(r);
}

static int
fail(struct csv_reader *r, struct csv_error *e, size_t line, size_t col, int code,
    const char *msg)
{
	r->done = true;
	e->line = line;
	e->col = col;
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	return code;
}

/* Consumes one byte, keeping the position: a UTF-8 continuation byte is not a
 * new column. */
static unsigned char
take(struct csv_reader *r)
{
	unsigned char c = *r->p++;

	if (c == '\n') {
		r->line++;
		r->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		r->col++;
	}
	return c;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF are not UTF-8 */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return len;
}

/* Appends one input character (all of its UTF-8 bytes) to the field. */
static int
put_char(struct csv_reader *r, struct csv_error *e, size_t *flen)
{
	size_t n = utf8_len(r->p, (size_t)(r->end - r->p));

	if (*r->p == 0)
		return fail(r, e, r->line, r->col, VG_ERR_PARSE, "NUL byte (not a text file?)");
	if (n == 0)
		return fail(r, e, r->line, r->col, VG_ERR_PARSE,
		    "not UTF-8 text (save the file as UTF-8)");
	if (*flen + n > CSV_MAX_FIELD)
		return fail(r, e, r->line, r->col, VG_ERR_LIMIT, "field longer than 4096 bytes");
	for (size_t i = 0; i < n; i++)
		r->buf[r->used++] = (char)take(r);
	*flen += n;
	return VG_OK;
}

static bool
at_eol(const struct csv_reader *r)
{
	return r->p == r->end || *r->p == '\n' || *r->p == '\r';
}

static void
skip_eol(struct csv_reader *r)
{
	if (r->p < r->end && *r->p == '\r')
		take(r);
	if (r->p < r->end && *r->p == '\n')
		take(r);
}

/* Reads one field at r->p into the buffer; leaves r->p on ',', a line end or the
 * end of the data. */
static int
field(struct csv_reader *r, struct csv_error *e)
{
	size_t flen = 0, qline = r->line, qcol = r->col;
	int ret;

	if (r->p < r->end && *r->p == '"') {
		take(r);
		for (;;) {
			if (r->p == r->end)
				return fail(r, e, qline, qcol, VG_ERR_PARSE,
				    "quoted field never closed (a '\"' is missing)");
			if (*r->p == '"') {
				take(r);
				if (r->p < r->end && *r->p == '"') {
					if ((ret = put_char(r, e, &flen)) != VG_OK)
						return ret;
					continue;
				}
				break;
			}
			if ((ret = put_char(r, e, &flen)) != VG_OK)
				return ret;
		}
		if (!at_eol(r) && *r->p != ',')
			return fail(r, e, r->line, r->col, VG_ERR_PARSE,
			    "text after a closing quote (write \"\" for a quote inside a field)");
	} else {
		while (!at_eol(r) && *r->p != ',') {
			if (*r->p == '"')
				return fail(r, e, r->line, r->col, VG_ERR_PARSE,
				    "quote inside an unquoted field (quote the whole field)");
			if ((ret = put_char(r, e, &flen)) != VG_OK)
				return ret;
		}
	}
	r->buf[r->used++] = '\0';
	return VG_OK;
}

int
csv_next(struct csv_reader *r, struct csv_row *row, struct csv_error *e)
{
	int ret;

	row->n = 0;
	r->used = 0;
	if (r->done)
		return VG_ERR_NOTFOUND;
	/* blank lines separate nothing: skip them (files often end with several) */
	while (r->p < r->end && (*r->p == '\n' || *r->p == '\r'))
		skip_eol(r);
	if (r->p == r->end) {
		r->done = true;
		return VG_ERR_NOTFOUND;
	}
	for (;;) {
		size_t start = r->used;
		if (row->n == CSV_MAX_FIELDS)
			return fail(r, e, r->line, r->col, VG_ERR_LIMIT, "more than 64 fields in a row");
		row->line[row->n] = r->line;
		row->col[row->n] = r->col;
		if ((ret = field(r, e)) != VG_OK)
			return ret;
		row->f[row->n++] = r->buf + start;
		if (r->p < r->end && *r->p == ',') {
			take(r);
			continue;
		}
		skip_eol(r);
		return VG_OK;
	}
}
