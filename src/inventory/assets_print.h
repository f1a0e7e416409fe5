/* Printing the asset register for people and spreadsheets: table, CSV, JSON
 * lines, one asset in full, scan diffs, the scans, website-watch results. */
#ifndef VG_INV_ASSETS_PRINT_H
#define VG_INV_ASSETS_PRINT_H

#include <jansson.h>
#include <stdio.h>

/* The asset list (assets_view objects) as a table, CSV (with a header; cells
 * that a spreadsheet would run as a formula are prefixed with ') or one JSON
 * object per line. */
void assets_print_table(FILE *f, json_t *assets);
void assets_print_csv(FILE *f, json_t *assets);
void assets_print_jsonl(FILE *f, json_t *assets);
/* One asset in full: attributes, services, classes and the reasons. */
void assets_print_show(FILE *f, json_t *a);
/* A scan diff (assets_diff) as lines "+ new_port 10.0.0.5 443/tcp https nginx". */
void assets_print_diff(FILE *f, json_t *diff);
/* The scans list. */
void assets_print_scans(FILE *f, json_t *scans);
/* One website-watch result (sitewatch_check's *result) and its findings. */
void assets_print_site(FILE *f, json_t *res);

#endif
