/* Declared inventory import (see import.h). Rows are parsed and checked in full
 * before the store is touched; column names are matched in English and Chinese
 * because the sheets come from both. */
#include "inventory/import.h"
#include "inventory/import_csv.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/event.h"
#include "core/store.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IMPORT_MAX_ERRORS 20
#define IMPORT_MAX_ROWS 100000

enum { C_ADDRESS, C_HOSTNAME, C_SYSTEM, C_OWNER, C_LEVEL, C_INTERNET, C_ROLE, C_NOTES, C_N };

/* Header names per column, compared case-insensitively after trimming. */
static const char *const col_names[C_N][12] = {
	[C_ADDRESS] = { "address", "ip", "ip address", "host", "name", "asset", "地址",
		"ip地址", "域名", "资产", "资产地址", NULL },
	[C_HOSTNAME] = { "hostname", "host name", "主机名", NULL },
	[C_SYSTEM] = { "system", "system_name", "system name", "系统", "系统名称",
		"业务系统", "所属系统", NULL },
	[C_OWNER] = { "owner", "负责人", "责任人", "责任部门", "联系人", NULL },
	[C_LEVEL] = { "level", "importance", "importance level", "等保", "等保级别",
		"等保等级", "等级", "重要性", "定级", NULL },
	[C_INTERNET] = { "internet_facing", "internet-facing", "internet facing", "internet",
		"互联网", "是否互联网", "对外", "互联网暴露", "是否对外", NULL },
	[C_ROLE] = { "role", "角色", "用途", "类型", NULL },
	[C_NOTES] = { "notes", "note", "备注", "说明", NULL },
};
static const char *const col_keys[C_N] = { "address", "hostname", "system", "owner",
	"level", "internet_facing", "role", "notes" };

struct parse {
	const char *name;
	struct vg_buf *errs;
	size_t nerr;
	json_t *seen;	/* address -> line: a duplicate is named with its first line */
};

static void __attribute__((format(printf, 4, 5)))
report(struct parse *p, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (++p->nerr > IMPORT_MAX_ERRORS)
		return;
	vg_buf_putf(p->errs, "%s:%zu:%zu: ", p->name, line, col);
	va_start(ap, fmt);
	vg_buf_vputf(p->errs, fmt, ap);
	va_end(ap);
	vg_buf_puts(p->errs, "\n");
}

/* Trims ASCII blanks in place (fields are the reader's own buffer copies). */
static char *
trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int
column_of(const char *h)
{
	for (int c = 0; c < C_N; c++)
		for (int i = 0; col_names[c][i]; i++)
			if (strcasecmp(h, col_names[c][i]) == 0)
				return c;
	return -1;
}

static int
strip_prefix(const char **s, const char *pre)
{
	size_t n = strlen(pre);

	if (strncasecmp(*s, pre, n) != 0)
		return 0;
	*s += n;
	while (**s == ' ')
		(*s)++;
	return 1;
}

int
import_parse_level(const char *s, int *level)
{
	static const char *const forms[5][4] = {
		{ "1", "I", "一", "壹" }, { "2", "II", "二", "贰" }, { "3", "III", "三", "叁" },
		{ "4", "IV", "四", "肆" }, { "5", "V", "五", "伍" },
	};
	char core[32];
	size_t n;

	*level = 0;
	while (strip_prefix(&s, "等保") || strip_prefix(&s, "第") || strip_prefix(&s, "level") ||
	    strip_prefix(&s, "lvl") || strip_prefix(&s, "L"))
		;
	if (vg_strlcpy(core, s, sizeof(core)) != VG_OK)
		return VG_ERR_PARSE;
	n = strlen(core);
	if (n >= 3 && strcmp(core + n - 3, "级") == 0)
		core[n -= 3] = '\0';
	while (n && core[n - 1] == ' ')
		core[--n] = '\0';
	for (int l = 0; l < 5; l++)
		for (int i = 0; i < 4; i++)
			if (strcasecmp(core, forms[l][i]) == 0) {
				*level = l + 1;
				return VG_OK;
			}
	return VG_ERR_PARSE;
}

static int
parse_yes_no(const char *s)
{
	static const char *const yes[] = { "yes", "y", "true", "1", "是", "对外", "public", NULL };
	static const char *const no[] = { "no", "n", "false", "0", "否", "内网", "internal", NULL };

	for (int i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

/* An IP literal in canonical form, or a host name in lower case, into out;
 * otherwise a reason. */
static const char *
check_address(const char *s, char *out, size_t size)
{
	unsigned char bin[16];
	size_t n = strlen(s), label = 0;

	if (inet_pton(AF_INET, s, bin) == 1)
		return inet_ntop(AF_INET, bin, out, (socklen_t)size) ? NULL : "bad address";
	if (inet_pton(AF_INET6, s, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, (socklen_t)size) ? NULL : "bad address";
	if (strchr(s, '/'))
		return "a network (CIDR) is not one asset: list its addresses";
	if (n == 0 || n > 253)
		return "not an IP address or host name";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return "not an IP address or host name";
			label = 0;
			out[i] = '.';
			continue;
		}
		if (!(isalnum(c) || c == '-' || c == '_') || (label == 0 && c == '-') ||
		    ++label > 63)
			return "not an IP address or host name";
		out[i] = (char)tolower(c);
	}
	if (label == 0 && n > 0 && s[n - 1] == '.')
		n--;	/* a trailing root dot is the same name */
	out[n] = '\0';
	return NULL;
}

static char *
dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

void
import_decls_free(struct import_decls *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct import_decl *x = &d->v[i];
		free(x->address);
		free(x->hostname);
		free(x->system);
		free(x->owner);
		free(x->role);
		free(x->notes);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* The header row: which field holds which column. */
static void
header(struct parse *p, struct csv_row *row, int *map)
{
	int seen[C_N] = { 0 };

	for (size_t i = 0; i < row->n; i++) {
		char *h = trim((char *)row->f[i]);
		int c = column_of(h);
		map[i] = c;
		if (c < 0) {
			report(p, row->line[i], row->col[i],
			    "unknown column '%s' (known: address, hostname, system, owner, level, "
			    "internet_facing, role, notes; or their Chinese names)", h);
		} else if (seen[c]++) {
			report(p, row->line[i], row->col[i], "column '%s' appears twice",
			    col_keys[c]);
		}
	}
	if (!seen[C_ADDRESS])
		report(p, row->line[0], 1, "no 'address' column");
}

/* Spreadsheets export trailing empty cells: those are not extra columns. */
static bool
extra_blank(const struct csv_row *row, size_t ncols)
{
	for (size_t i = ncols; i < row->n; i++)
		if (*trim((char *)row->f[i]))
			return false;
	return true;
}

static int
add_row(struct parse *p, struct import_decls *out, struct csv_row *row, const int *map)
{
	struct import_decl d = { .internet = -1, .line = row->line[0] };
	const char *v[C_N] = { 0 };
	size_t at[C_N] = { 0 };
	char addr[256];
	const char *why;

	for (size_t i = 0; i < row->n; i++) {
		if (map[i] < 0)
			continue;
		v[map[i]] = trim((char *)row->f[i]);
		at[map[i]] = i;
	}
	if (!v[C_ADDRESS] || !*v[C_ADDRESS]) {
		report(p, row->line[0], 1, "missing address");
		return VG_OK;
	}
	if ((why = check_address(v[C_ADDRESS], addr, sizeof(addr)))) {
		report(p, row->line[at[C_ADDRESS]], row->col[at[C_ADDRESS]], "%s", why);
		return VG_OK;
	}
	if (v[C_LEVEL] && *v[C_LEVEL] && import_parse_level(v[C_LEVEL], &d.level) != VG_OK)
		report(p, row->line[at[C_LEVEL]], row->col[at[C_LEVEL]],
		    "level '%s': expected 1-5 (also III, 三级, 等保3级)", v[C_LEVEL]);
	if (v[C_INTERNET] && *v[C_INTERNET] && (d.internet = parse_yes_no(v[C_INTERNET])) < 0)
		report(p, row->line[at[C_INTERNET]], row->col[at[C_INTERNET]],
		    "internet_facing '%s': expected yes or no (是/否)", v[C_INTERNET]);
	json_t *prev = json_object_get(p->seen, addr);
	if (prev) {
		report(p, row->line[at[C_ADDRESS]], row->col[at[C_ADDRESS]],
		    "address already listed on line %lld", (long long)json_integer_value(prev));
		return VG_OK;
	}
	if (json_object_set_new(p->seen, addr, json_integer((json_int_t)d.line)) != 0)
		return VG_ERR_NOMEM;
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 64;
		struct import_decl *nv = realloc(out->v, cap * sizeof(*nv));
		if (!nv)
			return VG_ERR_NOMEM;
		out->v = nv;
		out->cap = cap;
	}
	d.address = strdup(addr);
	d.hostname = dup_or_null(v[C_HOSTNAME]);
	d.system = dup_or_null(v[C_SYSTEM]);
	d.owner = dup_or_null(v[C_OWNER]);
	d.role = dup_or_null(v[C_ROLE]);
	d.notes = dup_or_null(v[C_NOTES]);
	out->v[out->n++] = d;
	return d.address ? VG_OK : VG_ERR_NOMEM;
}

int
import_parse(const char *name, const char *data, size_t len, struct import_decls *out,
    struct vg_buf *errs)
{
	struct parse p = { .name = name, .errs = errs };
	struct csv_reader *r = NULL;
	struct csv_row row;
	struct csv_error e;
	int map[CSV_MAX_FIELDS], ret, rows = 0;
	size_t ncols = 0;

	memset(out, 0, sizeof(*out));
	if (!(p.seen = json_object()))
		return VG_ERR_NOMEM;
	if ((ret = csv_open(data, len, &r)) != VG_OK) {
		json_decref(p.seen);
		return ret;
	}
	while ((ret = csv_next(r, &row, &e)) == VG_OK) {
		if (rows++ == 0) {
			header(&p, &row, map);
			ncols = row.n;
			if (p.nerr)
				break;	/* rows cannot be read without their columns */
			continue;
		}
		if (rows > IMPORT_MAX_ROWS) {
			report(&p, row.line[0], 1, "more than 100000 rows");
			break;
		}
		if (row.n > ncols && !extra_blank(&row, ncols)) {
			report(&p, row.line[ncols], row.col[ncols],
			    "more fields than the header has columns");
			continue;
		}
		if (row.n > ncols)
			row.n = ncols;
		if ((ret = add_row(&p, out, &row, map)) != VG_OK)
			goto out;
	}
	if (ret == VG_ERR_PARSE || ret == VG_ERR_LIMIT)
		report(&p, e.line, e.col, "%s", e.msg);
	if (rows == 0)
		report(&p, 1, 1, "empty file: expected a header row");
	ret = VG_OK;
	if (p.nerr > IMPORT_MAX_ERRORS)
		vg_buf_putf(errs, "%s: %zu more problems not shown\n", name,
		    p.nerr - IMPORT_MAX_ERRORS);
	if (p.nerr)
		ret = VG_ERR_PARSE;
out:
	csv_free(r);
	json_decref(p.seen);
	if (ret != VG_OK)
		import_decls_free(out);
	return ret;
}
