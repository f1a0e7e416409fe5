/* Peer harness for the detection benchmark: replays access-log lines (nginx/Apache
 * combined) through libmodsecurity 3 with the OWASP CRS from Debian at paranoia
 * level 1, one transaction per line, and reports lines/s and how many lines CRS
 * would have blocked (anomaly score over the threshold → intervention).
 * Usage: crs_replay LOG [FLAGGED_OUT]; FLAGGED_OUT gets the 1-based numbers of
 * flagged lines. Not part of vigil: built only for bench/. */
#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char crs_conf[] =
    "SecRuleEngine On\n"
    /* libmodsecurity 3.0.9 skips phase 2, where CRS evaluates the anomaly score,
     * when body access is off; there is no body here anyway. */
    "SecRequestBodyAccess On\n"
    "SecResponseBodyAccess Off\n"
    "SecAuditEngine Off\n" 
    /* Debian's crs-setup.conf logs and passes; anomaly-scoring blocking mode, as a
     * deployment that blocks attacks runs it, is this instead: */
    "SecDefaultAction \"phase:1,log,auditlog,deny,status:403\"\n"
    "SecDefaultAction \"phase:2,log,auditlog,deny,status:403\"\n"
    "SecAction \"id:900990,phase:1,nolog,pass,t:none,setvar:tx.crs_setup_version=334\"\n"
    "Include /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf\n"
    "Include /usr/share/modsecurity-crs/rules/*.conf\n";

/* Cuts the next quoted field starting at *p ('"..."', honouring \" escapes). */
static char *
quoted(char **p)
{
	char *s = strchr(*p, '"'), *d;
	if (!s)
		return NULL;
	s++;
	for (d = s; *d && *d != '"'; d++)
		if (*d == '\\' && d[1])
			d++;
	if (!*d)
		return NULL;
	*d = '\0';
	*p = d + 1;
	return s;
}

static void
print_log(void *data, const void *msg)
{
	(void)data;
	if (getenv("CRS_REPLAY_DEBUG"))
		fprintf(stderr, "%s\n", (const char *)msg);
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *error = NULL;
	FILE *in, *flagged_out = NULL;
	char *line = NULL;
	size_t cap = 0;
	long lines = 0, flagged = 0, unparsed = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: crs_replay LOG [FLAGGED_OUT]\n");
		return 2;
	}
	in = fopen(argv[1], "r");
	if (!in) {
		perror(argv[1]);
		return 2;
	}
	if (argc == 3 && !(flagged_out = fopen(argv[2], "w"))) {
		perror(argv[2]);
		return 2;
	}
	ModSecurity *ms = msc_init();
	msc_set_connector_info(ms, "vigil-bench crs_replay");
	msc_set_log_cb(ms, print_log);
	RulesSet *rules = msc_create_rules_set();
	int n_rules = msc_rules_add(rules, crs_conf, &error);
	if (n_rules < 0) {
		fprintf(stderr, "crs_replay: cannot load CRS: %s\n", error ? error : "?");
		return 3;
	}
	fprintf(stderr, "crs_replay: %d CRS rules loaded\n", n_rules);
	double t0 = now_s();
	while (getline(&line, &cap, in) > 0) {
		char ip[64] = "127.0.0.1", *p = line, *req, *ref, *ua, method[16], uri[8192],
		     proto[16];
		lines++;
		sscanf(line, "%63s", ip);
		req = quoted(&p);
		if (!req || sscanf(req, "%15s %8191s %15s", method, uri, proto) < 2) {
			unparsed++;
			continue;
		}
		/* status and bytes sit between the request and the referer */
		ref = quoted(&p);
		ua = ref ? quoted(&p) : NULL;
		Transaction *t = msc_new_transaction(ms, rules, NULL);
		msc_process_connection(t, ip, 40000, "127.0.0.1", 80);
		msc_process_uri(t, uri, method, "1.1");
		msc_add_request_header(t, (const unsigned char *)"Host",
		    (const unsigned char *)"localhost");
		msc_add_request_header(t, (const unsigned char *)"Accept",
		    (const unsigned char *)"*/*");
		if (ua && strcmp(ua, "-") != 0)
			msc_add_request_header(t, (const unsigned char *)"User-Agent",
			    (const unsigned char *)ua);
		if (ref && strcmp(ref, "-") != 0)
			msc_add_request_header(t, (const unsigned char *)"Referer",
			    (const unsigned char *)ref);
		/* The log keeps no body and no body headers: a POST reached the server
		 * with them, so give CRS what a client sent rather than let it score
		 * every logged POST as "missing Content-Length". */
		if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
		    strcmp(method, "PATCH") == 0) {
			msc_add_request_header(t, (const unsigned char *)"Content-Type",
			    (const unsigned char *)"application/x-www-form-urlencoded");
			msc_add_request_header(t, (const unsigned char *)"Content-Length",
			    (const unsigned char *)"0");
		}
		msc_process_request_headers(t);
		msc_process_request_body(t);
		ModSecurityIntervention it = { .status = 200 };
		if (msc_intervention(t, &it) && it.status != 200) {
			flagged++;
			if (flagged_out)
				fprintf(flagged_out, "%ld\n", lines);
		}
		free(it.url);
		free(it.log);
		msc_process_logging(t);
		msc_transaction_cleanup(t);
	}
	double dt = now_s() - t0;
	printf("{\"impl\":\"modsecurity-crs-pl1\",\"lines\":%ld,\"flagged\":%ld,\"unparsed\":%ld,"
	       "\"seconds\":%.3f,\"lines_per_s\":%.0f}\n", lines, flagged, unparsed, dt,
	    dt > 0 ? (double)lines / dt : 0.0);
	free(line);
	fclose(in);
	if (flagged_out)
		fclose(flagged_out);
	msc_rules_cleanup(rules);
	msc_cleanup(ms);
	return 0;
}
