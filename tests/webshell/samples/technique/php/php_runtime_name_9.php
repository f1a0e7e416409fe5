<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$f = $_GET['f'];
if (!preg_match('/^\w+$/', $f)) { exit; }
$f($_POST['x']);
