/* Webshell scoring: the file is read once into memory (bounded by max_size) and that
 * buffer feeds the SHA-256, the statistics and YARA, so a file is never read twice and
 * a FIFO or device is never opened. YARA runs in fast mode (first match per string is
 * enough to know a rule fired), which keeps pathological inputs bounded. */
#include "monitor/webshell.h"

#include "core/sha256.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/paths.h"
#include "monitor/ws.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <yara.h>

/* Scanners kept for reuse; more concurrent callers than this still work, their
 * YR_SCANNERs are just destroyed after use instead of pooled. */
#define POOL_MAX 64
/* 4-gram uniqueness is estimated on a prefix: enough to tell code from packed data. */
#define NGRAM_PREFIX (256 * 1024)

struct pool_slot {
	YR_SCANNER *ys;
	struct pool_slot *next;
};

struct webshell_scanner {
	YR_RULES *rules;
	const struct vg_logger *log;
	long long max_size;
	int timeout_s;
	bool full;			/* statistics and SHA-256 for every file */
	size_t nrules;
	pthread_mutex_t lock;		/* guards pool */
	struct pool_slot *pool;
	size_t pooled;
};

const char *
webshell_level(int score)
{
	if (score >= WEBSHELL_MALICIOUS)
		return "malicious";
	if (score >= WEBSHELL_SUSPICIOUS)
		return "suspicious";
	return "clean";
}

struct compile_ctx {
	char *err;
	size_t err_size;
	int errors;
	const struct vg_logger *log;
};

static void
compile_cb(int level, const char *file, int line, const YR_RULE *rule, const char *msg,
    void *user)
{
	struct compile_ctx *c = user;

	(void)rule;
	if (level == YARA_ERROR_LEVEL_WARNING) {
		vg_warn(c->log, "webshell rules: %s:%d: %s", file ? file : "?", line, msg);
		return;
	}
	if (c->errors++ == 0 && c->err && c->err_size)
		snprintf(c->err, c->err_size, "%s:%d: %s", file ? file : "?", line, msg);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds one rule file; returns compile errors (counted by compile_cb) or -1 on I/O. */
static int
add_rule_file(YR_COMPILER *comp, struct compile_ctx *cc, const char *path)
{
	FILE *fp = fopen(path, "re");
	int n;

	if (!fp) {
		if (cc->errors++ == 0)
			snprintf(cc->err, cc->err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = yr_compiler_add_file(comp, fp, NULL, path);
	fclose(fp);
	return n;
}

/* Collects the *.yar / *.yara names of dir, sorted, so rule order is stable. */
static int
list_rule_files(const char *dir, char ***out, size_t *n_out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int ret = VG_OK;

	*out = NULL;
	*n_out = 0;
	if (!d)
		return errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		if (!((l > 4 && strcmp(de->d_name + l - 4, ".yar") == 0) ||
			(l > 5 && strcmp(de->d_name + l - 5, ".yara") == 0)))
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv = realloc(v, nc * sizeof(*v));
			if (!nv) {
				ret = VG_ERR_NOMEM;
				goto out;
			}
			v = nv;
			cap = nc;
		}
		size_t plen = strlen(dir) + 1 + l + 1;
		if (!(v[n] = malloc(plen))) {
			ret = VG_ERR_NOMEM;
			goto out;
		}
		snprintf(v[n], plen, "%s/%s", dir, de->d_name);
		n++;
	}
	qsort(v, n, sizeof(*v), name_cmp);
out:
	closedir(d);
	if (ret != VG_OK) {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return ret;
	}
	*out = v;
	*n_out = n;
	return VG_OK;
}

int
webshell_scanner_new(const char *rules_path, const struct vg_logger *log,
    struct webshell_scanner **out, char *err, size_t err_size)
{
	struct webshell_scanner *s = NULL;
	YR_COMPILER *comp = NULL;
	struct compile_ctx cc = { .err = err, .err_size = err_size, .log = log };
	char **files = NULL;
	size_t nfiles = 0;
	struct stat st;
	bool yr_inited = false;
	int ret;

	*out = NULL;
	if (err && err_size)
		err[0] = '\0';
	if (!rules_path || !err || !err_size)
		return VG_ERR_INVAL;
	if (stat(rules_path, &st) != 0) {
		snprintf(err, err_size, "%s: %s", rules_path, strerror(errno));
		return errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
	}
	if (yr_initialize() != ERROR_SUCCESS) {
		snprintf(err, err_size, "libyara failed to initialise");
		return VG_ERR_NOMEM;
	}
	yr_inited = true;
	if (S_ISDIR(st.st_mode)) {
		ret = list_rule_files(rules_path, &files, &nfiles);
		if (ret != VG_OK) {
			snprintf(err, err_size, "%s: cannot list rule files: %s", rules_path,
			    vg_strerror(ret));
			goto out;
		}
		if (nfiles == 0) {
			snprintf(err, err_size, "%s: no *.yar rule files", rules_path);
			ret = VG_ERR_NOTFOUND;
			goto out;
		}
	}
	if (yr_compiler_create(&comp) != ERROR_SUCCESS) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	yr_compiler_set_callback(comp, compile_cb, &cc);
	if (yr_compiler_define_boolean_variable(comp, WEBSHELL_EXT_HEX_KEY, 0) != ERROR_SUCCESS) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	if (files) {
		/* YARA cannot add files after an error, so stop at the first bad one. */
		for (size_t i = 0; i < nfiles && cc.errors == 0; i++)
			add_rule_file(comp, &cc, files[i]);
	} else {
		add_rule_file(comp, &cc, rules_path);
	}
	if (cc.errors) {
		ret = VG_ERR_PARSE;
		goto out;
	}
	if (!(s = calloc(1, sizeof(*s)))) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	if (yr_compiler_get_rules(comp, &s->rules) != ERROR_SUCCESS) {
		snprintf(err, err_size, "%s: cannot build compiled rules", rules_path);
		ret = VG_ERR_NOMEM;
		goto out;
	}
	{
		YR_RULE *r;
		yr_rules_foreach(s->rules, r)
			s->nrules++;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->log = log;
	s->max_size = WEBSHELL_DEFAULT_MAX_SIZE;
	s->timeout_s = WEBSHELL_DEFAULT_TIMEOUT;
	vg_debug(log, "webshell: %zu rules compiled from %s", s->nrules, rules_path);
	*out = s;
	s = NULL;
	ret = VG_OK;
out:
	if (comp)
		yr_compiler_destroy(comp);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	if (s) {
		if (s->rules)
			yr_rules_destroy(s->rules);
		free(s);
	}
	if (ret != VG_OK && yr_inited)
		yr_finalize();
	return ret;
}

void
webshell_scanner_set_limits(struct webshell_scanner *s, long long max_size, int timeout_s)
{
	if (max_size > 0)
		s->max_size = max_size;
	if (timeout_s > 0)
		s->timeout_s = timeout_s;
}

int
webshell_find_rules(char *out, size_t size)
{
	const char *env = getenv("VIGIL_WEBSHELL_RULES");

	out[0] = '\0';
	if (env && env[0])
		return vg_strlcpy(out, env, size);
	return vg_find_data_dir("rules/webshell", out, size);
}

void
webshell_scanner_set_full(struct webshell_scanner *s, bool on)
{
	s->full = on;
}

size_t
webshell_scanner_rule_count(const struct webshell_scanner *s)
{
	return s->nrules;
}

void
webshell_scanner_free(struct webshell_scanner *s)
{
	if (!s)
		return;
	while (s->pool) {
		struct pool_slot *p = s->pool;
		s->pool = p->next;
		yr_scanner_destroy(p->ys);
		free(p);
	}
	pthread_mutex_destroy(&s->lock);
	yr_rules_destroy(s->rules);
	free(s);
	yr_finalize();
}

/* Takes a pooled YR_SCANNER or makes one; NULL on allocation failure. */
static struct pool_slot *
slot_get(struct webshell_scanner *s)
{
	struct pool_slot *p;

	pthread_mutex_lock(&s->lock);
	p = s->pool;
	if (p) {
		s->pool = p->next;
		s->pooled--;
	}
	pthread_mutex_unlock(&s->lock);
	if (p)
		return p;
	if (!(p = calloc(1, sizeof(*p))))
		return NULL;
	if (yr_scanner_create(s->rules, &p->ys) != ERROR_SUCCESS) {
		free(p);
		return NULL;
	}
	return p;
}

static void
slot_put(struct webshell_scanner *s, struct pool_slot *p)
{
	pthread_mutex_lock(&s->lock);
	if (s->pooled < POOL_MAX) {
		p->next = s->pool;
		s->pool = p;
		s->pooled++;
		p = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	if (p) {
		yr_scanner_destroy(p->ys);
		free(p);
	}
}

/* Appends item to a comma list unless already there; false if it did not fit. */
static bool
list_add(char *list, size_t size, const char *item)
{
	size_t have = strlen(list), il = strlen(item);
	const char *p = list;

	while ((p = strstr(p, item))) {
		if ((p == list || p[-1] == ',') && (p[il] == ',' || p[il] == '\0'))
			return true;
		p += il;
	}
	if (have + (have ? 1 : 0) + il + 1 > size)
		return false;
	if (have)
		list[have++] = ',';
	memcpy(list + have, item, il + 1);
	return true;
}

struct match_ctx {
	struct webshell_finding *f;
	int weight_sum;
	bool layer;			/* scanning a decoded layer: each rule counts once */
};

static int
yara_cb(YR_SCAN_CONTEXT *ctx, int msg, void *data, void *user)
{
	struct match_ctx *m = user;
	const YR_RULE *rule = data;
	const YR_META *meta;
	const char *family = "unknown";
	int64_t weight = 0;

	(void)ctx;
	if (msg == CALLBACK_MSG_TOO_MANY_MATCHES) {
		m->f->yara_limited = true;
		return CALLBACK_CONTINUE;
	}
	if (msg != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	yr_rule_metas_foreach(rule, meta) {
		if (strcmp(meta->identifier, "family") == 0 && meta->type == META_TYPE_STRING)
			family = meta->string;
		else if (strcmp(meta->identifier, "weight") == 0 && meta->type == META_TYPE_INTEGER)
			weight = meta->integer;
	}
	if (weight < 0)
		weight = 0;
	if (weight > 100)
		weight = 100;
	if (m->layer) {
		size_t il = strlen(rule->identifier);
		for (const char *p = m->f->rules; (p = strstr(p, rule->identifier)); p += il)
			if ((p == m->f->rules || p[-1] == ',') && (p[il] == ',' || p[il] == '\0'))
				return CALLBACK_CONTINUE;
	}
	m->weight_sum += (int)weight;
	if (!list_add(m->f->rules, sizeof(m->f->rules), rule->identifier) ||
	    !list_add(m->f->families, sizeof(m->f->families), family))
		m->f->lists_truncated = true;
	return CALLBACK_CONTINUE;
}

/* A quoted literal of exactly 16 lowercase hex chars: the shape of the AES/XOR key
 * Behinder and Godzilla hard-code (the first half of an MD5). Found here because
 * a YARA regex for it has no literal atom and made every scan ~3x slower. */
static bool
has_hex16_literal(const unsigned char *d, size_t n)
{
	for (size_t i = 0; i + 17 < n; i++) {
		if (d[i] != '"' && d[i] != '\'')
			continue;
		size_t j = 1;
		while (j <= 16 && ((d[i + j] >= '0' && d[i + j] <= '9') ||
			(d[i + j] >= 'a' && d[i + j] <= 'f')))
			j++;
		if (j == 17 && d[i + 17] == d[i])
			return true;
	}
	return false;
}

static bool
has_script_marker(const unsigned char *d, size_t n)
{
	return memmem(d, n, "<?", 2) || memmem(d, n, "<%", 2) ||
	    memmem(d, n, "runat=", 6) || memmem(d, n, "jsp:", 4);
}

/* Fills the statistics of f and returns their score contribution. */
static int
file_stats(const unsigned char *d, size_t n, struct webshell_finding *f)
{
	size_t hist[256] = { 0 }, run = 0, longest = 0, nonprint = 0;
	int score = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = d[i];
		hist[c]++;
		if (c == ' ' || (c >= '\t' && c <= '\r')) {
			run = 0;
		} else if (++run > longest) {
			longest = run;
		}
	}
	for (int c = 0; c < 0x20; c++)
		if (c != '\t' && c != '\n' && c != '\r')
			nonprint += hist[c];
	nonprint += hist[0x7f];
	double ent = 0;
	for (int i = 0; i < 256 && n; i++) {
		if (!hist[i])
			continue;
		double p = (double)hist[i] / (double)n;
		ent -= p * log2(p);
	}
	f->entropy = ent;
	f->longest_token = longest;
	f->nonprint_share = n ? (double)nonprint / (double)n : 0;

	/* Binary files (images, fonts, archives) look random by nature; their
	 * statistics say nothing about scripts, so they add nothing. "Binary" as git
	 * and grep decide it: a NUL byte near the start. */
	f->compress_ratio = 0;
	if (n < 256 || memchr(d, '\0', n < 8192 ? n : 8192) || f->nonprint_share >= 0.10)
		return 0;
	/* Compression estimate: share of 4-grams not seen before in the prefix, via a
	 * bitset sized to the input (collisions only make data look more compressible). */
	size_t m = n < NGRAM_PREFIX ? n : NGRAM_PREFIX;
	{
		size_t bits = 1024;
		while (bits < m * 8)
			bits <<= 1;
		uint64_t *set = calloc(bits / 64, sizeof(uint64_t));
		if (set) {
			size_t fresh = 0, total = m - 3;
			for (size_t i = 0; i + 4 <= m; i++) {
				uint32_t v;
				memcpy(&v, d + i, 4);
				uint32_t h = (v * 2654435761u) ^ (v >> 15);
				h = (h * 2246822519u) & (uint32_t)(bits - 1);
				if (!(set[h / 64] & (1ull << (h % 64)))) {
					set[h / 64] |= 1ull << (h % 64);
					fresh++;
				}
			}
			f->compress_ratio = (double)fresh / (double)total;
			free(set);
		}
	}

	if (ent >= 5.8)
		score += 10;
	else if (ent >= 5.5)
		score += 5;
	if (longest >= 4096)
		score += 15;
	else if (longest >= 1024)
		score += 8;
	if (n >= 1024 && f->compress_ratio >= 0.75)
		score += 10;
	if (f->nonprint_share >= 0.02 && has_script_marker(d, n))
		score += 10;
	return score > WEBSHELL_STATS_MAX ? WEBSHELL_STATS_MAX : score;
}

/* Taint paths of the script (monitor/ws.h) plus the rules run again over every static
 * encoding layer it unfolded; returns the weight they add. */
static int
script_analysis(struct webshell_scanner *s, struct pool_slot *slot, const unsigned char *data,
    size_t len, struct match_ctx *m)
{
	struct ws_result r;
	enum ws_lang lang = ws_detect_lang(m->f->path, data, len);

	if (lang == WS_LANG_NONE || ws_analyze(lang, data, len, &r) != VG_OK)
		return 0;
	if (r.limited)
		vg_debug(s->log, "webshell: %s: script analysis hit a per-file cap", m->f->path);
	for (int k = 0; k < WS_K_MAX; k++) {
		if (r.weight[k] < WEBSHELL_SUSPICIOUS / 2)
			continue;
		if (!list_add(m->f->rules, sizeof(m->f->rules), ws_kind_name(k)) ||
		    !list_add(m->f->families, sizeof(m->f->families), ws_kind_family(k)))
			m->f->lists_truncated = true;
	}
	m->layer = true;
	for (size_t i = 0; i < r.nblobs; i++)
		yr_scanner_scan_mem(slot->ys, r.blobs[i].data, r.blobs[i].len);
	m->layer = false;
	ws_result_free(&r);
	return r.score;
}

static void
finding_reset(struct webshell_finding *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	vg_strlcpy(f->path, path ? path : "", sizeof(f->path));
	f->level = "clean";
}

int
webshell_scan_mem(struct webshell_scanner *s, const char *path, const unsigned char *data,
    size_t len, struct webshell_finding *f)
{
	struct match_ctx m = { .f = f };
	struct pool_slot *slot;
	int yr;

	finding_reset(f, path);
	if (!s || (!data && len))
		return VG_ERR_INVAL;
	f->size = (long long)len;
	if (!(slot = slot_get(s)))
		return VG_ERR_NOMEM;
	yr_scanner_set_callback(slot->ys, yara_cb, &m);
	yr_scanner_set_timeout(slot->ys, s->timeout_s);
	yr_scanner_set_flags(slot->ys, SCAN_FLAGS_FAST_MODE);
	yr_scanner_define_boolean_variable(slot->ys, WEBSHELL_EXT_HEX_KEY,
	    has_hex16_literal(data, len));
	yr = yr_scanner_scan_mem(slot->ys, data, len);
	if (yr == ERROR_SUCCESS || yr == ERROR_SCAN_TIMEOUT)
		m.weight_sum += script_analysis(s, slot, data, len, &m);
	slot_put(s, slot);
	if (yr == ERROR_SCAN_TIMEOUT || yr == ERROR_TOO_MANY_MATCHES ||
	    yr == ERROR_TOO_MANY_RE_FIBERS) {
		/* Keep what matched before the limit: a partial verdict beats none. */
		f->yara_limited = true;
		vg_warn(s->log, "webshell: %s: YARA limit hit (error %d); result is partial",
		    f->path, yr);
	} else if (yr != ERROR_SUCCESS) {
		vg_warn(s->log, "webshell: %s: YARA error %d", f->path, yr);
		return yr == ERROR_INSUFFICIENT_MEMORY ? VG_ERR_NOMEM : VG_ERR_IO;
	}
	f->rule_score = m.weight_sum > 100 ? 100 : m.weight_sum;
	/* Statistics alone stay below "suspicious" (WEBSHELL_STATS_MAX), so for a file
	 * no rule touched they cannot change the level: skip them unless asked for a
	 * full report. Clean files, the bulk of any tree, then cost only the YARA pass. */
	if (f->rule_score > 0 || s->full)
		f->stats_score = file_stats(data, len, f);
	f->score = f->rule_score + f->stats_score;
	if (f->score > 100)
		f->score = 100;
	f->level = webshell_level(f->score);
	/* SHA-256 costs more than the YARA pass on clean trees; only what gets
	 * reported (or everything, on request) is hashed. */
	if (s->full || f->score >= WEBSHELL_SUSPICIOUS) {
		if (vg_sha256_hex(data, len, f->sha256) != VG_OK)
			return VG_ERR_NOMEM;
	}
	return VG_OK;
}

int
webshell_scan_file(struct webshell_scanner *s, const char *path, struct webshell_finding *f)
{
	struct stat st;
	int fd, ret;

	finding_reset(f, path);
	if (!s || !path)
		return VG_ERR_INVAL;
	/* lstat first: a FIFO would block open(), a device might have side effects. */
	if (lstat(path, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? VG_ERR_NOTFOUND : VG_ERR_IO;
	if (!S_ISREG(st.st_mode))
		return VG_ERR_FORMAT;
	if (st.st_size > s->max_size) {
		f->size = (long long)st.st_size;
		return VG_ERR_LIMIT;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return VG_ERR_NOTFOUND;
		return errno == ELOOP ? VG_ERR_FORMAT : VG_ERR_IO;
	}
	ret = webshell_scan_fd(s, fd, path, f);
	int saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

int
webshell_scan_fd(struct webshell_scanner *s, int fd, const char *path,
    struct webshell_finding *f)
{
	unsigned char *data = NULL;
	struct stat st = { 0 };
	size_t len = 0, cap;
	int ret;

	finding_reset(f, path);
	if (!s || fd < 0)
		return VG_ERR_INVAL;
	/* The path may have been swapped between the caller's lstat and open. */
	if (fstat(fd, &st) != 0) {
		ret = VG_ERR_IO;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = VG_ERR_FORMAT;
		goto out;
	}
	if (st.st_size > s->max_size) {
		f->size = (long long)st.st_size;
		ret = VG_ERR_LIMIT;
		goto out;
	}
	/* Read to EOF but never past max_size: the file may grow while we read. */
	cap = (size_t)st.st_size + 1;
	if (!(data = malloc(cap))) {
		ret = VG_ERR_NOMEM;
		goto out;
	}
	for (;;) {
		if (len == cap) {
			size_t nc = cap * 2;
			if ((long long)len > s->max_size) {
				ret = VG_ERR_LIMIT;
				goto out;
			}
			unsigned char *nd = realloc(data, nc);
			if (!nd) {
				ret = VG_ERR_NOMEM;
				goto out;
			}
			data = nd;
			cap = nc;
		}
		ssize_t r = read(fd, data + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = VG_ERR_IO;
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if ((long long)len > s->max_size) {
		ret = VG_ERR_LIMIT;
		goto out;
	}
	ret = webshell_scan_mem(s, path, data, len, f);
out:
	if (ret != VG_OK && f->size == 0)
		f->size = (long long)st.st_size;
	{
		int saved = errno;	/* the caller may report why */
		free(data);
		errno = saved;
	}
	return ret;
}
