<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$arr = array($_GET['q'] => 1);
uksort($arr, 'passthru');
