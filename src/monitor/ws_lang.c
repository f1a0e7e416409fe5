/* Name tables of the webshell taint engine, one per language family: sources,
 * propagators, sanitisers, foldable decoders and sinks, looked up by lower-case name
 * (binary search: each table is sorted by name; ws_tables_sorted() checks it). */
#include "monitor/ws_int.h"

#include <string.h>
#include <strings.h>

#define E(n, k, a, a2, w, tr, to) { n, k, a, a2, W_##w, TG_##tr, TG_##to }

static const struct ws_fn t_php[] = {
	E("apache_request_headers", F_SRC, ARG_ANY, 0, FREE, NONE, NONE),
	E("array_diff_uassoc", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_diff_ukey", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_filter", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("array_intersect_uassoc", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_intersect_ukey", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_key_exists", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("array_map", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("array_merge", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("array_pop", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("array_reduce", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("array_reverse", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("array_shift", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("array_slice", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("array_udiff", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_udiff_assoc", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_udiff_uassoc", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_uintersect", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_uintersect_assoc", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_uintersect_uassoc", S_CALLBACK, ARG_LAST, 0, FREE, NONE, NONE),
	E("array_values", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("array_walk", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("array_walk_recursive", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("assert", S_CODE, 0, 0, FREE, NONE, NONE),
	E("base64_decode", F_B64, 0, 0, FREE, NONE, NONE),
	E("base64_encode", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("basename", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("call_user_func", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("call_user_func_array", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("chmod", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("chr", F_CHR, 0, 0, FREE, NONE, NONE),
	E("com", F_OBJ, 0, 0, NEW, NONE, NONE),
	E("convert_uudecode", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("copy", S_UPLOAD, 1, 0, FREE, NONE, NONE),
	E("count", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("crc32", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("create_function", S_CODE, 1, 0, FREE, NONE, NONE),
	E("current", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("empty", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("end", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("escapeshellarg", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("escapeshellcmd", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("eval", S_CODE, 0, 0, FREE, NONE, NONE),
	E("exec", S_EXEC, 0, 0, FREE, NONE, NONE),
	E("exec", S_DBEXEC, 0, 0, MEMB, NONE, NONE),
	E("exec", S_EXEC, 0, 0, MEMB, SHELL, NONE),
	E("explode", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("fgets", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("file", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("file_exists", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("file_get_contents", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("file_put_contents", S_FILEW, 0, 1, FREE, NONE, NONE),
	E("filter_input", F_SRC, ARG_ANY, 0, FREE, NONE, NONE),
	E("filter_input_array", F_SRC, ARG_ANY, 0, FREE, NONE, NONE),
	E("filter_var", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("floatval", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("fopen", S_OPENW, 0, 1, FREE, NONE, FILEW),
	E("forward_static_call", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("forward_static_call_array", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("fputs", S_WRITE, 1, 0, FREE, NONE, NONE),
	E("fread", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("fromcallable", S_REFLFN, 0, 0, MEMB, NONE, REFL),
	E("fsockopen", S_NET, 0, 0, FREE, NONE, NONE),
	E("function_exists", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("fwrite", S_WRITE, 1, 0, FREE, NONE, NONE),
	E("getallheaders", F_SRC, ARG_ANY, 0, FREE, NONE, NONE),
	E("gzdecode", F_GZD, 0, 0, FREE, NONE, NONE),
	E("gzinflate", F_INFL, 0, 0, FREE, NONE, NONE),
	E("gzuncompress", F_UNC, 0, 0, FREE, NONE, NONE),
	E("hash", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("header_register_callback", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("hex2bin", F_HEX, 0, 0, FREE, NONE, NONE),
	E("highlight_file", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("html_entity_decode", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("htmlentities", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("htmlspecialchars", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("htmlspecialchars_decode", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("implode", F_JOIN, ARG_ANY, 0, FREE, NONE, NONE),
	E("importstylesheet", S_XSLTUSE, ARG_ANY, 0, MEMB, NONE, NONE),
	E("in_array", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("include", S_INCLUDE, 0, 0, FREE, NONE, NONE),
	E("include_once", S_INCLUDE, 0, 0, FREE, NONE, NONE),
	E("intval", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("invoke", S_INVOKE, ARG_ANY, 0, MEMB, REFL, NONE),
	E("invokeargs", S_INVOKE, ARG_ANY, 0, MEMB, REFL, NONE),
	E("is_dir", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("is_file", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("is_numeric", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("isset", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("iterator_apply", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("join", F_JOIN, ARG_ANY, 0, FREE, NONE, NONE),
	E("json_decode", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("ltrim", F_TRIM, 0, 0, FREE, NONE, NONE),
	E("mb_ereg_replace_callback", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("mcrypt_decrypt", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("md5", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("mkdir", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("move_uploaded_file", S_UPLOAD, 1, 0, FREE, NONE, NONE),
	E("mssql_connect", S_DBCONN, ARG_ANY, 0, FREE, NONE, NONE),
	E("mssql_query", S_DBEXEC, 0, 0, FREE, NONE, NONE),
	E("mysql_connect", S_DBCONN, ARG_ANY, 0, FREE, NONE, NONE),
	E("mysql_query", S_DBEXEC, 0, 0, FREE, NONE, NONE),
	E("mysqli", S_DBCONN, ARG_ANY, 0, NEW, NONE, NONE),
	E("mysqli_connect", S_DBCONN, ARG_ANY, 0, FREE, NONE, NONE),
	E("mysqli_query", S_DBEXEC, 1, 0, FREE, NONE, NONE),
	E("next", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("ob_start", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("oci_connect", S_DBCONN, ARG_ANY, 0, FREE, NONE, NONE),
	E("oci_parse", S_DBEXEC, 1, 0, FREE, NONE, NONE),
	E("odbc_connect", S_DBCONN, ARG_ANY, 0, FREE, NONE, NONE),
	E("odbc_exec", S_DBEXEC, 1, 0, FREE, NONE, NONE),
	E("opendir", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("openssl_decrypt", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("pack", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("passthru", S_EXEC, 0, 0, FREE, NONE, NONE),
	E("pcntl_exec", S_EXEC, ARG_ANY, 0, FREE, NONE, NONE),
	E("pdo", S_DBCONN, ARG_ANY, 0, NEW, NONE, NONE),
	E("pfsockopen", S_NET, 0, 0, FREE, NONE, NONE),
	E("pg_connect", S_DBCONN, ARG_ANY, 0, FREE, NONE, NONE),
	E("pg_query", S_DBEXEC, ARG_LAST, 0, FREE, NONE, NONE),
	E("popen", S_EXEC, 0, 0, FREE, NONE, NONE),
	E("preg_filter", S_PREG, 0, 0, FREE, NONE, NONE),
	E("preg_match", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("preg_replace", S_PREG, 0, 0, FREE, NONE, NONE),
	E("preg_replace_callback", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("proc_open", S_EXEC, 0, 0, FREE, NONE, NONE),
	E("query", S_DBEXEC, 0, 0, MEMB, NONE, NONE),
	E("rawurldecode", F_URLD, 0, 0, FREE, NONE, NONE),
	E("readfile", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("realpath", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("reflectionfunction", S_REFLFN, 0, 0, NEW, NONE, REFL),
	E("register_shutdown_function", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("register_tick_function", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("registerphpfunctions", S_XSLTREG, ARG_ANY, 0, MEMB, NONE, NONE),
	E("rename", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("require", S_INCLUDE, 0, 0, FREE, NONE, NONE),
	E("require_once", S_INCLUDE, 0, 0, FREE, NONE, NONE),
	E("reset", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("rmdir", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("rtrim", F_TRIM, 0, 0, FREE, NONE, NONE),
	E("run", S_EXEC, 0, 0, MEMB, SHELL, NONE),
	E("scandir", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("set_error_handler", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("set_exception_handler", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("sha1", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("shell_exec", S_EXEC, 0, 0, FREE, NONE, NONE),
	E("shellexecute", S_EXEC, ARG_ANY, 0, MEMB, SHELL, NONE),
	E("show_source", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("socket_connect", S_NET, 1, 0, FREE, NONE, NONE),
	E("spl_autoload_register", S_CALLBACK, 0, 0, FREE, NONE, NONE),
	E("sprintf", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("str_ireplace", F_REPL, 2, 0, FREE, NONE, NONE),
	E("str_pad", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("str_replace", F_REPL, 2, 0, FREE, NONE, NONE),
	E("str_rot13", F_ROT13, 0, 0, FREE, NONE, NONE),
	E("str_split", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("stream_get_contents", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("stream_socket_client", S_NET, 0, 0, FREE, NONE, NONE),
	E("stripcslashes", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("stripslashes", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("strlen", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("strrev", F_REV, 0, 0, FREE, NONE, NONE),
	E("strtolower", F_LOWER, 0, 0, FREE, NONE, NONE),
	E("strtoupper", F_UPPER, 0, 0, FREE, NONE, NONE),
	E("strtr", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("strval", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("substr", F_SUBSTR, 0, 0, FREE, NONE, NONE),
	E("substr_replace", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("system", S_EXEC, 0, 0, FREE, NONE, NONE),
	E("touch", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("transformtodoc", S_XSLTUSE, ARG_ANY, 0, MEMB, NONE, NONE),
	E("transformtouri", S_XSLTUSE, ARG_ANY, 0, MEMB, NONE, NONE),
	E("transformtoxml", S_XSLTUSE, ARG_ANY, 0, MEMB, NONE, NONE),
	E("trim", F_TRIM, 0, 0, FREE, NONE, NONE),
	E("uasort", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("ucfirst", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("uksort", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("unlink", S_FILEOP, 0, 0, FREE, NONE, NONE),
	E("unserialize", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("urldecode", F_URLD, 0, 0, FREE, NONE, NONE),
	E("urlencode", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("usort", S_CALLBACK, 1, 0, FREE, NONE, NONE),
	E("vsprintf", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
};

static const struct ws_fn t_java[] = {
	E("addbatch", S_DBEXEC, 0, 0, MEMB, NONE, NONE),
	E("append", S_WRITE, 0, 0, MEMB, FILEW, NONE),
	E("command", S_EXEC, ARG_ANY, 0, MEMB, PROC, NONE),
	E("contains", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("decode", F_B64, 0, 0, MEMB, NONE, NONE),
	E("decodebuffer", F_B64, 0, 0, MEMB, NONE, NONE),
	E("defineclass", S_CLASS, ARG_ANY, 0, MEMB, NONE, NONE),
	E("delete", S_FILEOP, ARG_RECV, 0, MEMB, NONE, NONE),
	E("encode", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("endswith", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("equals", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("equalsignorecase", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("escapehtml", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("eval", S_CODE, ARG_ANY, 0, MEMB, NONE, NONE),
	E("exec", S_EXEC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("execute", S_DBEXEC, 0, 0, MEMB, NONE, NONE),
	E("executequery", S_DBEXEC, 0, 0, MEMB, NONE, NONE),
	E("executeupdate", S_DBEXEC, 0, 0, MEMB, NONE, NONE),
	E("fileinputstream", S_FILEOP, 0, 0, NEW, NONE, NONE),
	E("fileoutputstream", S_OPENW, 0, 0, NEW, NONE, FILEW),
	E("filereader", S_FILEOP, 0, 0, NEW, NONE, NONE),
	E("filewriter", S_OPENW, 0, 0, NEW, NONE, FILEW),
	E("filter", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("forname", F_CLASSBYNAME, 0, 0, MEMB, NONE, NONE),
	E("fromcharcode", F_CHR, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getattribute", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getbyname", S_NET, 0, 0, MEMB, NONE, NONE),
	E("getbytes", F_BYTES, ARG_RECV, 0, MEMB, NONE, NONE),
	E("getconnection", S_DBCONN, ARG_ANY, 0, MEMB, NONE, DB),
	E("getcontextpath", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getcookies", F_SRC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getheader", F_SRC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getheaders", F_SRC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getinputstream", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("getparameter", F_SRC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getparametermap", F_SRC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getparametervalues", F_SRC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getpart", F_SRC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getquerystring", F_SRC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getreader", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("getrealpath", F_WEBROOT, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getremoteaddr", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("getrequest", F_REQ, ARG_ANY, 0, MEMB, NONE, REQUEST),
	E("getsession", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("hashcode", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("indexof", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("inetsocketaddress", S_NET, 0, 0, NEW, NONE, NONE),
	E("invoke", S_INVOKE, ARG_ANY, 0, MEMB, REFL, NONE),
	E("isempty", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("length", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("listfiles", S_FILEOP, ARG_RECV, 0, MEMB, NONE, NONE),
	E("loadclass", F_CLASSBYNAME, 0, 0, MEMB, NONE, NONE),
	E("matches", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("mkdirs", S_FILEOP, ARG_RECV, 0, MEMB, NONE, NONE),
	E("newinstance", S_INVOKE, ARG_ANY, 0, MEMB, REFL, NONE),
	E("parsebase64binary", F_B64, 0, 0, MEMB, NONE, NONE),
	E("parseint", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("parselong", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("preparestatement", S_DBEXEC, 0, 0, MEMB, NONE, NONE),
	E("print", S_WRITE, 0, 0, MEMB, FILEW, NONE),
	E("println", S_WRITE, 0, 0, MEMB, FILEW, NONE),
	E("processbuilder", S_EXEC, ARG_ANY, 0, NEW, NONE, PROC),
	E("randomaccessfile", S_OPENW, 0, 0, NEW, NONE, FILEW),
	E("renameto", S_FILEOP, ARG_RECV, 0, MEMB, NONE, NONE),
	E("replace", F_REPL_M, 0, 0, MEMB, NONE, NONE),
	E("replaceall", F_REPL_M, 0, 0, MEMB, NONE, NONE),
	E("reverse", F_REV, ARG_RECV, 0, MEMB, NONE, NONE),
	E("size", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("socket", S_NET, 0, 0, NEW, NONE, NONE),
	E("start", S_EXEC, ARG_RECV, 0, MEMB, PROC, NONE),
	E("startswith", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("string", F_BYTES, 0, 0, NEW, NONE, NONE),
	E("stringbuffer", F_BYTES, 0, 0, NEW, NONE, NONE),
	E("stringbuilder", F_BYTES, 0, 0, NEW, NONE, NONE),
	E("substring", F_SUBSTR_END, ARG_RECV, 0, MEMB, NONE, NONE),
	E("tolowercase", F_LOWER, ARG_RECV, 0, MEMB, NONE, NONE),
	E("tostring", F_BYTES, ARG_RECV, 0, MEMB, NONE, NONE),
	E("touppercase", F_UPPER, ARG_RECV, 0, MEMB, NONE, NONE),
	E("trim", F_TRIM, ARG_RECV, 0, MEMB, NONE, NONE),
	E("urlclassloader", S_CLASS, ARG_ANY, 0, NEW, NONE, NONE),
	E("write", S_WRITE, 0, 0, MEMB, FILEW, NONE),
	E("write", S_FILEW, 0, 1, MEMB, FSO, NONE),
};

static const struct ws_fn t_asp[] = {
	E("activexobject", F_OBJ, 0, 0, NEW, NONE, NONE),
	E("binaryread", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("chr", F_CHR, 0, 0, FREE, NONE, NONE),
	E("chrb", F_CHR, 0, 0, FREE, NONE, NONE),
	E("chrw", F_CHR, 0, 0, FREE, NONE, NONE),
	E("cint", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("clng", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("cookies", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("copyfile", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("copyfolder", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("createfolder", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("createobject", F_OBJ, 0, 0, ANY, NONE, NONE),
	E("createtextfile", S_OPENW, 0, 0, MEMB, FSO, FILEW),
	E("cstr", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("deletefile", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("deletefolder", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("eval", S_CODE, 0, 0, FREE, NONE, NONE),
	E("exec", S_EXEC, 0, 0, MEMB, SHELL, NONE),
	E("execute", S_CODE, 0, 0, FREE, NONE, NONE),
	E("execute", S_DBEXEC, ARG_ANY, 0, MEMB, DB, NONE),
	E("executeglobal", S_CODE, 0, 0, FREE, NONE, NONE),
	E("form", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("fromcharcode", F_CHR, ARG_ANY, 0, MEMB, NONE, NONE),
	E("function", S_CODE, ARG_ANY, 0, NEW, NONE, NONE),
	E("getfile", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("getfolder", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("getobject", F_OBJ, 0, 0, ANY, NONE, NONE),
	E("htmlencode", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("isempty", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("isnumeric", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("item", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("join", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("lcase", F_LOWER, 0, 0, FREE, NONE, NONE),
	E("left", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("len", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("loadfromfile", S_FILEOP, 0, 0, MEMB, STREAM, NONE),
	E("mappath", F_WEBROOT, ARG_ANY, 0, MEMB, NONE, NONE),
	E("mid", F_MID, 0, 0, FREE, NONE, NONE),
	E("movefile", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("movefolder", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("open", S_DBCONN, ARG_ANY, 0, MEMB, DB, NONE),
	E("opentextfile", S_OPENW, 0, 0, MEMB, FSO, FILEW),
	E("querystring", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("replace", F_REPL, 0, 1, FREE, NONE, NONE),
	E("right", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("run", S_EXEC, 0, 0, MEMB, SHELL, NONE),
	E("savetofile", S_FILEW, 0, ARG_RECV, MEMB, STREAM, NONE),
	E("servervariables", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("shellexecute", S_EXEC, ARG_ANY, 0, MEMB, SHELL, NONE),
	E("split", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("string", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("strreverse", F_REV, 0, 0, FREE, NONE, NONE),
	E("trim", F_TRIM, 0, 0, FREE, NONE, NONE),
	E("ucase", F_UPPER, 0, 0, FREE, NONE, NONE),
	E("unescape", F_URLD, 0, 0, FREE, NONE, NONE),
	E("urlencode", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("write", S_WRITE, 0, 0, MEMB, FILEW, NONE),
	E("writeline", S_WRITE, 0, 0, MEMB, FILEW, NONE),
};

static const struct ws_fn t_net[] = {
	E("addargument", S_EXEC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("addcommand", S_EXEC, 0, 0, MEMB, NONE, NONE),
	E("addparameter", S_EXEC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("addscript", S_EXEC, 0, 0, MEMB, NONE, NONE),
	E("appendalltext", S_FILEW, 0, 1, MEMB, FSO, NONE),
	E("binaryread", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("chr", F_CHR, 0, 0, FREE, NONE, NONE),
	E("chrw", F_CHR, 0, 0, FREE, NONE, NONE),
	E("cint", F_KILL, ARG_ANY, 0, FREE, NONE, NONE),
	E("compileassemblyfromsource", S_CODE, ARG_ANY, 0, MEMB, NONE, NONE),
	E("connect", S_NET, 0, 0, MEMB, NONE, NONE),
	E("contains", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("cookies", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("copy", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("count", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("createdirectory", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("createinstance", S_CLASS, ARG_ANY, 0, MEMB, REFL, NONE),
	E("createpipeline", S_EXEC, 0, 0, MEMB, NONE, NONE),
	E("cstr", F_KEEP, ARG_ANY, 0, FREE, NONE, NONE),
	E("delete", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("directoryinfo", S_FILEOP, 0, 0, NEW, NONE, NONE),
	E("equals", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("eval", S_CODE, 0, 0, FREE, NONE, NONE),
	E("executenonquery", S_DBEXEC, ARG_RECV, 0, MEMB, DB, NONE),
	E("executereader", S_DBEXEC, ARG_RECV, 0, MEMB, DB, NONE),
	E("executescalar", S_DBEXEC, ARG_RECV, 0, MEMB, DB, NONE),
	E("files", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("filestream", S_OPENW, 0, 0, NEW, NONE, FILEW),
	E("form", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("frombase64string", F_B64, 0, 0, MEMB, NONE, NONE),
	E("getbytes", F_BYTES, 0, 0, MEMB, NONE, NONE),
	E("getdirectories", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("getfiles", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("gethostaddresses", S_NET, 0, 0, MEMB, NET, NONE),
	E("gethostentry", S_NET, 0, 0, MEMB, NET, NONE),
	E("getstring", F_BYTES, 0, 0, MEMB, NONE, NONE),
	E("gettype", S_CLASS, 0, 0, MEMB, REFL, REFL),
	E("headers", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("htmlencode", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("inputstream", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("invoke", S_INVOKE, ARG_ANY, 0, MEMB, REFL, NONE),
	E("invokemember", S_INVOKE, ARG_ANY, 0, MEMB, NONE, NONE),
	E("ipendpoint", S_NET, 0, 0, NEW, NONE, NONE),
	E("isnullorempty", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("item", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("lcase", F_LOWER, 0, 0, FREE, NONE, NONE),
	E("length", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("load", S_CLASS, 0, 0, MEMB, REFL, NONE),
	E("loadfile", S_CLASS, 0, 0, MEMB, REFL, NONE),
	E("loadfrom", S_CLASS, 0, 0, MEMB, REFL, NONE),
	E("mappath", F_WEBROOT, ARG_ANY, 0, MEMB, NONE, NONE),
	E("mid", F_MID, 0, 0, FREE, NONE, NONE),
	E("move", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("mysqlconnection", S_DBCONN, 0, 0, NEW, NONE, DB),
	E("odbccommand", S_DBEXEC, 0, 0, NEW, NONE, DB),
	E("odbcconnection", S_DBCONN, 0, 0, NEW, NONE, DB),
	E("oledbcommand", S_DBEXEC, 0, 0, NEW, NONE, DB),
	E("oledbconnection", S_DBCONN, 0, 0, NEW, NONE, DB),
	E("oledbdataadapter", S_DBEXEC, 0, 0, NEW, NONE, DB),
	E("open", S_DBCONN, ARG_RECV, 0, MEMB, DB, NONE),
	E("params", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("parse", S_NET, 0, 0, MEMB, NET, NONE),
	E("parse", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("process", F_KEEP, ARG_ANY, 0, NEW, NONE, PROC),
	E("processstartinfo", S_EXEC, ARG_ANY, 0, NEW, NONE, PROC),
	E("querystring", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("rawurl", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("readallbytes", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("readalltext", S_FILEOP, 0, 0, MEMB, FSO, NONE),
	E("replace", F_REPL_M, 0, 0, MEMB, NONE, NONE),
	E("replace", F_REPL, 0, 1, FREE, NONE, NONE),
	E("saveas", S_UPLOAD, 0, 0, MEMB, NONE, NONE),
	E("servervariables", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("sqlcommand", S_DBEXEC, 0, 0, NEW, NONE, DB),
	E("sqlconnection", S_DBCONN, 0, 0, NEW, NONE, DB),
	E("sqldataadapter", S_DBEXEC, 0, 0, NEW, NONE, DB),
	E("start", S_EXEC, ARG_ANY, 0, MEMB, NONE, NONE),
	E("streamwriter", S_OPENW, 0, 0, NEW, NONE, FILEW),
	E("string", F_BYTES, 0, 0, NEW, NONE, NONE),
	E("strreverse", F_REV, 0, 0, FREE, NONE, NONE),
	E("substring", F_SUBSTR, ARG_RECV, 0, MEMB, NONE, NONE),
	E("tcpclient", S_NET, 0, 0, NEW, NONE, NONE),
	E("toint32", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("tolower", F_LOWER, ARG_RECV, 0, MEMB, NONE, NONE),
	E("tostring", F_BYTES, ARG_RECV, 0, MEMB, NONE, NONE),
	E("toupper", F_UPPER, ARG_RECV, 0, MEMB, NONE, NONE),
	E("trim", F_TRIM, ARG_RECV, 0, MEMB, NONE, NONE),
	E("tryparse", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("typeof", F_KEEP, ARG_ANY, 0, FREE, NONE, REFL),
	E("unsafeloadfrom", S_CLASS, 0, 0, MEMB, REFL, NONE),
	E("unvalidated", F_SRC, ARG_ANY, 0, MEMB, REQUEST, NONE),
	E("urlencode", F_KILL, ARG_ANY, 0, MEMB, NONE, NONE),
	E("write", S_WRITE, 0, 0, MEMB, FILEW, NONE),
	E("writeallbytes", S_FILEW, 0, 1, MEMB, FSO, NONE),
	E("writealllines", S_FILEW, 0, 1, MEMB, FSO, NONE),
	E("writealltext", S_FILEW, 0, 1, MEMB, FSO, NONE),
	E("writeline", S_WRITE, 0, 0, MEMB, FILEW, NONE),
};

static const struct ws_table tables[] = {
	{ t_php, sizeof(t_php) / sizeof(t_php[0]) },
	{ t_java, sizeof(t_java) / sizeof(t_java[0]) },
	{ t_asp, sizeof(t_asp) / sizeof(t_asp[0]) },
	{ t_net, sizeof(t_net) / sizeof(t_net[0]) },
};

const struct ws_table *
ws_table_for(enum ws_lang lang)
{
	switch (lang) {
	case WS_LANG_PHP: return &tables[0];
	case WS_LANG_JAVA: return &tables[1];
	case WS_LANG_VBS: case WS_LANG_JS: return &tables[2];
	case WS_LANG_CS: case WS_LANG_VBNET: return &tables[3];
	default: return NULL;
	}
}

static bool
where_ok(int entry, int where)
{
	return entry == W_ANY || entry == where;
}

const struct ws_fn *
ws_lookup(const struct ws_table *t, const char *lname, int where, int tag)
{
	size_t lo = 0, hi = t->n;
	const struct ws_fn *fallback = NULL;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(t->v[mid].name, lname) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Entries bound to the receiver's tag win over untagged ones of the same name. */
	for (size_t i = lo; i < t->n && strcmp(t->v[i].name, lname) == 0; i++) {
		const struct ws_fn *f = &t->v[i];
		if (!where_ok(f->where, where))
			continue;
		if (f->tag_req != TG_NONE && f->tag_req == tag)
			return f;
		if (f->tag_req == TG_NONE && !fallback)
			fallback = f;
	}
	return fallback;
}

bool
ws_tables_sorted(void)
{
	for (size_t k = 0; k < sizeof(tables) / sizeof(tables[0]); k++)
		for (size_t i = 1; i < tables[k].n; i++)
			if (strcmp(tables[k].v[i - 1].name, tables[k].v[i].name) > 0)
				return false;
	return true;
}

int
ws_tag_of_name(const char *s, size_t n)
{
	static const struct { const char *name; int tag; } names[] = {
		{ "wscript.shell", TG_SHELL }, { "shell.application", TG_SHELL },
		{ "scripting.filesystemobject", TG_FSO }, { "adodb.connection", TG_DB },
		{ "adodb.recordset", TG_DB }, { "adodb.command", TG_DB }, { "adodb.stream", TG_STREAM },
		{ "java.lang.runtime", TG_REFL }, { "java.lang.processbuilder", TG_REFL },
		{ "javax.script.scriptenginemanager", TG_REFL }, { "jdk.jshell.jshell", TG_REFL },
		{ "java.lang.processimpl", TG_REFL }, { "java.lang.unixprocess", TG_REFL },
		{ "request", TG_REQUEST }, { "assembly", TG_REFL }, { "appdomain", TG_REFL },
		{ "activator", TG_REFL }, { "type", TG_REFL }, { "file", TG_FSO },
		{ "directory", TG_FSO }, { "files", TG_FSO }, { "ipaddress", TG_NET }, { "dns", TG_NET },
	};
	if (n < 3 || n > 32)
		return TG_NONE;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].name[0] == (s[0] | 0x20) && strlen(names[i].name) == n &&
		    strncasecmp(names[i].name, s, n) == 0)
			return names[i].tag;
	return TG_NONE;
}

static const struct {
	const char *name, *family;
} kinds[WS_K_MAX] = {
	[WS_K_CODE] = { "taint-code-eval", "exec-sink" },
	[WS_K_EXEC] = { "taint-process-exec", "exec-sink" },
	[WS_K_CALLBACK] = { "taint-callback-sink", "exec-sink" },
	[WS_K_DYNCALL] = { "taint-dynamic-call", "obfuscation" },
	[WS_K_CLASSLOAD] = { "taint-class-loading", "classloader" },
	[WS_K_INCLUDE_INPUT] = { "taint-include-input", "exec-sink" },
	[WS_K_DROPPER] = { "taint-file-write", "dropper" },
	[WS_K_FILEOPS] = { "taint-file-operations", "file-manager" },
	[WS_K_DB] = { "taint-database", "db-manager" },
	[WS_K_NET] = { "taint-socket-connect", "tunnel" },
	[WS_K_PACKED] = { "unpacked-code-eval", "obfuscation" },
	[WS_K_XSLT] = { "taint-xslt-php-functions", "exec-sink" },
};

const char *
ws_kind_name(enum ws_kind k)
{
	return k < WS_K_MAX ? kinds[k].name : "?";
}

const char *
ws_kind_family(enum ws_kind k)
{
	return k < WS_K_MAX ? kinds[k].family : "unknown";
}

static bool
ext_in(const char *ext, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcasecmp(ext, list[i]) == 0)
			return true;
	return false;
}

static bool
head_has(const unsigned char *d, size_t n, const char *lit)
{
	size_t l = strlen(lit), m = n < 4096 ? n : 4096;
	for (size_t i = 0; i + l <= m; i++)
		if (strncasecmp((const char *)d + i, lit, l) == 0)
			return true;
	return false;
}

enum ws_lang
ws_detect_lang(const char *path, const unsigned char *data, size_t len)
{
	static const char *const php[] = { "php", "php3", "php4", "php5", "php7", "phtml", "pht",
		"phar", "inc", NULL };
	static const char *const jsp[] = { "jsp", "jspx", "jspf", NULL };
	static const char *const asp[] = { "asp", "asa", "cer", "cdx", NULL };
	static const char *const net[] = { "aspx", "ashx", "asmx", "ascx", "asax", "master", "svc",
		NULL };
	const char *slash = path ? strrchr(path, '/') : NULL;
	const char *dot = path ? strrchr(slash ? slash : path, '.') : NULL;
	const char *ext = dot ? dot + 1 : "";

	if (ext_in(ext, php))
		return WS_LANG_PHP;
	if (ext_in(ext, jsp))
		return WS_LANG_JAVA;
	if (ext_in(ext, asp))
		return head_has(data, len, "language=\"jscript") || head_has(data, len, "language=jscript") ||
		    head_has(data, len, "language=\"javascript") ? WS_LANG_JS : WS_LANG_VBS;
	if (ext_in(ext, net))
		return head_has(data, len, "language=\"vb\"") || head_has(data, len, "language=vb ") ?
		    WS_LANG_VBNET : WS_LANG_CS;
	/* a script hidden in an image or a text file still runs if the server is told to */
	if (memmem(data, len < 65536 ? len : 65536, "<?php", 5))
		return WS_LANG_PHP;
	return WS_LANG_NONE;
}
