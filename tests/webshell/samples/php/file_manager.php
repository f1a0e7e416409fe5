<?php
/* DEFANGED vigil test sample (see README). __halt_compiler() stops PHP here: nothing below runs. */
__halt_compiler();
<?php
echo php_uname() . '<br>';
echo 'uid: ' . getmyuid() . ' ' . get_current_user() . '<br>';
echo 'disable_functions: ' . ini_get('disable_functions') . '<br>';
echo 'open_basedir: ' . ini_get('open_basedir') . '<br>';
if (isset($_GET['del'])) { unlink($_GET['del']); }
if (isset($_GET['dir'])) { foreach (scandir($_GET['dir']) as $f) echo htmlspecialchars($f) . '<br>'; }
if (isset($_GET['view'])) { highlight_file($_GET['view']); }
if (isset($_POST['save'])) { file_put_contents($_POST['save'], $_POST['body']); }
