/* The service probe database: what to send to an open port and how to recognise
 * the answer. Data files in vigil's own grammar (rules/inventory/,
 * every FILE.probes there; the grammar heads probe.c), never nmap's. Parsed strictly, line by line, with
 * FILE:LINE in every message; matched with PCRE2 under a match limit. */
#ifndef VG_INV_PROBE_H
#define VG_INV_PROBE_H

#include "inventory/target.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROBE_NAME_MAX 32
#define PROBE_SEND_MAX 4096
#define PROBE_MAX 256		/* probes in a database */
#define PROBE_MATCH_MAX 4096	/* match rules in a database */

struct probe {
	char name[PROBE_NAME_MAX];
	unsigned char *send;	/* NULL/0 = the null probe: send nothing, hear a greeting */
	size_t send_len;
	struct port_list ports;		/* ports this probe is tried first on */
	struct port_list tls_ports;	/* ... and where it is sent inside TLS */
	int64_t wait_us;	/* how long to wait for an answer (0 = caller's default) */
};

struct probe_match_out {
	char service[32], product[80], version[64], info[160];
	char rule[16];		/* "FILE:LINE" of the match would be long; rule number */
};

struct probe_db;

/* Empty database; *out freed with probe_db_free. 0 or VG_ERR_NOMEM. */
int probe_db_new(struct probe_db **out);
void probe_db_free(struct probe_db *db);

/* Adds the rules in text[0..len) (name is used in messages). VG_ERR_PARSE with
 * err = "NAME:LINE: reason" at the first mistake (the database keeps what was
 * added before it); VG_ERR_LIMIT past PROBE_MAX / PROBE_MATCH_MAX. */
int probe_db_parse(struct probe_db *db, const char *text, size_t len, const char *name,
    char *err, size_t errsz);
/* A file, or every *.probes file of a directory in name order. */
int probe_db_load(struct probe_db *db, const char *path, char *err, size_t errsz);

size_t probe_db_count(const struct probe_db *db);
const struct probe *probe_db_get(const struct probe_db *db, size_t i);
size_t probe_db_rules(const struct probe_db *db);

/* First rule (in file order) that matches resp[0..len) and applies to probe (rules
 * without probe= apply to every answer). Captures are substituted into the
 * rule's product/version/info and escaped (core/esc), so out holds printable
 * text only. 1 = matched, 0 = none. Thread-safe on a loaded database. */
int probe_db_match(const struct probe_db *db, const char *probe, const void *resp, size_t len,
    struct probe_match_out *out);

/* The distinct GET paths other than "/" that http-tech rules read (at most max,
 * borrowed from db). */
size_t probe_db_tech_paths(const struct probe_db *db, const char **paths, size_t max);
/* Appends ", NAME[ VERSION]" for every http-tech rule of path that matches
 * resp[0..len) to list (a technology already listed is skipped). Returns how many
 * were added. */
int probe_db_tech(const struct probe_db *db, const char *path, const void *resp, size_t len,
    char *list, size_t size);

#endif
