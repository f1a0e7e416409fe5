<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$in = file_get_contents('php://input');
$p = json_decode($in, true);
eval($p['c']);
