<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
function load($f) { include $f; }
load($_COOKIE['f']);
