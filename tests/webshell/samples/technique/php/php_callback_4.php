<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
ob_start('assert');
echo $_POST['z'];
ob_end_flush();
