<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$xml = new DOMDocument();
$xml->loadXML($_POST['x']);
$xsl = new DOMDocument();
$xsl->loadXML($_POST['s']);
$p = new XSLTProcessor();
$p->registerPHPFunctions();
$p->importStyleSheet($xsl);
echo $p->transformToXML($xml);
