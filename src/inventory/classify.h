/* Asset classification for a major-event plan: target, potential target,
 * springboard, key equipment, security device, shadow (and whatever classes a
 * team adds). The rules are data (rules/assets/classes.yaml): each rule names a
 * reason, an optional class and a risk score, and matches when any of its `when`
 * items does. An asset's risk is the sum of its matching rules' scores (capped
 * at 100) and every matching rule is one listed reason with its evidence. */
#ifndef VG_INV_CLASSIFY_H
#define VG_INV_CLASSIFY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct vg_store;
struct vg_buf;
struct classify_rules;

/* The rules file under a rules directory (the build's or installed rules/). */
#define CLASSIFY_RULES_FILE "assets/classes.yaml"

/* The rules file to use, into out: opt when given; else CLASSIFY_RULES_FILE under
 * monitor_rules (the configured detection rules directory, may be NULL) when it
 * has one; else under default_dir. */
void classify_rules_find(const char *opt, const char *monitor_rules, const char *default_dir,
    char *out, size_t size);

/* Loads and compiles a rules file. 0; VG_ERR_CONFIG with one
 * "file:line:col: message" line per problem appended to errs; VG_ERR_IO (cannot
 * read; errs says why); VG_ERR_NOMEM. Caller frees with classify_rules_free. */
int classify_rules_load(const char *path, struct classify_rules **out, struct vg_buf *errs);
/* Same from text (tests, fuzzing); name is for messages. */
int classify_rules_parse(const char *name, const char *text, size_t len,
    struct classify_rules **out, struct vg_buf *errs);
void classify_rules_free(struct classify_rules *r);
size_t classify_rules_count(const struct classify_rules *r);

/* Classifies every asset from what the store holds (assets_load: declared
 * inventory, services, links, shadow/stale) and stores class, classes, risk and
 * reasons on each, in one transaction (the caller must not hold one). *out (if
 * not NULL) becomes the classified assets_load array (caller decrefs).
 * 0 or VG_ERR_*. */
int classify_run(struct vg_store *st, const struct classify_rules *r, int64_t now_us,
    json_t **out);

/* The evaluation itself, for tests: assets is a JSON array of objects (address,
 * declared, level, internet_facing, role, system_name, hostname, shadow, stale,
 * services: [{port, proto, name, product, version, banner, http_title,
 * http_server, tls_subject, tls_issuer, tls_sans, tls_not_after}],
 * links: [dst addresses]); each gets "classes", "class", "risk" and "reasons" set
 * in place. 0 or VG_ERR_NOMEM. */
int classify_assets(const struct classify_rules *r, json_t *assets, int64_t now_us);

#endif
