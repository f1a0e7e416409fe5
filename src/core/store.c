/* Store gateway: picks a back end by name, applies its numbered migrations, and
 * keeps each store's prepared statements (prepared on first use, keyed by the
 * address of their static struct store_sql, so record-kind files need no central
 * list of statement ids). Record kinds live in store_<kind>.c. */
#include "core/store_db.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vg_store {
	const struct store_db_ops *ops;
	void *db;
	const struct vg_logger *log;
	char *path;
	/* Open-addressing table of prepared statements; cap is a power of two
	 * and stays at most half full. */
	struct store_stmt **stmts;
	size_t cap, n;
};

static const struct store_db_ops *const backends[] = { &store_db_sqlite, NULL };

int
store_schema_latest(void)
{
	return store_migrations_count(store_db_sqlite.migrations);
}

int
store_migrations_count(const char *const *migrations)
{
	int n = 0;
	while (migrations[n])
		n++;
	return n;
}

static int
migrate(struct vg_store *s, int from, char *err, size_t err_size)
{
	const struct store_db_ops *ops = s->ops;
	int latest = store_migrations_count(ops->migrations);

	for (int v = from; v < latest; v++) {
		int now = v;
		if (ops->begin(s->db) != VG_OK)
			goto fail;
		/* Two processes (or scan's threads on a new vault) opening a new store at
		 * once: the one that waited for the write lock finds the step done. */
		if (ops->schema_version(s->db, &now) != VG_OK)
			now = v;
		if (now > v) {
			if (ops->commit(s->db) != VG_OK)
				goto fail;
			v = now - 1;
			continue;
		}
		if (ops->migrate(s->db, ops->migrations[v], v + 1) != VG_OK) {
			ops->rollback(s->db);
			goto fail;
		}
		if (ops->commit(s->db) != VG_OK)
			goto fail;
		vg_info(s->log, "store %s: migrated to schema %d", s->path, v + 1);
		continue;
fail:
		snprintf(err, err_size, "%s: migration to schema %d failed: %s", s->path, v + 1,
		    ops->errmsg(s->db));
		return VG_ERR_STORE;
	}
	return VG_OK;
}

int
store_open(const char *backend, const char *path, const struct vg_logger *log,
    struct vg_store **out, char *err, size_t err_size)
{
	const struct store_db_ops *ops = NULL;
	struct vg_store *s = NULL;
	int version = 0, r;

	*out = NULL;
	if (err && err_size)
		err[0] = '\0';
	for (size_t i = 0; backends[i]; i++)
		if (strcmp(backends[i]->name, backend ? backend : "sqlite") == 0)
			ops = backends[i];
	if (!ops) {
		if (err)
			snprintf(err, err_size, "unknown store backend '%s'", backend);
		return VG_ERR_INVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return VG_ERR_NOMEM;
	}
	s->ops = ops;
	s->log = log;
	r = ops->open(path, log, &s->db, err, err_size);
	if (r != VG_OK)
		goto out;
	r = ops->schema_version(s->db, &version);
	if (r != VG_OK) {
		snprintf(err, err_size, "%s: cannot read store: %s", path, ops->errmsg(s->db));
		goto out;
	}
	if ((r = migrate(s, version, err, err_size)) != VG_OK)
		goto out;
	*out = s;
	s = NULL;
out:
	store_close(s);
	return r;
}

void
store_close(struct vg_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++) {
		if (s->stmts[i]) {
			s->ops->finalize(s->stmts[i]->st);
			free(s->stmts[i]);
		}
	}
	free(s->stmts);
	s->ops->close(s->db);
	free(s->path);
	free(s);
}

const char *
store_errmsg(const struct vg_store *s)
{
	return s->ops->errmsg(s->db);
}

int store_schema_version(struct vg_store *s, int *v) { return s->ops->schema_version(s->db, v); }
int store_begin(struct vg_store *s) { return s->ops->begin(s->db); }
int store_commit(struct vg_store *s) { return s->ops->commit(s->db); }
int store_rollback(struct vg_store *s) { return s->ops->rollback(s->db); }
int64_t store_last_insert_id(struct vg_store *s) { return s->ops->last_insert_id(s->db); }
int64_t store_changes(struct vg_store *s) { return s->ops->changes(s->db); }

static size_t
slot_of(const void *key, size_t cap)
{
	/* Keys are addresses of static objects: drop the low bits, which vary least. */
	uintptr_t h = (uintptr_t)key >> 3;
	h *= (uintptr_t)0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 7) & (cap - 1);
}

static int
cache_grow(struct vg_store *s)
{
	size_t cap = s->cap ? s->cap * 2 : 32;
	struct store_stmt **t = calloc(cap, sizeof(*t));
	if (!t)
		return VG_ERR_NOMEM;
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->stmts[i])
			continue;
		size_t j = slot_of(s->stmts[i]->key, cap);
		while (t[j])
			j = (j + 1) & (cap - 1);
		t[j] = s->stmts[i];
	}
	free(s->stmts);
	s->stmts = t;
	s->cap = cap;
	return VG_OK;
}

/* Finds or prepares the statement cached under key; q is used to prepare it
 * (for text statements, copied into the entry so it lives as long as it). */
static int
lookup(struct vg_store *s, const void *key, const struct store_sql *q, struct store_stmt **out)
{
	struct store_stmt *t;
	size_t j;
	int r;

	*out = NULL;
	if (s->cap) {
		for (j = slot_of(key, s->cap); s->stmts[j]; j = (j + 1) & (s->cap - 1)) {
			if (s->stmts[j]->key == key) {
				*out = s->stmts[j];
				return VG_OK;
			}
		}
	}
	if ((s->n + 1) * 2 > s->cap && (r = cache_grow(s)) != VG_OK)
		return r;
	if (!(t = calloc(1, sizeof(*t))))
		return VG_ERR_NOMEM;
	*t = (struct store_stmt){ .ops = s->ops, .db = s->db, .key = key, .own = *q,
		.owner = s };
	t->q = key == (const void *)q ? q : &t->own;
	if ((r = s->ops->prepare(s->db, t->q, &t->st)) != VG_OK) {
		vg_warn(s->log, "store %s: cannot prepare %s: %s", s->path, q->name,
		    s->ops->errmsg(s->db));
		free(t);
		return r;
	}
	for (j = slot_of(key, s->cap); s->stmts[j]; j = (j + 1) & (s->cap - 1))
		;
	s->stmts[j] = t;
	s->n++;
	*out = t;
	return VG_OK;
}

int
store_stmt(struct vg_store *s, const struct store_sql *q, struct store_stmt **out)
{
	return lookup(s, q, q, out);
}

int
store_stmt_text(struct vg_store *s, const char *sql, struct store_stmt **out)
{
	const struct store_sql q = { .name = "statement", .sql = sql };
	return lookup(s, sql, &q, out);
}

int
store_step(struct store_stmt *t)
{
	int r = t->ops->step(t->db, t->st);
	if (r < 0)
		vg_warn(t->owner->log, "store %s: %s failed: %s", t->owner->path, t->q->name,
		    t->ops->errmsg(t->db));
	return r;
}

int
store_run(struct store_stmt *t)
{
	int r = store_step(t);
	t->ops->reset(t->st);
	if (r == STORE_ROW)
		return VG_OK;	/* a write with RETURNING: the caller did not want the row */
	return r;
}

/* One statement so the counts come from one snapshot; tables in display order. */
static const struct store_sql q_stats = {
	.name = "row counts",
	.sql = "SELECT 'assets', count(*) FROM assets"
	       " UNION ALL SELECT 'services', count(*) FROM services"
	       " UNION ALL SELECT 'findings', count(*) FROM findings"
	       " UNION ALL SELECT 'alerts', count(*) FROM alerts"
	       " UNION ALL SELECT 'alert_events', count(*) FROM alert_events"
	       " UNION ALL SELECT 'cases', count(*) FROM cases"
	       " UNION ALL SELECT 'case_history', count(*) FROM case_history"
	       " UNION ALL SELECT 'actions', count(*) FROM actions"
	       " UNION ALL SELECT 'source_offsets', count(*) FROM source_offsets"
	       " UNION ALL SELECT 'audit', count(*) FROM audit"
	       " UNION ALL SELECT 'incidents', count(*) FROM incidents"
	       " UNION ALL SELECT 'incident_history', count(*) FROM incident_history"
	       " UNION ALL SELECT 'suppressions', count(*) FROM suppressions"
	       " UNION ALL SELECT 'notices', count(*) FROM notices"
	       " UNION ALL SELECT 'duty_shifts', count(*) FROM duty_shifts"
	       " UNION ALL SELECT 'outbox', count(*) FROM outbox",
};

int
store_stats(struct vg_store *s, json_t **out)
{
	struct store_stmt *t = NULL;
	json_t *o = NULL;
	int r;

	*out = NULL;
	if ((r = store_stmt(s, &q_stats, &t)) != VG_OK)
		return r;
	if (!(o = json_object())) {
		r = VG_ERR_NOMEM;
		goto out;
	}
	while ((r = store_step(t)) == STORE_ROW) {
		const char *name = store_col_text(t, 0);
		if (!name || json_object_set_new(o, name, json_integer(store_col_int64(t, 1))) != 0) {
			r = VG_ERR_NOMEM;
			break;
		}
	}
	if (r == STORE_DONE) {
		*out = o;
		o = NULL;
	}
out:
	store_reset(t);
	json_decref(o);
	return r;
}
