<?php
/* Front controller: ?op= names a method of the handler object (written for vigil:
 * the request picks a method of one class, never an arbitrary function). */
class Handler_Public {
	function index() { echo "index"; }
	function feed() { echo "feed"; }
}
$method = strtolower($_REQUEST['op']);
$handler = new Handler_Public();
if ($method && method_exists($handler, $method)) {
	$handler->$method();
} else {
	$handler->index();
}
