<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$x = trim($_GET['x']);
$y = $x;
system($y);
