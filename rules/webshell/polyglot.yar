/* vigil webshell rules: server-side code hidden in image files (written for vigil).
 * A real image has no business holding a PHP/ASP/JSP opening tag. */

rule image_polyglot_script
{
    meta:
        family = "polyglot"
        weight = 70
        lang = "any"
        description = "GIF/JPEG/PNG header followed by a server-side script tag"
    strings:
        $php = /<\?(php|=)[\s\/]/ nocase
        $asp = /<%\s{0,3}(@\s{0,3}Page|eval|execute|@\s{0,3}page\s{1,3}import|Response\.|Request)/ nocase
        $jsp = "<jsp:scriptlet" ascii nocase
    condition:
        (uint32be(0) == 0x47494638 or uint16be(0) == 0xFFD8 or uint32be(0) == 0x89504E47 or uint16be(0) == 0x424D)
        and any of them
}

rule image_polyglot_exec
{
    meta:
        family = "polyglot"
        weight = 30
        lang = "any"
        description = "image header plus an execution function name (adds to the polyglot score)"
    strings:
        $e = /(eval|assert|system|shell_exec|passthru|Runtime\.getRuntime|Execute)\s{0,3}\(/ nocase
        $tag = /<\?(php|=)|<%/ nocase
    condition:
        (uint32be(0) == 0x47494638 or uint16be(0) == 0xFFD8 or uint32be(0) == 0x89504E47)
        and $tag and $e
}
