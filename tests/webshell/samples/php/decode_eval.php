<?php
/* DEFANGED vigil test sample (see README). __halt_compiler() stops PHP here: nothing below runs. */
__halt_compiler();
<?php
$p = 'REVGQU5HRUQgc2FtcGxlIC0gbm90IGEgcmVhbCBwYXlsb2Fk';
eval(gzinflate(base64_decode($p)));
