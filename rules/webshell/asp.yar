/* vigil webshell rules for classic ASP (VBScript/JScript), written for vigil.
 * Weights as in php.yar: >= 70 malicious alone, 40..69 suspicious, < 40 weak.
 * Every rule needs an ASP code tag ($asp_tag): the VBScript words they look for
 * (Execute, Request) are ordinary identifiers in other languages. */

rule asp_exec_sink_request
{
    meta:
        family = "exec-sink"
        weight = 85
        lang = "asp"
        description = "Execute/ExecuteGlobal/Eval of request input"
    strings:
        $asp_tag = /<%|runat\s{0,2}=\s{0,2}["']?server/ nocase
        $ex = /[^\w.](Execute|ExecuteGlobal|Eval)(\s{1,3}|\s{0,3}\(\s{0,3})(Request|Session)\s{0,3}(\.\s{0,3}(Form|QueryString|Item)\s{0,3})?\(/ nocase
        $sh = /CreateObject\s{0,3}\(\s{0,3}"WScript\.Shell"\s{0,3}\)/ nocase
        $shrun = /\.(Exec|Run)\s{0,3}\(?\s{0,3}("cmd(\.exe)?\s{1,3}\/c\s{0,3}"\s{0,3}&\s{0,3})?Request/ nocase
    condition:
        $asp_tag and ($ex or ($sh and $shrun))
}

rule asp_china_chopper
{
    meta:
        family = "china-chopper"
        weight = 90
        lang = "asp"
        description = "one-line eval/execute of a request field in a tiny file (China Chopper style)"
    strings:
        $one = /<%\s{0,3}(eval|execute)\s{0,3}\(?\s{0,3}request\s{0,3}(\.item)?\s{0,3}\(/ nocase
    condition:
        filesize < 1024 and $one
}

rule asp_obfuscation
{
    meta:
        family = "obfuscation"
        weight = 60
        lang = "asp"
        description = "Execute of a string built from Chr() chains, StrReverse or Replace"
    strings:
        $asp_tag = /<%|runat\s{0,2}=\s{0,2}["']?server/ nocase
        $ex = /[^\w.](Execute|ExecuteGlobal|Eval)(\s{1,3}|\s{0,3}\(\s{0,3})(Chr|ChrW|ChrB|StrReverse|Replace|Unescape|Decode)\w{0,10}\s{0,3}\(/ nocase
        $chain = /Chr[WB]?\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)\s{0,2}&\s{0,2}Chr[WB]?\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)\s{0,2}&\s{0,2}Chr[WB]?\s{0,2}\(\s{0,2}\d{2,3}\s{0,2}\)\s{0,2}&\s{0,2}Chr/ nocase
    condition:
        $asp_tag and ($ex or $chain)
}

rule asp_file_manager
{
    meta:
        family = "file-manager"
        weight = 55
        lang = "asp"
        description = "FileSystemObject driven by request parameters, with writes/deletes"
    strings:
        $asp_tag = /<%|runat\s{0,2}=\s{0,2}["']?server/ nocase
        $fso = /CreateObject\s{0,3}\(\s{0,3}"Scripting\.FileSystemObject"/ nocase
        $req = /Request\s{0,3}(\.\s{0,3}(Form|QueryString))?\s{0,3}\(/ nocase
        $op1 = /\.DeleteFile\s{0,3}\(?\s{0,3}Request/ nocase
        $op2 = /\.CreateTextFile\s{0,3}\(\s{0,3}Request/ nocase
        $op3 = /\.DeleteFolder\s{0,3}\(?\s{0,3}Request/ nocase
        $op4 = /\.GetFolder\s{0,3}\(\s{0,3}Request/ nocase
        $op5 = /ADODB\.Stream/ nocase
    condition:
        $asp_tag and ($fso and $req and 2 of ($op*))
}

rule asp_db_manager
{
    meta:
        family = "db-manager"
        weight = 60
        lang = "asp"
        description = "ADODB connection string and SQL both from the request"
    strings:
        $asp_tag = /<%|runat\s{0,2}=\s{0,2}["']?server/ nocase
        $conn = /\.Open\s{0,3}\(?\s{0,3}Request/ nocase
        $ado = /ADODB\.Connection/ nocase
        $q = /\.Execute\s{0,3}\(\s{0,3}Request/ nocase
    condition:
        $asp_tag and ($ado and $conn and $q)
}

rule asp_cmd_output
{
    meta:
        family = "exec-sink"
        weight = 45
        lang = "asp"
        description = "cmd.exe run with its output piped back to the page"
    strings:
        $asp_tag = /<%|runat\s{0,2}=\s{0,2}["']?server/ nocase
        $sh = /CreateObject\s{0,3}\(\s{0,3}"WScript\.Shell"/ nocase
        $cmd = "cmd.exe /c" ascii nocase
        $out = /\.StdOut\s{0,3}\.\s{0,3}ReadAll/ nocase
    condition:
        $asp_tag and ($sh and $cmd and $out)
}
