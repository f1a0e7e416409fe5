/* A strict RFC 4180 CSV reader for the files people hand us (the declared
 * inventory): quoted fields with "" escapes and line breaks inside, CRLF or LF,
 * a UTF-8 byte-order mark (Excel writes one), blank lines skipped. Anything else
 * is an error with its line and column, never a guess: a quote inside an
 * unquoted field, text after a closing quote, an unterminated quote, NUL bytes,
 * text that is not UTF-8, and rows or fields over the limits below. */
#ifndef VG_INV_IMPORT_CSV_H
#define VG_INV_IMPORT_CSV_H

#include <stddef.h>

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD 4096

struct csv_reader;

/* One record: field i is f[i] (NUL-terminated, unescaped) starting at line
 * line[i], column col[i] (1-based, counted in characters). Borrowed from the
 * reader, valid until the next csv_next. */
struct csv_row {
	size_t n;
	const char *f[CSV_MAX_FIELDS];
	size_t line[CSV_MAX_FIELDS], col[CSV_MAX_FIELDS];
};

/* Where and why reading stopped. */
struct csv_error {
	size_t line, col;
	char msg[160];
};

/* A reader over data[0..len) (borrowed; must outlive the reader). 0 or
 * VG_ERR_NOMEM; free with csv_free (accepts NULL). */
int csv_open(const char *data, size_t len, struct csv_reader **out);
void csv_free(struct csv_reader *r);

/* The next record into *row: 0; VG_ERR_NOTFOUND at the end of the data;
 * VG_ERR_PARSE or VG_ERR_LIMIT with *e filled (the reader is then done). */
int csv_next(struct csv_reader *r, struct csv_row *row, struct csv_error *e);

#endif
