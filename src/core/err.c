/* Text for the VG_ERR_* codes. */
#include "core/err.h"

const char *
vg_strerror(int code)
{
	switch (code) {
	case VG_OK:		return "success";
	case VG_ERR_NOMEM:	return "out of memory";
	case VG_ERR_INVAL:	return "invalid argument";
	case VG_ERR_IO:		return "input/output error";
	case VG_ERR_PARSE:	return "parse error";
	case VG_ERR_CONFIG:	return "invalid configuration";
	case VG_ERR_STORE:	return "store error";
	case VG_ERR_SCHEMA:	return "store schema is newer than this vigil";
	case VG_ERR_NOTFOUND:	return "not found";
	case VG_ERR_LIMIT:	return "size limit exceeded";
	case VG_ERR_FORMAT:	return "unexpected file format";
	case VG_ERR_BUSY:	return "resource busy";
	case VG_ERR_DENIED:	return "refused by a check";
	}
	return "unknown error";
}
