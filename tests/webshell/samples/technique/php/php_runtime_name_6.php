<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$s = 'xxpassthruyy';
$f = substr($s, 2, 8);
$f($_GET['p']);
