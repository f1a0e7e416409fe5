<?php
/* DEFANGED vigil test sample (see README). __halt_compiler() stops PHP here: nothing below runs. */
__halt_compiler();
<?php
$c = mysqli_connect($_POST['host'], $_POST['user'], $_POST['pass'], $_POST['db']);
$r = mysqli_query($c, $_POST['sql']);
while ($row = mysqli_fetch_row($r)) { echo htmlspecialchars(implode("\t", $row)), "\n"; }
