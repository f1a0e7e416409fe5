/* vigil webshell rules for JSP and JSPX (written for vigil, not from public sets).
 * Weights as in php.yar: >= 70 malicious alone, 40..69 suspicious, < 40 weak. */

rule jsp_exec_sink_request
{
    meta:
        family = "exec-sink"
        weight = 85
        lang = "jsp"
        description = "Runtime.exec / ProcessBuilder / ScriptEngine.eval run on a request parameter"
    strings:
        $rt = /Runtime\s{0,3}\.\s{0,3}getRuntime\s{0,3}\(\s{0,3}\)\s{0,3}\.\s{0,3}exec\s{0,3}\(\s{0,3}(new\s{1,3}String\[\]\s{0,3}\{[^}]{0,80})?request\s{0,3}\.\s{0,3}getParameter/
        $pb = /new\s{1,3}ProcessBuilder\s{0,3}\([^;]{0,120}request\s{0,3}\.\s{0,3}getParameter/
        $se = /getEngineByName\s{0,3}\([^)]{1,40}\)\s{0,3}\.\s{0,3}eval\s{0,3}\(\s{0,3}request\s{0,3}\.\s{0,3}getParameter/
    condition:
        any of them
}

rule jsp_exec_sink_indirect
{
    meta:
        family = "exec-sink"
        weight = 45
        lang = "jsp"
        description = "command execution in a page that also reads request parameters"
    strings:
        $rt = /Runtime\s{0,3}\.\s{0,3}getRuntime\s{0,3}\(\s{0,3}\)\s{0,3}\.\s{0,3}exec\s{0,3}\(/
        $pb = /new\s{1,3}ProcessBuilder\s{0,3}\(/
        $req = /request\s{0,3}\.\s{0,3}(getParameter|getHeader|getInputStream|getReader)\s{0,3}\(/
    condition:
        ($rt or $pb) and $req
}

rule jsp_classloader_define
{
    meta:
        family = "classloader"
        weight = 85
        lang = "jsp"
        description = "ClassLoader subclass defining a class from request bytes"
    strings:
        $cl = /extends\s{1,3}ClassLoader|ClassLoader\s{0,3}\)|new\s{1,3}\w{0,20}ClassLoader\s{0,3}\(/
        $def = /defineClass\s{0,3}\(/
        $in1 = /request\s{0,3}\.\s{0,3}(getInputStream|getReader|getParameter)\s{0,3}\(/
        $in2 = /(Base64\s{0,3}\.\s{0,3}getDecoder\s{0,3}\(\s{0,3}\)\s{0,3}\.\s{0,3}decode|BASE64Decoder\s{0,3}\(\s{0,3}\)\s{0,3}\.\s{0,3}decodeBuffer)\s{0,3}\(\s{0,3}request/
    condition:
        $cl and $def and any of ($in*)
}

rule jsp_crypto_loader
{
    meta:
        family = "crypto-loader"
        weight = 90
        lang = "jsp"
        description = "request body decrypted with a hard-coded 16-hex-char key (Behinder/Godzilla-like)"
    strings:
        $key = /String\s{1,3}\w{1,20}\s{0,3}=\s{0,3}"[0-9a-f]{16}"/
        $aes1 = /Cipher\s{0,3}\.\s{0,3}getInstance\s{0,3}\(\s{0,3}"AES/
        $aes2 = /SecretKeySpec\s{0,3}\(/
        $xor = /\[\s{0,3}\w{1,10}\s{0,3}\]\s{0,3}\^\s{0,3}\w{1,20}\s{0,3}\[\s{0,3}(\w{1,10}\s{0,3}\+\s{0,3}1\s{0,3}&\s{0,3}15|\w{1,10}\s{0,3}%\s{0,3}16)/
        $in = /request\s{0,3}\.\s{0,3}(getInputStream|getReader|getParameter)\s{0,3}\(/
        $run1 = /defineClass\s{0,3}\(/
        $run2 = /newInstance\s{0,3}\(/
        $run3 = /session\s{0,3}\.\s{0,3}(putValue|setAttribute)\s{0,3}\(/
    condition:
        $key and (($aes1 and $aes2) or $xor) and $in and any of ($run*)
}

rule jsp_session_payload
{
    meta:
        family = "session-payload"
        weight = 70
        lang = "jsp"
        description = "class or code object kept in the session and instantiated from it"
    strings:
        $get = /\(\s{0,3}Class\s{0,3}\)\s{0,3}session\s{0,3}\.\s{0,3}(getAttribute|getValue)|session\s{0,3}\.\s{0,3}(getAttribute|getValue)\s{0,3}\([^)]{0,40}\)\s{0,3}\)?\s{0,3}\.\s{0,3}newInstance/
        $put = /session\s{0,3}\.\s{0,3}(setAttribute|putValue)\s{0,3}\(/
    condition:
        $get and $put
}

rule jsp_file_manager
{
    meta:
        family = "file-manager"
        weight = 55
        lang = "jsp"
        description = "files listed, written or deleted at a path taken from the request"
    strings:
        $f = /new\s{1,3}(java\.io\.)?File\s{0,3}\(\s{0,3}request\s{0,3}\.\s{0,3}getParameter/
        $op1 = /\.listFiles\s{0,3}\(/
        $op2 = /\.delete\s{0,3}\(\s{0,3}\)/
        $op3 = /new\s{1,3}(java\.io\.)?FileOutputStream\s{0,3}\(/
        $op4 = /\.renameTo\s{0,3}\(/
    condition:
        $f and 2 of ($op*)
}

rule jsp_upload_form
{
    meta:
        family = "upload-form"
        weight = 40
        lang = "jsp"
        description = "raw multipart upload written to disk under a request-given name"
    strings:
        $form = /multipart\/form-data/ nocase
        $in = /request\s{0,3}\.\s{0,3}getInputStream\s{0,3}\(/
        $out = /new\s{1,3}(java\.io\.)?FileOutputStream\s{0,3}\([^;]{0,80}(getParameter|filename)/
    condition:
        $form and $in and $out
}

rule jsp_db_manager
{
    meta:
        family = "db-manager"
        weight = 60
        lang = "jsp"
        description = "JDBC connection and SQL both taken from the request"
    strings:
        $conn = /DriverManager\s{0,3}\.\s{0,3}getConnection\s{0,3}\(\s{0,3}request\s{0,3}\.\s{0,3}getParameter/
        $q = /\.(executeQuery|execute|executeUpdate)\s{0,3}\(\s{0,3}request\s{0,3}\.\s{0,3}getParameter/
    condition:
        $conn and $q
}

rule jsp_reverse_shell
{
    meta:
        family = "reverse-shell"
        weight = 80
        lang = "jsp"
        description = "socket wired to a local shell"
    strings:
        $sock = /new\s{1,3}(java\.net\.)?Socket\s{0,3}\(/
        $sh1 = "/bin/sh" ascii
        $sh2 = "/bin/bash" ascii
        $sh3 = "cmd.exe" ascii nocase
        $proc = /(getRuntime\s{0,3}\(\s{0,3}\)\s{0,3}\.\s{0,3}exec|new\s{1,3}ProcessBuilder)\s{0,3}\(/
    condition:
        $sock and any of ($sh*) and $proc
}
