/* vigil webshell rules for ASP.NET (ASPX/ASHX), written for vigil.
 * Weights as in php.yar: >= 70 malicious alone, 40..69 suspicious, < 40 weak.
 * vigil_hex_key: external set by vigil, see php.yar. */

rule aspx_exec_sink_request
{
    meta:
        family = "exec-sink"
        weight = 85
        lang = "aspx"
        description = "Process.Start / cmd.exe with arguments from the request"
    strings:
        $ps = /Process\s{0,3}\.\s{0,3}Start\s{0,3}\([^;]{0,80}Request\s{0,3}(\.\s{0,3}(Form|QueryString|Params|Item))?\s{0,3}\[/
        $psi = /(Arguments|FileName)\s{0,3}=\s{0,3}("\/c\s{0,3}"\s{0,3}\+\s{0,3})?Request\s{0,3}(\.\s{0,3}(Form|QueryString|Params|Item))?\s{0,3}\[/
        $proc = /new\s{1,3}(System\.Diagnostics\.)?ProcessStartInfo\s{0,3}\(/
    condition:
        $ps or ($psi and $proc)
}

rule aspx_jscript_eval
{
    meta:
        family = "china-chopper"
        weight = 90
        lang = "aspx"
        description = "JScript.NET eval of a request field with the \"unsafe\" flag (China Chopper ASPX)"
    strings:
        $ev = /eval\s{0,3}\(\s{0,3}Request\s{0,3}(\.\s{0,3}(Item|Form))?\s{0,3}\[[^\]]{1,40}\]\s{0,3},\s{0,3}["']unsafe["']/ nocase
    condition:
        $ev
}

rule aspx_assembly_load
{
    meta:
        family = "classloader"
        weight = 85
        lang = "aspx"
        description = "Assembly.Load of bytes that come from the request"
    strings:
        $load = /Assembly\s{0,3}\.\s{0,3}Load\s{0,3}\(/
        $in1 = /Request\s{0,3}\.\s{0,3}BinaryRead\s{0,3}\(/
        $in2 = /Convert\s{0,3}\.\s{0,3}FromBase64String\s{0,3}\(\s{0,3}Request/
        $in3 = /Request\s{0,3}\.\s{0,3}InputStream/
    condition:
        $load and any of ($in*)
}

rule aspx_crypto_loader
{
    meta:
        family = "crypto-loader"
        weight = 90
        lang = "aspx"
        description = "request body decrypted with a hard-coded 16-hex-char key, then loaded (Behinder/Godzilla-like)"
    strings:
        $aes = /(RijndaelManaged|Aes\s{0,3}\.\s{0,3}Create|AesManaged)\s{0,3}\(/
        $xor = /\[\s{0,3}\w{1,10}\s{0,3}\]\s{0,3}\^\s{0,3}\w{1,20}\s{0,3}\[\s{0,3}(\w{1,10}\s{0,3}\+\s{0,3}1\s{0,3}&\s{0,3}15|\w{1,10}\s{0,3}%\s{0,3}16)/
        $in1 = /Request\s{0,3}\.\s{0,3}BinaryRead\s{0,3}\(/
        $in2 = /Request\s{0,3}\.\s{0,3}(InputStream|Form)/
        $run1 = /Assembly\s{0,3}\.\s{0,3}Load\s{0,3}\(/
        $run2 = /CreateInstance\s{0,3}\(/
        $run3 = /Session\s{0,3}(\.\s{0,3}Add\s{0,3}\(|\[)/
    condition:
        vigil_hex_key and ($aes or $xor) and any of ($in*) and any of ($run*)
}

rule aspx_session_payload
{
    meta:
        family = "session-payload"
        weight = 70
        lang = "aspx"
        description = "assembly kept in the session and instantiated from it"
    strings:
        $get = /\(\s{0,3}(System\.Reflection\.)?Assembly\s{0,3}\)\s{0,3}Session\s{0,3}\[|Session\s{0,3}\[[^\]]{1,40}\]\s{0,3}as\s{1,3}(System\.Reflection\.)?Assembly/
        $put = /Session\s{0,3}(\[[^\]]{1,40}\]\s{0,3}=|\.\s{0,3}Add\s{0,3}\()/
    condition:
        $get and $put
}

rule aspx_file_manager
{
    meta:
        family = "file-manager"
        weight = 55
        lang = "aspx"
        description = "directory listing and file deletion/writes at request-given paths"
    strings:
        $list = /(Directory\s{0,3}\.\s{0,3}GetFiles|new\s{1,3}DirectoryInfo)\s{0,3}\(\s{0,3}(Server\s{0,3}\.\s{0,3}MapPath\s{0,3}\(\s{0,3})?Request/
        $op1 = /File\s{0,3}\.\s{0,3}Delete\s{0,3}\(\s{0,3}Request/
        $op2 = /File\s{0,3}\.\s{0,3}WriteAll(Text|Bytes)\s{0,3}\(\s{0,3}Request/
        $op3 = /\.SaveAs\s{0,3}\([^;]{0,80}\.FileName/
    condition:
        $list and any of ($op*)
}

rule aspx_upload_form
{
    meta:
        family = "upload-form"
        weight = 40
        lang = "aspx"
        description = "upload saved under the client-given file name"
    strings:
        $save = /\.SaveAs\s{0,3}\([^;]{0,120}(Request\s{0,3}\.\s{0,3}Files\s{0,3}\[[^\]]{1,30}\]|PostedFile)\s{0,3}\.\s{0,3}FileName/
        $form = /multipart\/form-data|type\s{0,2}=\s{0,2}["']?file/ nocase
    condition:
        $save and $form
}

rule aspx_db_manager
{
    meta:
        family = "db-manager"
        weight = 60
        lang = "aspx"
        description = "SQL connection string and command text from the request"
    strings:
        $conn = /new\s{1,3}(Sql|OleDb|Odbc)Connection\s{0,3}\(\s{0,3}Request/
        $cmd = /new\s{1,3}(Sql|OleDb|Odbc)Command\s{0,3}\(\s{0,3}Request/
    condition:
        $conn and $cmd
}

rule aspx_reverse_shell
{
    meta:
        family = "reverse-shell"
        weight = 80
        lang = "aspx"
        description = "TcpClient stream wired to cmd.exe"
    strings:
        $tcp = /new\s{1,3}(System\.Net\.Sockets\.)?TcpClient\s{0,3}\(/
        $cmd = "cmd.exe" ascii nocase
        $io = /(StandardInput|RedirectStandardInput)/
    condition:
        $tcp and $cmd and $io
}
