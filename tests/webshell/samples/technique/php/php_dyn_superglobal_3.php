<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
assert($GLOBALS['_RE' . 'QUEST']['z']);
