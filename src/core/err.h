/* Error codes shared by every module: functions return 0 or a negative VG_ERR_*,
 * and vg_strerror() gives the one-line text. */
#ifndef VG_ERR_H
#define VG_ERR_H

enum vg_err {
	VG_OK = 0,
	VG_ERR_NOMEM = -1,	/* allocation failed */
	VG_ERR_INVAL = -2,	/* bad argument from the caller */
	VG_ERR_IO = -3,		/* read/write/open failed; errno has the cause */
	VG_ERR_PARSE = -4,	/* input did not parse */
	VG_ERR_CONFIG = -5,	/* configuration is invalid */
	VG_ERR_STORE = -6,	/* the store failed */
	VG_ERR_SCHEMA = -7,	/* store schema is newer than this binary */
	VG_ERR_NOTFOUND = -8,	/* no such item */
	VG_ERR_LIMIT = -9,	/* a hard size limit was hit */
	VG_ERR_FORMAT = -10,	/* file is not of the expected format */
	VG_ERR_BUSY = -11,	/* resource busy; retry later */
	VG_ERR_DENIED = -12,	/* a check refused the operation (e.g. a publish gate) */
};

/* Static string describing code; never NULL. */
const char *vg_strerror(int code);

#endif
