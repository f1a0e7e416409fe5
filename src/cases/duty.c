/* The duty roster: shifts (one-off or repeating daily, for 7x24 rotations), who
 * is on duty now in escalation order, and handover notes. Daily shifts compare
 * local time of day, so "08:00-20:00" means the duty room's clock. */
#include "cases/cases_int.h"
#include "cases/sql_duty.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define DAY_S 86400LL

int
cases_duty_add(struct cases *cs, const struct cases_shift *s, const char *actor, int64_t *id)
{
	int64_t sid = 0;
	int r;

	if (id)
		*id = 0;
	if (!s->person || !*s->person || !actor || s->ends_us <= s->starts_us ||
	    (s->daily && s->ends_us - s->starts_us > DAY_S * 1000000))
		return VG_ERR_INVAL;
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	struct store_val b[] = { SV_TEXT(s->person), SV_TEXT(s->contact), SV_INT(s->starts_us),
		SV_INT(s->ends_us), SV_INT(s->daily), SV_INT(s->order), SV_INT(vg_now_us()) };
	if ((r = store_exec(cs->st, SQL_DUTY_ADD, b, sizeof(b) / sizeof(b[0]), &sid, NULL)) !=
		VG_OK ||
	    (r = cases_audit(cs, actor, "duty.add", "shift %lld: %s order %d%s", (long long)sid,
		 s->person, s->order, s->daily ? " daily" : "")) != VG_OK)
		return cases_fail(cs, r);
	if ((r = store_commit(cs->st)) != VG_OK)
		return cases_fail(cs, r);
	if (id)
		*id = sid;
	return VG_OK;
}

static void
decorate_shift(json_t *row)
{
	json_object_set_new(row, "daily",
	    json_boolean(json_integer_value(json_object_get(row, "daily"))));
	cases_json_time(row, "starts_at");
	cases_json_time(row, "ends_at");
}

int
cases_duty_list(struct cases *cs, json_t **out)
{
	json_t *row;
	size_t i;
	int r = store_query(cs->st, SQL_DUTY_LIST, NULL, 0, 0, out);

	if (r != VG_OK)
		return r;
	json_array_foreach(*out, i, row)
		decorate_shift(row);
	return VG_OK;
}

static int64_t
local_tod(int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_hour * 3600LL + tm.tm_min * 60LL + tm.tm_sec;
}

/* Whether a shift row covers now_us. */
static bool
covers(const json_t *row, int64_t now_us)
{
	int64_t starts = json_integer_value(json_object_get(row, "starts_at"));
	int64_t ends = json_integer_value(json_object_get(row, "ends_at"));

	if (!json_integer_value(json_object_get(row, "daily")))
		return starts <= now_us && now_us < ends;
	if (now_us < starts)
		return false;
	int64_t into = ((local_tod(now_us) - local_tod(starts)) % DAY_S + DAY_S) % DAY_S;
	return into < (ends - starts) / 1000000;
}

int
cases_duty_now(struct cases *cs, int64_t now_us, json_t **out)
{
	json_t *rows = NULL, *row, *now = NULL;
	size_t i;
	int r;

	*out = NULL;
	if ((r = store_query(cs->st, SQL_DUTY_LIST, NULL, 0, 0, &rows)) != VG_OK)
		return r;
	if (!(now = json_array())) {
		json_decref(rows);
		return VG_ERR_NOMEM;
	}
	/* Rows come in escalation order; one person appears once, at their first shift. */
	json_array_foreach(rows, i, row) {
		const char *person = json_string_value(json_object_get(row, "person"));
		bool seen = false;
		size_t j;
		json_t *p;
		if (!covers(row, now_us))
			continue;
		json_array_foreach(now, j, p)
			seen = seen || strcmp(json_string_value(json_object_get(p, "person")), person) == 0;
		if (seen)
			continue;
		decorate_shift(row);
		json_array_append(now, row);
	}
	json_decref(rows);
	*out = now;
	return VG_OK;
}

int
cases_duty_handover(struct cases *cs, const char *from, const char *to, const char *note,
    const char *actor)
{
	int64_t id = 0;
	int r;

	if (!from || !*from || !to || !*to || !actor)
		return VG_ERR_INVAL;
	if ((r = store_begin(cs->st)) != VG_OK)
		return r;
	struct store_val b[] = { SV_INT(vg_now_us()), SV_TEXT(from), SV_TEXT(to), SV_TEXT(note) };
	if ((r = store_exec(cs->st, SQL_HANDOVER_ADD, b, 4, &id, NULL)) != VG_OK ||
	    (r = cases_audit(cs, actor, "duty.handover", "handover %lld: %s -> %s", (long long)id,
		 from, to)) != VG_OK)
		return cases_fail(cs, r);
	return store_commit(cs->st) == VG_OK ? VG_OK : cases_fail(cs, VG_ERR_STORE);
}

int
cases_duty_handovers(struct cases *cs, size_t limit, json_t **out)
{
	json_t *row;
	size_t i;
	int r = store_query(cs->st, SQL_HANDOVER_LIST,
	    (struct store_val[]){ SV_INT(limit ? limit : 20) }, 1, 0, out);

	if (r != VG_OK)
		return r;
	json_array_foreach(*out, i, row)
		cases_json_time(row, "at");
	return VG_OK;
}
