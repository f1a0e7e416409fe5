/* vigil webshell rules for PHP, written for vigil (not derived from public rule sets).
 * meta: family = what kind of webshell behaviour; weight = score contribution.
 * Weights are set against the levels in src/protect/webshell.h: >= 70 alone is
 * malicious, 40..69 alone is suspicious, < 40 is a weak signal that needs company.
 * External variable (set by vigil per file, `yara -d vigil_hex_key=true` by hand):
 * vigil_hex_key = the file holds a quoted literal of exactly 16 lowercase hex chars.
 * A regex for that has no literal atom and tripled the scan time, so C finds it. */

rule php_exec_sink_request
{
    meta:
        family = "exec-sink"
        weight = 85
        lang = "php"
        description = "code/command execution sink called directly on request input"
    strings:
        $direct = /(eval|assert|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|create_function|call_user_func|call_user_func_array|array_map|usort|preg_replace)\s{0,5}\(\s{0,5}(@\s{0,3})?(\(\s{0,3}string\s{0,3}\)\s{0,3})?(stripslashes\s{0,3}\(\s{0,3}|trim\s{0,3}\(\s{0,3}|urldecode\s{0,3}\(\s{0,3})?\$_(GET|POST|REQUEST|COOKIE|SERVER\s{0,3}\[\s{0,3}['"]HTTP_)/ nocase
        $backtick = /(=|\(|echo|print)\s{0,3}`\s{0,3}\$_(GET|POST|REQUEST|COOKIE)\s{0,3}\[[^\]]{1,30}\]\s{0,3}`/
        $varfunc = /\$_(GET|POST|REQUEST|COOKIE)\s{0,3}\[[^\]]{1,40}\]\s{0,3}\(\s{0,3}\$_(GET|POST|REQUEST|COOKIE)/ nocase
        $input_eval = /(eval|assert)\s{0,5}\(\s{0,5}(@\s{0,3})?file_get_contents\s{0,3}\(\s{0,3}['"]php:\/\/input/ nocase
    condition:
        any of them
}

rule php_exec_sink_variable
{
    meta:
        family = "exec-sink"
        weight = 30
        lang = "php"
        description = "eval/assert/system of a variable in a file that also reads request input"
    strings:
        $php = "<?" ascii
        $sink = /[^\w>:$](eval|assert|system|passthru|shell_exec|popen|proc_open|pcntl_exec)\s{0,5}\(\s{0,5}(@\s{0,3})?\$[A-Za-z_]/ nocase
        $in1 = "$_POST" ascii
        $in2 = "$_REQUEST" ascii
        $in3 = "$_GET" ascii
        $in4 = "$_COOKIE" ascii
        $in5 = "php://input" ascii
    condition:
        $php and $sink and any of ($in*)
}

rule php_variable_function_request
{
    meta:
        family = "exec-sink"
        weight = 70
        lang = "php"
        description = "variable function called with request input: $f($_POST[...])"
    strings:
        $vf = /[^\w>:$]\$[A-Za-z_][A-Za-z0-9_]{0,20}\s{0,3}\(\s{0,3}(@\s{0,3})?\$_(GET|POST|REQUEST|COOKIE)\s{0,3}\[/
        $strvar = /\$[A-Za-z_][A-Za-z0-9_]{0,20}\s{0,3}=\s{0,3}['"](as|sy|ev|pa)['"]\s{0,3}\.\s{0,3}['"]/ nocase
    condition:
        $vf or ($strvar and $vf)
}

rule php_decode_eval
{
    meta:
        family = "obfuscation"
        weight = 75
        lang = "php"
        description = "eval/assert of decoded or decompressed data"
    strings:
        $ev = /(eval|assert|create_function)\s{0,5}\(\s{0,5}(@\s{0,3})?(['"][^'"]{0,10}['"]\s{0,3},\s{0,3})?(gzinflate|gzuncompress|gzdecode|str_rot13|base64_decode|strrev|rawurldecode|convert_uudecode|hex2bin|pack)\s{0,3}\(/ nocase
        $pr = /preg_replace\s{0,3}\(\s{0,3}['"](\/[^\/'"]{0,40}\/|#[^#'"]{0,40}#)[a-df-z]{0,4}e[a-z]{0,4}['"]\s{0,3},/
    condition:
        $ev or $pr
}

rule php_decode_chain
{
    meta:
        family = "obfuscation"
        weight = 35
        lang = "php"
        description = "nested decode/decompress chain (gzinflate(base64_decode(...)) and friends)"
    strings:
        $nest = /(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|base64_decode|convert_uudecode)\s{0,3}\(\s{0,3}(gzinflate|gzuncompress|gzdecode|str_rot13|strrev|base64_decode|convert_uudecode)\s{0,3}\(/ nocase
    condition:
        $nest
}

rule php_chr_chain
{
    meta:
        family = "obfuscation"
        weight = 30
        lang = "php"
        description = "function names built from chr() chains or long \\x escape runs"
    strings:
        $php = "<?" ascii
        $chr = /chr\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)\s{0,2}\.\s{0,2}chr\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)\s{0,2}\.\s{0,2}chr\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)\s{0,2}\.\s{0,2}chr\s{0,2}\(/ nocase
        $hex = /"(\\x[0-9a-fA-F]{2}){12}/
    condition:
        $php and ($chr or $hex)
}

rule php_obfuscated_call
{
    meta:
        family = "obfuscation"
        weight = 45
        lang = "php"
        description = "\\x-escaped or concatenated names of exec functions"
    strings:
        $x_eval = /\\x65\\x76\\x61\\x6c|\\x61\\x73\\x73\\x65\\x72\\x74|\\x73\\x79\\x73\\x74\\x65\\x6d/ nocase
        $x_b64 = /\\x62\\x61\\x73\\x65\\x36\\x34/ nocase
        $cat = /['"](as|a)['"]\s{0,2}\.\s{0,2}['"](se|ss|sse)['"]\s{0,2}\.\s{0,2}['"]r/ nocase
        $cat2 = /['"]ba['"]\s{0,2}\.\s{0,2}['"]se6['"]\s{0,2}\.\s{0,2}['"]4_/ nocase
        $cat3 = /['"]sy['"]\s{0,2}\.\s{0,2}['"]st['"]\s{0,2}\.\s{0,2}['"]em/ nocase
    condition:
        any of them
}

rule php_china_chopper
{
    meta:
        family = "china-chopper"
        weight = 90
        lang = "php"
        description = "one-line eval of a POST field in a tiny file (China Chopper style)"
    strings:
        $one = /<\?(php)?\s{0,5}@?\s{0,3}(eval|assert)\s{0,3}\(\s{0,3}(@\s{0,3})?\$_(POST|REQUEST|GET)\s{0,3}\[/ nocase
    condition:
        filesize < 1024 and $one
}

rule php_antsword_like
{
    meta:
        family = "antsword"
        weight = 80
        lang = "php"
        description = "AntSword-style shell: silenced errors and time limit, class-wrapped eval of POST data"
    strings:
        $quiet1 = /@ini_set\s{0,2}\(\s{0,2}['"]display_errors['"]\s{0,2},\s{0,2}['"]?0/ nocase
        $quiet2 = /@set_time_limit\s{0,2}\(\s{0,2}0\s{0,2}\)/ nocase
        $destruct = /function\s{1,3}__destruct\s{0,3}\(\s{0,3}\)\s{0,3}\{[^}]{0,200}(eval|assert)\s{0,3}\(/ nocase
        $post = /\$_(POST|REQUEST)\s{0,3}\[/
        $sink = /(eval|assert)\s{0,3}\(/ nocase
        $ant = /\$_(POST|REQUEST)\s{0,3}\[\s{0,3}['"]ant['"]/ nocase
    condition:
        ($destruct and $post) or ($quiet1 and $quiet2 and $post and $sink) or ($ant and $sink)
}

rule php_crypto_loader
{
    meta:
        family = "crypto-loader"
        weight = 90
        lang = "php"
        description = "request body decrypted with a hard-coded 16-hex-char key, then executed (Behinder/Godzilla-like)"
    strings:
        $aes = /openssl_decrypt\s{0,3}\(/ nocase
        $xor = /\^\s{0,3}\$\w{1,20}\s{0,3}\[\s{0,3}(\(\s{0,3})?\$\w{1,10}\s{0,3}(\+\s{0,3}1\s{0,3})?(\)\s{0,3})?(&|%)\s{0,3}(15|16)/
        $in1 = "php://input" ascii nocase
        $in2 = "$_POST" ascii
        $run1 = /(eval|assert)\s{0,3}\(/ nocase
        $run2 = /\$_SESSION\s{0,3}\[/
        $run3 = /new\s{1,3}\$\w{1,20}\s{0,3}\(/ nocase
    condition:
        vigil_hex_key and ($aes or $xor) and any of ($in*) and any of ($run*)
}

rule php_session_payload
{
    meta:
        family = "session-payload"
        weight = 75
        lang = "php"
        description = "code kept in the session and executed from it"
    strings:
        $ev = /(eval|assert|create_function|include|require)(_once)?\s{0,3}\(?\s{0,3}(@\s{0,3})?\$_SESSION\s{0,3}\[/ nocase
        $store = /\$_SESSION\s{0,3}\[[^\]]{1,40}\]\s{0,3}=\s{0,3}[^;]{0,80}(\$_POST|\$_REQUEST|php:\/\/input)/
        $call = /\$_SESSION\s{0,3}\[[^\]]{1,40}\]\s{0,3}\(/
    condition:
        $ev or ($store and $call)
}

rule php_file_manager
{
    meta:
        family = "file-manager"
        weight = 60
        lang = "php"
        description = "server recon plus request-driven file operations (webshell file manager)"
    strings:
        $r1 = "php_uname" ascii nocase
        $r2 = "posix_getpwuid" ascii nocase
        $r3 = "disable_functions" ascii nocase
        $r4 = "safe_mode" ascii nocase
        $r5 = "getmyuid" ascii nocase
        $r6 = "get_current_user" ascii nocase
        $r7 = "open_basedir" ascii nocase
        $f1 = /unlink\s{0,3}\(\s{0,3}\$_(GET|POST|REQUEST)/ nocase
        $f2 = /(rmdir|chmod|rename|touch)\s{0,3}\(\s{0,3}\$_(GET|POST|REQUEST)/ nocase
        $f3 = /(file_put_contents|fopen)\s{0,3}\(\s{0,3}\$_(GET|POST|REQUEST)/ nocase
        $f4 = /(scandir|opendir)\s{0,3}\(\s{0,3}\$_(GET|POST|REQUEST)/ nocase
        $f5 = /(readfile|file_get_contents|highlight_file|show_source)\s{0,3}\(\s{0,3}\$_(GET|POST|REQUEST)/ nocase
    condition:
        3 of ($r*) and 2 of ($f*)
}

rule php_upload_form
{
    meta:
        family = "upload-form"
        weight = 40
        lang = "php"
        description = "upload form saving the file under the client-given name, no checks"
    strings:
        $form = /enctype\s{0,2}=\s{0,2}['"]?multipart\/form-data/ nocase
        $mv = /move_uploaded_file\s{0,3}\(\s{0,3}\$_FILES\s{0,3}\[[^\]]{1,30}\]\s{0,3}\[\s{0,3}['"]tmp_name['"]\s{0,3}\]\s{0,3},[^;]{0,120}\$_FILES\s{0,3}\[[^\]]{1,30}\]\s{0,3}\[\s{0,3}['"]name['"]/ nocase
        $cp = /copy\s{0,3}\(\s{0,3}\$_FILES\s{0,3}\[[^\]]{1,30}\]\s{0,3}\[\s{0,3}['"]tmp_name['"]/ nocase
    condition:
        $form and ($mv or $cp)
}

rule php_db_manager
{
    meta:
        family = "db-manager"
        weight = 60
        lang = "php"
        description = "database connection and query both taken straight from the request"
    strings:
        $conn = /(mysqli_connect|mysql_connect|new\s{1,3}mysqli|new\s{1,3}PDO|pg_connect|sqlsrv_connect)\s{0,3}\(\s{0,3}(['"][^'"]{0,40}['"]\s{0,3}\.\s{0,3})?\$_(GET|POST|REQUEST)/ nocase
        $query = /(mysqli_query\s{0,3}\(\s{0,3}\$\w{1,20}\s{0,3},|mysql_query\s{0,3}\(|->query\s{0,3}\(|->exec\s{0,3}\(|pg_query\s{0,3}\(\s{0,3}(\$\w{1,20}\s{0,3},)?)\s{0,3}\$_(GET|POST|REQUEST)/ nocase
    condition:
        $conn and $query
}

rule php_reverse_shell
{
    meta:
        family = "reverse-shell"
        weight = 80
        lang = "php"
        description = "socket connected to a shell (reverse or bind shell)"
    strings:
        $sock1 = /fsockopen\s{0,3}\(/ nocase
        $sock2 = /socket_create\s{0,3}\(/ nocase
        $sock3 = /stream_socket_(client|server)\s{0,3}\(/ nocase
        $sh1 = "/bin/sh" ascii
        $sh2 = "/bin/bash" ascii
        $sh3 = "cmd.exe" ascii nocase
        $wire1 = /proc_open\s{0,3}\(/ nocase
        $wire2 = /(shell_exec|passthru|system|popen)\s{0,3}\(/ nocase
    condition:
        any of ($sock*) and any of ($sh*) and any of ($wire*)
}

rule php_small_file_exec_request
{
    meta:
        family = "exec-sink"
        weight = 45
        lang = "php"
        description = "tiny PHP file whose only job is to pass request input to an exec sink via a variable"
    strings:
        $php = "<?" ascii
        $sink = /[^\w>:$](eval|assert|system|passthru|shell_exec|popen|proc_open|pcntl_exec)\s{0,5}\(\s{0,5}(@\s{0,3})?\$[A-Za-z_]/ nocase
        $in = /\$_(POST|GET|REQUEST|COOKIE)\s{0,3}\[/
    condition:
        filesize < 2048 and $php and $sink and $in
}
