<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$g = '_PO' . 'ST';
eval(${$g}['x']);
