/* What `vigil scan` prints: findings as a table or JSON lines (not-scanned findings
 * included), the progress bar on stderr and the summary. Attacker-chosen names go
 * through the one sanitiser (core/esc) in text; JSON escapes them itself. */
#include "monitor/treescan_print.h"
#include "core/esc.h"
#include "core/event.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* One JSON object per line; takes j (may be NULL: out of memory, nothing printed). */
static void
put_json(json_t *j)
{
	if (!j)
		return;
	json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

static json_t *
comma_list_json(const char *s)
{
	json_t *a = json_array();
	while (a && *s) {
		size_t l = strcspn(s, ",");
		json_array_append_new(a, json_stringn(s, l));
		s += l;
		if (*s == ',')
			s++;
	}
	return a;
}

static void
table_header(struct treescan_printer *r)
{
	if (!r->header_printed) {
		printf("%-11s %5s  %-40s %s\n", "LEVEL", "SCORE", "FAMILIES", "PATH");
		r->header_printed = true;
	}
}

/* A file or directory that was not scanned is a finding of its own: a padded shell over
 * --max-size or an unreadable directory must not pass as "nothing found". */
void
treescan_print_unscanned(void *arg, const struct treescan_unscanned *u)
{
	struct treescan_printer *r = arg;
	char why[256];

	treescan_why_text(u, r->max_size, why, sizeof(why));
	if (r->progress)
		fputs("\r\033[K", stderr);
	if (r->json) {
		json_t *j = json_pack("{s:o, s:s, s:s, s:s+}", "path",
		    vg_json_string_lossy(u->path, strlen(u->path)), "level", "not-scanned",
		    "reason", treescan_why_name(u->why), "finding", "not scanned: ", why);
		if (j && u->why == TREESCAN_TOO_BIG)
			json_object_set_new(j, "size", json_integer(u->size));
		put_json(j);
	} else {
		table_header(r);
		printf("%-11s %5s  not scanned: %s  ", "not-scanned", "-", why);
		vg_esc_fwrite(stdout, u->path, strlen(u->path));
		putchar('\n');
	}
	fflush(stdout);
}

void
treescan_print_finding(void *arg, const char *path, const struct webshell_finding *f,
    const char *qid)
{
	struct treescan_printer *r = arg;

	if (r->progress)
		fputs("\r\033[K", stderr);
	if (r->json) {
		json_t *j = json_pack("{s:o, s:i, s:s, s:o, s:o, s:s, s:I, s:f, s:I, s:f, s:f,"
				      " s:i, s:i, s:b}",
		    "path", vg_json_string_lossy(path, strlen(path)), "score", f->score,
		    "level", f->level, "families", comma_list_json(f->families), "rules",
		    comma_list_json(f->rules), "sha256", f->sha256, "size", (json_int_t)f->size,
		    "entropy", f->entropy, "longest_token", (json_int_t)f->longest_token,
		    "compress_ratio", f->compress_ratio, "nonprint_share", f->nonprint_share,
		    "rule_score", f->rule_score, "stats_score", f->stats_score, "partial",
		    f->yara_limited);
		if (j && qid && qid[0])
			json_object_set_new(j, "quarantine_id", json_string(qid));
		put_json(j);
	} else {
		table_header(r);
		printf("%-11s %5d  %-40s ", f->level, f->score, f->families[0] ? f->families : "-");
		/* attacker-chosen name: through the one sanitiser (JSON escapes anyway) */
		vg_esc_fwrite(stdout, path, strlen(path));
		if (qid && qid[0])
			printf("  -> quarantined %s", qid);
		putchar('\n');
	}
	fflush(stdout);
}

void
treescan_print_progress(void *arg, const struct treescan_stats *st, bool final)
{
	struct treescan_printer *r = arg;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double dt = (double)(ts.tv_sec - r->last_progress.tv_sec) +
	    (double)(ts.tv_nsec - r->last_progress.tv_nsec) / 1e9;
	if (!final && dt < 0.1)
		return;
	r->last_progress = ts;
	size_t total = st->files ? st->files : 1;
	int pct = (int)(st->done * 100 / total), bar = pct * 30 / 100;
	fprintf(stderr, "\r[%.*s%*s] %3d%% %zu/%zu files, %zu malicious, %zu suspicious, %zu "
	    "not scanned%s", bar, "==============================", 30 - bar, "", pct, st->done,
	    st->files, st->malicious, st->suspicious, st->unscanned, final ? "\n" : "");
	fflush(stderr);
}

void
treescan_print_summary(const struct treescan_printer *r, const struct treescan_stats *st,
    double dt)
{
	double mib = (double)st->bytes / (1024.0 * 1024.0);
	fprintf(stderr,
	    "vigil scan: %zu files, %.1f MiB in %.2f s (%.1f MiB/s, %.0f files/s, %d "
	    "threads): %zu malicious, %zu suspicious, %zu not scanned\n",
	    st->done - st->vanished - st->too_big - st->unreadable - st->not_regular, mib, dt,
	    dt > 0 ? mib / dt : 0, dt > 0 ? (double)st->done / dt : 0, st->threads,
	    st->malicious, st->suspicious, st->unscanned);
	if (st->special || st->symlinks || st->too_big || st->loops || st->dropped ||
	    st->not_regular)
		fprintf(stderr, "vigil scan: skipped: %zu special files, %zu symlinks, %zu "
				"over the size limit, %zu directory loops, %zu over the file "
				"limit\n",
		    st->special + st->not_regular, st->symlinks, st->too_big, st->loops,
		    st->dropped);
	if (st->vanished || st->unreadable || st->walk_errors)
		fprintf(stderr, "vigil scan: errors: %zu vanished, %zu unreadable files, %zu "
				"unreadable directories\n",
		    st->vanished, st->unreadable, st->walk_errors);
	if (r->vault) {
		/* the vault path is the operator's, but shown through the sanitiser too */
		fprintf(stderr, "vigil scan: quarantined %zu into ", st->quarantined);
		vg_esc_fwrite(stderr, r->vault, strlen(r->vault));
		fprintf(stderr, "%s\n", st->quarantine_failed ? " (some failed, see above)" : "");
	}
}

