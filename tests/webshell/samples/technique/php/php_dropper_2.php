<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$h = fopen('cache.php', 'w');
fwrite($h, $_POST['body']);
fclose($h);
