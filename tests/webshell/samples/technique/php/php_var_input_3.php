<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$data = $_REQUEST;
$code = $data['code'];
assert($code);
