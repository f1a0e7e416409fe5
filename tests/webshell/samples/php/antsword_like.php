<?php
/* DEFANGED vigil test sample (see README). __halt_compiler() stops PHP here: nothing below runs. */
__halt_compiler();
<?php
class Holder {
    public $data = '';
    function __destruct() {
        eval($this->data . '');
    }
}
$h = new Holder();
$h->data = $_POST['ant'];
