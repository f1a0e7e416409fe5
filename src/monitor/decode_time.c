/* Timestamp parsers for the decoders. Hand-rolled over fixed layouts (no strptime,
 * no timegm, no locale) because they run once per line on the hot path; dates become
 * epoch days with Howard Hinnant's days_from_civil arithmetic. */
#include "monitor/decode_int.h"
#include "core/err.h"

#include <string.h>

int64_t
decode_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

unsigned
decode_month(const char *s)
{
	/* Switch on the first letter, then compare: faster than scanning 12 names. */
	switch (s[0]) {
	case 'J':
		if (s[1] == 'a' && s[2] == 'n') return 1;
		if (s[1] == 'u' && s[2] == 'n') return 6;
		if (s[1] == 'u' && s[2] == 'l') return 7;
		return 0;
	case 'F': return s[1] == 'e' && s[2] == 'b' ? 2 : 0;
	case 'M':
		if (s[1] == 'a' && s[2] == 'r') return 3;
		if (s[1] == 'a' && s[2] == 'y') return 5;
		return 0;
	case 'A':
		if (s[1] == 'p' && s[2] == 'r') return 4;
		if (s[1] == 'u' && s[2] == 'g') return 8;
		return 0;
	case 'S': return s[1] == 'e' && s[2] == 'p' ? 9 : 0;
	case 'O': return s[1] == 'c' && s[2] == 't' ? 10 : 0;
	case 'N': return s[1] == 'o' && s[2] == 'v' ? 11 : 0;
	case 'D': return s[1] == 'e' && s[2] == 'c' ? 12 : 0;
	default: return 0;
	}
}

/* n decimal digits at s, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i] - '0';
		if (c > 9)
			return -1;
		v = v * 10 + (int)c;
	}
	return v;
}

static const unsigned char month_days[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

/* Epoch µs from broken-down UTC fields after range checks; VG_ERR_PARSE if out of range. */
static int
make_ts(int y, int mon, int day, int h, int mi, int s, int64_t *ts_us)
{
	if (y < 1970 || y > 9999 || mon < 1 || mon > 12 || day < 1 || day > month_days[mon] ||
	    h > 23 || mi > 59 || s > 60)
		return VG_ERR_PARSE;
	if (mon == 2 && day == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return VG_ERR_PARSE;
	int64_t days = decode_days_from_civil(y, (unsigned)mon, (unsigned)day);
	*ts_us = ((days * 86400) + h * 3600 + mi * 60 + s) * 1000000;
	return VG_OK;
}

/* "+hhmm" or "+hh:mm" at s; sets seconds east of UTC and bytes used. */
static int
zone_offset(const char *s, size_t len, long *off, size_t *used)
{
	int hh, mm;
	if (len < 5 || (s[0] != '+' && s[0] != '-'))
		return VG_ERR_PARSE;
	hh = digits(s + 1, 2);
	if (s[3] == ':') {
		if (len < 6)
			return VG_ERR_PARSE;
		mm = digits(s + 4, 2);
		*used = 6;
	} else {
		mm = digits(s + 3, 2);
		*used = 5;
	}
	if (hh < 0 || mm < 0 || hh > 23 || mm > 59)
		return VG_ERR_PARSE;
	*off = (hh * 3600L + mm * 60L) * (s[0] == '-' ? -1 : 1);
	return VG_OK;
}

int
decode_time_clf(const char *s, size_t len, int64_t *ts_us)
{
	/* 10/Oct/2000:13:55:36 -0700 */
	long off;
	size_t used;
	int64_t t;

	if (len != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' ||
	    s[17] != ':' || s[20] != ' ')
		return VG_ERR_PARSE;
	int day = digits(s, 2), mon = (int)decode_month(s + 3), y = digits(s + 7, 4);
	int h = digits(s + 12, 2), mi = digits(s + 15, 2), sec = digits(s + 18, 2);
	if (day < 0 || y < 0 || h < 0 || mi < 0 || sec < 0)
		return VG_ERR_PARSE;
	if (make_ts(y, mon, day, h, mi, sec, &t) != VG_OK)
		return VG_ERR_PARSE;
	if (zone_offset(s + 21, 5, &off, &used) != VG_OK)
		return VG_ERR_PARSE;
	*ts_us = t - (int64_t)off * 1000000;
	return VG_OK;
}

int
decode_time_clf_memo(struct decode_time_memo *memo, const char *s, size_t len, int64_t *ts_us)
{
	int r;

	if (memo && memo->len == len && memcmp(memo->text, s, len) == 0) {
		*ts_us = memo->ts_us;
		return VG_OK;
	}
	r = decode_time_clf(s, len, ts_us);
	if (memo && r == VG_OK && len <= sizeof(memo->text)) {
		memcpy(memo->text, s, len);
		memo->len = len;
		memo->ts_us = *ts_us;
	}
	return r;
}

int
decode_time_iso8601(const char *s, size_t len, int64_t *ts_us, size_t *used)
{
	/* 2000-10-10T13:55:36[.ffffff][Z|+hh:mm|+hhmm] */
	int64_t t, frac_us = 0;
	size_t i = 19;
	long off = 0;

	if (len < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':')
		return VG_ERR_PARSE;
	int y = digits(s, 4), mon = digits(s + 5, 2), day = digits(s + 8, 2);
	int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
	if (y < 0 || mon < 0 || day < 0 || h < 0 || mi < 0 || sec < 0)
		return VG_ERR_PARSE;
	if (make_ts(y, mon, day, h, mi, sec, &t) != VG_OK)
		return VG_ERR_PARSE;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		int64_t scale = 100000;
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return VG_ERR_PARSE;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			frac_us += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		size_t n;
		if (zone_offset(s + i, len - i, &off, &n) != VG_OK)
			return VG_ERR_PARSE;
		i += n;
	}
	*ts_us = t + frac_us - (int64_t)off * 1000000;
	*used = i;
	return VG_OK;
}

/* Gregorian year of an epoch day (inverse of days_from_civil, year only). */
static int64_t
year_of_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	return (int64_t)yoe + era * 400 + (m <= 2);
}

int
decode_time_rfc3164(const char *s, size_t len, int64_t now_us, long gmtoff, int64_t *ts_us)
{
	/* "Oct 10 13:55:36" or "Oct  1 13:55:36" */
	int64_t t;

	if (len < 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':')
		return VG_ERR_PARSE;
	int mon = (int)decode_month(s);
	int day = s[4] == ' ' ? digits(s + 5, 1) : digits(s + 4, 2);
	int h = digits(s + 7, 2), mi = digits(s + 10, 2), sec = digits(s + 13, 2);
	if (mon == 0 || day < 0 || h < 0 || mi < 0 || sec < 0)
		return VG_ERR_PARSE;
	int64_t now_local = now_us / 1000000 + gmtoff;
	int64_t year = year_of_days(now_local >= 0 ? now_local / 86400 : (now_local - 86399) / 86400);
	if (mon == 2 && day == 29 && !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		year--;	/* Feb 29 read in a non-leap year: it was logged in an earlier year */
	if (make_ts((int)year, mon, day, h, mi, sec, &t) != VG_OK)
		return VG_ERR_PARSE;
	t -= (int64_t)gmtoff * 1000000;
	/* A December line read in January belongs to last year. */
	if (t > now_us + 86400LL * 1000000) {
		if (make_ts((int)year - 1, mon, day, h, mi, sec, &t) != VG_OK)
			return VG_ERR_PARSE;
		t -= (int64_t)gmtoff * 1000000;
	}
	*ts_us = t;
	return VG_OK;
}

int
decode_time_epoch(const char *s, size_t len, int64_t *ts_us)
{
	const char *dot = memchr(s, '.', len);
	size_t ilen = dot ? (size_t)(dot - s) : len;
	uint64_t secs;
	int64_t frac = 0, scale = 100000;

	if (decode_uint(s, ilen, 253402300799ULL, &secs) != VG_OK)
		return VG_ERR_PARSE;
	if (dot) {
		for (size_t i = ilen + 1; i < len; i++) {
			unsigned c = (unsigned char)s[i] - '0';
			if (c > 9)
				return VG_ERR_PARSE;
			frac += (int64_t)c * scale;
			scale /= 10;
		}
	}
	*ts_us = (int64_t)secs * 1000000 + frac;
	return VG_OK;
}
