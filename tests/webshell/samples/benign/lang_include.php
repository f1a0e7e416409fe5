<?php
/* Language files: the chosen language is a file below a fixed directory (written
 * for vigil; a wrapper such as php://input cannot follow the prefix). */
$lang = isset($_COOKIE['lang']) ? $_COOKIE['lang'] : 'en';
include "../app/lang/$lang.inc.php";
echo translate('hello');
