/* Myers' greedy diff. Common prefix/suffix lines are stripped first (a defacement is
 * usually a small insert into a large page), then the trace of V vectors, kept only
 * for the band -d..d, is walked back into an edit script. */
#include "monitor/diff.h"
#include "core/err.h"
#include "core/esc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct line {
	const char *p;
	size_t len;		/* without the newline */
	uint32_t h;
};

enum { OP_EQ = '=', OP_DEL = '-', OP_ADD = '+' };

struct op {
	char type;
	size_t ai, bi;		/* line indexes in a (EQ, DEL) and b (EQ, ADD) */
};

struct diff {
	struct line *a, *b;
	size_t na, nb;
	struct op *ops;
	size_t nops, cap;
	size_t added, deleted;
};

static uint32_t
fnv(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static int
split(const char *s, size_t len, struct line **out, size_t *n)
{
	size_t count = 0, i = 0;
	struct line *l;

	for (size_t j = 0; j < len; j++)
		count += s[j] == '\n';
	if (len && s[len - 1] != '\n')
		count++;
	if (count > DIFF_MAX_LINES)
		return VG_ERR_LIMIT;
	if (!(l = calloc(count + 1, sizeof(*l))))
		return VG_ERR_NOMEM;
	const char *p = s, *end = s + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		l[i].p = p;
		l[i].len = ll;
		l[i].h = fnv(p, ll);
		i++;
		p += ll + (nl ? 1 : 0);
	}
	*out = l;
	*n = i;
	return VG_OK;
}

static bool
eq(const struct diff *d, size_t i, size_t j)
{
	return d->a[i].h == d->b[j].h && d->a[i].len == d->b[j].len &&
	    memcmp(d->a[i].p, d->b[j].p, d->a[i].len) == 0;
}

static int
push(struct diff *d, char type, size_t ai, size_t bi)
{
	if (d->nops == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct op *n = realloc(d->ops, cap * sizeof(*n));
		if (!n)
			return VG_ERR_NOMEM;
		d->ops = n;
		d->cap = cap;
	}
	d->ops[d->nops++] = (struct op){ type, ai, bi };
	if (type == OP_ADD)
		d->added++;
	else if (type == OP_DEL)
		d->deleted++;
	return VG_OK;
}

/* Myers on a[a0..a1) x b[b0..b1); appends ops in forward order. Falls back to
 * delete-all/add-all when the edit distance exceeds DIFF_MAX_D. */
static int
myers(struct diff *d, size_t a0, size_t a1, size_t b0, size_t b1)
{
	long n = (long)(a1 - a0), m = (long)(b1 - b0), max = n + m, dmax, found = -1;
	long *v = NULL, **trace = NULL;
	struct op *rev = NULL;
	size_t nrev = 0;
	int ret = VG_ERR_NOMEM;

	dmax = max < DIFF_MAX_D ? max : DIFF_MAX_D;
	if (!(v = calloc((size_t)(2 * dmax + 3), sizeof(long))) ||
	    !(trace = calloc((size_t)dmax + 1, sizeof(long *))))
		goto out;
	long off = dmax + 1;
	v[off + 1] = 0;
	for (long dd = 0; dd <= dmax && found < 0; dd++) {
		/* save V before step dd for the band -dd-1..dd+1 */
		if (!(trace[dd] = malloc((size_t)(2 * dd + 3) * sizeof(long))))
			goto out;
		memcpy(trace[dd], &v[off - dd - 1], (size_t)(2 * dd + 3) * sizeof(long));
		for (long k = -dd; k <= dd; k += 2) {
			long x;
			if (k == -dd || (k != dd && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			long y = x - k;
			while (x < n && y < m && eq(d, a0 + (size_t)x, b0 + (size_t)y)) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= n && y >= m) {
				found = dd;
				break;
			}
		}
	}
	if (found < 0) {
		for (size_t i = a0; i < a1; i++)
			if (push(d, OP_DEL, i, 0) != VG_OK)
				goto out;
		for (size_t j = b0; j < b1; j++)
			if (push(d, OP_ADD, 0, j) != VG_OK)
				goto out;
		ret = VG_OK;
		goto out;
	}
	if (!(rev = malloc((size_t)(n + m + 1) * sizeof(*rev))))
		goto out;
	long x = n, y = m;
	for (long dd = found; dd >= 0; dd--) {
		long *tv = trace[dd], toff = dd + 1, k = x - y, pk, px, py;
		if (dd == 0) {
			while (x > 0 && y > 0) {
				rev[nrev++] = (struct op){ OP_EQ, a0 + (size_t)x - 1, b0 + (size_t)y - 1 };
				x--;
				y--;
			}
			break;
		}
		if (k == -dd || (k != dd && tv[toff + k - 1] < tv[toff + k + 1]))
			pk = k + 1;
		else
			pk = k - 1;
		px = tv[toff + pk];
		py = px - pk;
		while (x > px && y > py) {
			rev[nrev++] = (struct op){ OP_EQ, a0 + (size_t)x - 1, b0 + (size_t)y - 1 };
			x--;
			y--;
		}
		if (x == px)
			rev[nrev++] = (struct op){ OP_ADD, 0, b0 + (size_t)y - 1 };
		else
			rev[nrev++] = (struct op){ OP_DEL, a0 + (size_t)x - 1, 0 };
		x = px;
		y = py;
	}
	for (size_t i = nrev; i > 0; i--)
		if (push(d, rev[i - 1].type, rev[i - 1].ai, rev[i - 1].bi) != VG_OK)
			goto out;
	ret = VG_OK;
out:
	if (trace)
		for (long i = 0; i <= dmax; i++)
			free(trace[i]);
	free(trace);
	free(v);
	free(rev);
	return ret;
}

int
diff_lines(const char *a, size_t alen, const char *b, size_t blen, struct diff **out)
{
	struct diff *d = calloc(1, sizeof(*d));
	size_t pre = 0, suf = 0;
	int ret;

	*out = NULL;
	if (!d)
		return VG_ERR_NOMEM;
	if ((ret = split(a, alen, &d->a, &d->na)) != VG_OK ||
	    (ret = split(b, blen, &d->b, &d->nb)) != VG_OK)
		goto fail;
	while (pre < d->na && pre < d->nb && eq(d, pre, pre))
		pre++;
	while (suf < d->na - pre && suf < d->nb - pre && eq(d, d->na - 1 - suf, d->nb - 1 - suf))
		suf++;
	for (size_t i = 0; i < pre; i++)
		if ((ret = push(d, OP_EQ, i, i)) != VG_OK)
			goto fail;
	if ((ret = myers(d, pre, d->na - suf, pre, d->nb - suf)) != VG_OK)
		goto fail;
	for (size_t i = 0; i < suf; i++)
		if ((ret = push(d, OP_EQ, d->na - suf + i, d->nb - suf + i)) != VG_OK)
			goto fail;
	*out = d;
	return VG_OK;
fail:
	diff_free(d);
	return ret;
}

void
diff_free(struct diff *d)
{
	if (!d)
		return;
	free(d->a);
	free(d->b);
	free(d->ops);
	free(d);
}

size_t diff_added(const struct diff *d) { return d->added; }
size_t diff_deleted(const struct diff *d) { return d->deleted; }

static int
put_line(struct vg_buf *out, char mark, const struct line *l)
{
	int r = vg_buf_put(out, &mark, 1);
	if (r == VG_OK)
		r = vg_buf_put(out, l->p, l->len);
	if (r == VG_OK)
		r = vg_buf_put(out, "\n", 1);
	return r;
}

int
diff_unified(const struct diff *d, const char *a_name, const char *b_name, int context,
    struct vg_buf *out)
{
	size_t i = 0, ctx = context < 0 ? 0 : (size_t)context;
	int r;

	if (d->added == 0 && d->deleted == 0)
		return VG_OK;
	/* The names are file names from the web root: a newline in one would make a
	 * diff line of its own. The body lines are framed by their ' ', '+', '-'. */
	if ((r = vg_buf_puts(out, "--- ")) != VG_OK ||
	    (r = vg_esc_buf(out, a_name, strlen(a_name))) != VG_OK ||
	    (r = vg_buf_puts(out, "\n+++ ")) != VG_OK ||
	    (r = vg_esc_buf(out, b_name, strlen(b_name))) != VG_OK ||
	    (r = vg_buf_puts(out, "\n")) != VG_OK)
		return r;
	while (i < d->nops) {
		/* find the next change */
		size_t c = i;
		while (c < d->nops && d->ops[c].type == OP_EQ)
			c++;
		if (c == d->nops)
			break;
		size_t start = c >= ctx ? c - ctx : 0;
		if (start < i)
			start = i;
		/* extend the hunk while changes are within 2*ctx of each other */
		size_t end = c, last_change = c;
		while (end < d->nops) {
			if (d->ops[end].type != OP_EQ)
				last_change = end;
			else if (end - last_change > 2 * ctx)
				break;
			end++;
		}
		end = last_change + 1 + ctx < d->nops ? last_change + 1 + ctx : d->nops;
		size_t as = 0, bs = 0, an = 0, bn = 0;
		bool aset = false, bset = false;
		for (size_t k = start; k < end; k++) {
			const struct op *o = &d->ops[k];
			if (o->type != OP_ADD) {
				if (!aset) { as = o->ai; aset = true; }
				an++;
			}
			if (o->type != OP_DEL) {
				if (!bset) { bs = o->bi; bset = true; }
				bn++;
			}
		}
		/* position of an empty side: the line before the hunk (unified convention) */
		if (!aset)
			for (size_t k = start; k < d->nops && !aset; k++)
				if (d->ops[k].type != OP_ADD) { as = d->ops[k].ai; aset = true; }
		if (!bset)
			for (size_t k = start; k < d->nops && !bset; k++)
				if (d->ops[k].type != OP_DEL) { bs = d->ops[k].bi; bset = true; }
		if (!aset)
			as = d->na;
		if (!bset)
			bs = d->nb;
		if ((r = vg_buf_putf(out, "@@ -%zu,%zu +%zu,%zu @@\n", an ? as + 1 : as, an,
		    bn ? bs + 1 : bs, bn)) != VG_OK)
			return r;
		for (size_t k = start; k < end; k++) {
			const struct op *o = &d->ops[k];
			r = o->type == OP_ADD ? put_line(out, '+', &d->b[o->bi])
			    : put_line(out, o->type == OP_DEL ? '-' : ' ', &d->a[o->ai]);
			if (r != VG_OK)
				return r;
		}
		i = end;
	}
	return VG_OK;
}

int
diff_added_text(const struct diff *d, struct vg_buf *out)
{
	for (size_t k = 0; k < d->nops; k++) {
		if (d->ops[k].type != OP_ADD)
			continue;
		const struct line *l = &d->b[d->ops[k].bi];
		int r = vg_buf_put(out, l->p, l->len);
		if (r == VG_OK)
			r = vg_buf_put(out, "\n", 1);
		if (r != VG_OK)
			return r;
	}
	return VG_OK;
}

bool
diff_is_text(const char *data, size_t len)
{
	return memchr(data, '\0', len < 8192 ? len : 8192) == NULL;
}
