<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$code = base64_decode('PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg==');
file_put_contents('up.php', $code);
