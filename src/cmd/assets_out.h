/* Printing the asset register for `vigil assets`: table, CSV and JSON lines. */
#ifndef VG_CMD_ASSETS_OUT_H
#define VG_CMD_ASSETS_OUT_H

#include <jansson.h>
#include <stdio.h>

/* The asset list (assets_view objects) as a table, CSV (with a header; cells
 * that a spreadsheet would run as a formula are prefixed with ') or one JSON
 * object per line. */
void assets_out_table(FILE *f, json_t *assets);
void assets_out_csv(FILE *f, json_t *assets);
void assets_out_jsonl(FILE *f, json_t *assets);
/* One asset in full: attributes, services, classes and the reasons. */
void assets_out_show(FILE *f, json_t *a);
/* A scan diff (assets_diff) as lines "+ new_port 10.0.0.5 443/tcp https nginx". */
void assets_out_diff(FILE *f, json_t *diff);
/* The scans list. */
void assets_out_scans(FILE *f, json_t *scans);

#endif
