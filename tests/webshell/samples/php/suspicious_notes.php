<?php
/* DEFANGED vigil test sample (see README): a medium signal pair that must stay "suspicious". */
__halt_compiler();
<?php
$h = fopen('notes.txt', 'a');
fwrite($h, $_POST['note']);
echo chr(72) . chr(101) . chr(108) . chr(108) . chr(111);
