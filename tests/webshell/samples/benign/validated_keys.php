<?php
/* Form validation that evaluates a rule expression over request fields whose keys
 * were checked to be identifiers first (written for vigil after a monitoring
 * front end's pattern). */
function check_rule($field, $expression) {
	foreach ($_REQUEST[$field] as $key => $val) {
		if (!preg_match('/^([a-zA-Z0-9_]+)$/', $key)) {
			return false;
		}
		$expr = str_replace('{}', '$_REQUEST["' . $field . '"]["' . $key . '"]', $expression);
		if (!eval('return (' . $expr . ') ? 1 : 0;')) {
			return false;
		}
	}
	return true;
}
