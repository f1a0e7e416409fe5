/* Compiled classification rules, shared by the loader (classify_rules.c) and the
 * evaluator (classify.c) only. */
#ifndef VG_INV_CLASSIFY_INT_H
#define VG_INV_CLASSIFY_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cond_type { CT_BOOL, CT_INT, CT_REGEX, CT_PORTS, CT_CLASSES, CT_AGE };

/* Where a condition looks: the asset, one of its open services, or the classes
 * the first pass gave other assets. */
enum cond_scope { CS_ASSET, CS_SERVICE, CS_PEERS };

struct cond_key {
	const char *name;
	enum cond_type type;
	enum cond_scope scope;
	const char *field;	/* JSON member it reads (asset or service) */
	const char *doc;
};

struct cond {
	const struct cond_key *key;
	bool b;
	long long n;
	int64_t us;
	size_t nv;
	pcre2_code **re;	/* CT_REGEX */
	int *ports;		/* CT_PORTS */
	char **names;		/* CT_REGEX (texts, for evidence) and CT_CLASSES */
};

struct when {
	struct cond *c;
	size_t n;
};

struct rule {
	char *reason, *cls;
	int score;
	struct when *w;
	size_t nw;
	bool peers;	/* uses talks_to / same_system_as: evaluated in the second pass */
	size_t line;
};

struct classify_rules {
	struct rule *r;
	size_t n;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

extern const struct cond_key classify_keys[];

#endif
