/* Unit tests for the webshell taint engine (src/monitor/ws_*.c): request data reaching a
 * sink in each language is found, the same code with a sanitiser or without request
 * data is not, run-time-built names and encoded layers are resolved, and hostile input
 * (nesting, decompression bombs, doubling strings) stays within the per-file caps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "core/err.h"
#include "monitor/ws.h"
#include "monitor/ws_int.h"

static struct ws_result
run(const char *path, const char *code)
{
	struct ws_result r;
	size_t n = strlen(code);
	assert_int_equal(ws_analyze(ws_detect_lang(path, (const unsigned char *)code, n),
	    (const unsigned char *)code, n, &r), VG_OK);
	ws_result_free(&r);
	return r;
}

static void
expect(const char *path, const char *code, enum ws_kind k, int min_weight)
{
	struct ws_result r = run(path, code);
	if (r.weight[k] < min_weight)
		fail_msg("%s: %s weighs %d, wanted >= %d in:\n%s", path, ws_kind_name(k),
		    r.weight[k], min_weight, code);
}

static void
expect_quiet(const char *path, const char *code)
{
	struct ws_result r = run(path, code);
	if (r.score >= 20)
		fail_msg("%s: benign code scored %d:\n%s", path, r.score, code);
}

static void
test_tables(void **state)
{
	(void)state;
	assert_true(ws_tables_sorted());
	assert_non_null(ws_lookup(ws_table_for(WS_LANG_PHP), "system", W_FREE, 0));
	assert_null(ws_lookup(ws_table_for(WS_LANG_PHP), "system", W_MEMB, 0));
	/* a receiver's tag selects the tag-bound entry of a shared name */
	const struct ws_fn *f = ws_lookup(ws_table_for(WS_LANG_VBS), "execute", W_MEMB, TG_DB);
	assert_non_null(f);
	assert_int_equal(f->kind, S_DBEXEC);
	f = ws_lookup(ws_table_for(WS_LANG_VBS), "execute", W_FREE, TG_NONE);
	assert_non_null(f);
	assert_int_equal(f->kind, S_CODE);
}

static void
test_detect_lang(void **state)
{
	(void)state;
	const unsigned char *d = (const unsigned char *)"GIF89a<?php echo 1; ?>";
	assert_int_equal(ws_detect_lang("/w/a.PHP", d, 0), WS_LANG_PHP);
	assert_int_equal(ws_detect_lang("/w/a.jspx", d, 0), WS_LANG_JAVA);
	assert_int_equal(ws_detect_lang("/w/a.asp", d, 0), WS_LANG_VBS);
	assert_int_equal(ws_detect_lang("/w/a.aspx", d, 0), WS_LANG_CS);
	assert_int_equal(ws_detect_lang("/w/x.gif", d, strlen((const char *)d)), WS_LANG_PHP);
	assert_int_equal(ws_detect_lang("/w/x.txt", (const unsigned char *)"hello", 5), WS_LANG_NONE);
	const char *vb = "<%@ Page Language=\"VB\" %>";
	assert_int_equal(ws_detect_lang("/w/a.aspx", (const unsigned char *)vb, strlen(vb)),
	    WS_LANG_VBNET);
}

static void
test_php(void **state)
{
	(void)state;
	expect("a.php", "<?php $c = $_POST['c']; $d = $c; system($d);", WS_K_EXEC, 80);
	expect("a.php", "<?php array_map('assert', array($_GET['x']));", WS_K_CALLBACK, 80);
	expect("a.php", "<?php $f = 'sy' . 'stem'; $f($_GET['x']);", WS_K_DYNCALL, 80);
	expect("a.php", "<?php $f = strrev('tressa'); $f($_GET['x']);", WS_K_DYNCALL, 80);
	expect("a.php", "<?php $g = '_G' . 'ET'; eval(${$g}['e']);", WS_K_CODE, 80);
	expect("a.php", "<?php extract($_POST); eval($code);", WS_K_CODE, 80);
	expect("a.php", "<?php function h($x) { return shell_exec($x); } echo h($_GET['q']);",
	    WS_K_EXEC, 80);
	/* base64("system($_GET['c']);") decoded in a separate step, then evaluated */
	expect("a.php", "<?php $p = base64_decode('c3lzdGVtKCRfR0VUWydjJ10pOw=='); eval($p);",
	    WS_K_PACKED, 70);
	expect("a.php", "<?php $p = base64_decode('c3lzdGVtKCRfR0VUWydjJ10pOw=='); eval($p);",
	    WS_K_EXEC, 80);
	expect("a.php", "<?php include 'php://input';", WS_K_INCLUDE_INPUT, 80);
	expect("a.php", "<?php file_put_contents('a.php', $_POST['d']);", WS_K_DROPPER, 70);

	expect_quiet("a.php", "<?php $c = intval($_GET['c']); system('ls ' . $c);");
	expect_quiet("a.php", "<?php system('uptime'); eval('return 1;');");
	expect_quiet("a.php", "<?php include __DIR__ . '/pages/' . $_GET['p'] . '.php';");
	expect_quiet("a.php", "<?php echo htmlspecialchars($_GET['q']); $x = array_map('trim', $_POST);");
	expect_quiet("a.php", "<?php $v = my_filter($_GET['v']); exec($v);");
	expect_quiet("a.php", "<html><body>$_GET system($x)</body></html>");
}

static void
test_java(void **state)
{
	(void)state;
	expect("a.jsp", "<% Runtime r = Runtime.getRuntime(); String c = request.getParameter(\"c\");"
	    " r.exec(c); %>", WS_K_EXEC, 80);
	expect("a.jsp", "<% Class k = Class.forName(\"java.lang.\" + \"Runtime\"); "
	    "k.getMethod(\"exec\", String.class).invoke(k.getMethod(\"getRuntime\").invoke(null), "
	    "request.getParameter(\"c\")); %>", WS_K_CLASSLOAD, 80);
	expect("a.jspx", "<jsp:root><jsp:scriptlet>new ProcessBuilder(pageContext.getRequest()"
	    ".getParameter(\"x\")).start();</jsp:scriptlet></jsp:root>", WS_K_EXEC, 80);
	expect("a.jsp", "<% new java.io.FileOutputStream(application.getRealPath(\"/\") + "
	    "request.getParameter(\"f\")).write(request.getParameter(\"d\").getBytes()); %>",
	    WS_K_DROPPER, 70);
	expect_quiet("a.jsp", "<% String n = request.getParameter(\"n\"); out.println(util.HTMLFilter"
	    ".filter(n)); session.setAttribute(\"n\", n); %>");
	expect_quiet("a.jsp", "<% Runtime.getRuntime().exec(\"uptime\"); %>");
}

static void
test_asp(void **state)
{
	(void)state;
	expect("a.asp", "<%\nx = Request.Form(\"x\")\nExecute x\n%>", WS_K_CODE, 80);
	expect("a.asp", "<%\nSet s = CreateObject(\"WScript\" & \".Shell\")\nc = Request(\"c\")\n"
	    "s.Run \"cmd /c \" & c, 0\n%>", WS_K_EXEC, 80);
	expect_quiet("a.asp", "<%\nResponse.Write Server.HTMLEncode(Request(\"q\"))\n"
	    "Set s = CreateObject(\"WScript.Shell\")\ns.Run \"backup.cmd\", 0\n%>");
}

static void
test_aspx(void **state)
{
	(void)state;
	expect("a.aspx", "<asp:TextBox ID=\"cmd\" runat=\"server\"/><script runat=\"server\">"
	    "void Go() { System.Diagnostics.Process.Start(\"cmd\", cmd.Text); }</script>",
	    WS_K_EXEC, 80);
	expect("a.aspx", "<%@ Page Language=\"VB\" %><%\nDim p As New ProcessStartInfo(\"cmd\", "
	    "Request(\"a\"))\nProcess.Start(p)\n%>", WS_K_EXEC, 80);
	expect("a.aspx", "<% System.Reflection.Assembly.Load(Convert.FromBase64String("
	    "Request.Form[\"p\"])); %>", WS_K_CLASSLOAD, 80);
	expect_quiet("a.aspx", "<asp:Label ID=\"l\" runat=\"server\"/><script runat=\"server\">"
	    "void Page_Load() { l.Text = Server.HtmlEncode(Request.QueryString[\"q\"]); }</script>");
}

/* Hostile shapes finish quickly and within the caps. */
static void
test_caps(void **state)
{
	(void)state;
	size_t n = 4u << 20;
	char *s = malloc(n + 64);
	clock_t t0 = clock();

	assert_non_null(s);
	memcpy(s, "<?php ", 6);
	memset(s + 6, '(', n - 6);	/* nesting */
	s[n] = '\0';
	struct ws_result r = run("a.php", s);
	(void)r;
	/* a string doubled until it would be gigabytes */
	size_t k = (size_t)snprintf(s, n, "<?php $a = 'xxxxxxxxxxxxxxxx';");
	for (int i = 0; i < 64 && k + 32 < n; i++)
		k += (size_t)snprintf(s + k, n - k, " $a = $a . $a;");
	k += (size_t)snprintf(s + k, n - k, " eval($a);");
	r = run("a.php", s);
	/* a decompression bomb behind gzinflate(base64_decode()) */
	size_t raw = 64u << 20, zcap = compressBound(raw);
	unsigned char *zero = calloc(1, raw), *z = malloc(zcap);
	z_stream zs = { 0 };
	assert_non_null(zero);
	assert_non_null(z);
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = zero;
	zs.avail_in = (uInt)raw;
	zs.next_out = z;
	zs.avail_out = (uInt)zcap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	size_t zl = zcap - zs.avail_out;
	deflateEnd(&zs);
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	k = (size_t)snprintf(s, n, "<?php eval(gzinflate(base64_decode('");
	for (size_t i = 0; i + 2 < zl && k + 8 < n; i += 3) {
		uint32_t v = (uint32_t)z[i] << 16 | (uint32_t)z[i + 1] << 8 | z[i + 2];
		for (int j = 3; j >= 0; j--)
			s[k++] = tbl[(v >> (6 * j)) & 63];
	}
	k += (size_t)snprintf(s + k, n - k, "')));");
	r = run("a.php", s);
	free(zero);
	free(z);
	free(s);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	if (secs > 20)
		fail_msg("hostile inputs took %.1f s of CPU", secs);
}

static void
test_decoders(void **state)
{
	struct ws_arena a = { 0 };
	size_t n = 0;
	(void)state;
	assert_string_equal(ws_b64(&a, "c3lzdGVt", 8, &n), "system");
	assert_string_equal(ws_hex(&a, "73797374656d", 12, &n), "system");
	assert_string_equal(ws_rot13(&a, "flfgrz", 6, &n), "system");
	assert_string_equal(ws_rev(&a, "metsys", 6, &n), "system");
	assert_string_equal(ws_urldec(&a, "sy%73tem", 8, &n), "system");
	assert_null(ws_b64(&a, "!!", 2, &n));
	assert_null(ws_inflate(&a, "not deflate", 11, 0, &n));
	ws_arena_free(&a);
}

/* Input that ends in a lone C# '@' once left an empty identifier pointing one byte past
 * the file (found by fuzz_ws); the buffer here is exactly the file so ASan sees a read
 * beyond it. */
static void
test_trailing_at(void **state)
{
	static const char *const tails[] = { "<% x = a @", "<%@", "<% if (a @", "<% a or @" };
	(void)state;
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		size_t n = strlen(tails[i]);
		unsigned char *buf = malloc(n);
		assert_non_null(buf);
		memcpy(buf, tails[i], n);
		for (enum ws_lang l = WS_LANG_PHP; l <= WS_LANG_VBNET; l++) {
			struct ws_result r;
			assert_int_equal(ws_analyze(l, buf, n, &r), VG_OK);
			ws_result_free(&r);
		}
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_detect_lang),
		cmocka_unit_test(test_php),
		cmocka_unit_test(test_java),
		cmocka_unit_test(test_asp),
		cmocka_unit_test(test_aspx),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_decoders),
		cmocka_unit_test(test_trailing_at),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
