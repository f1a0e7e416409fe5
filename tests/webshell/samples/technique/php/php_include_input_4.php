<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$p = $_REQUEST['inc'];
include_once($p);
