<?php
/* Export plugin: output is buffered through a method of this object, whose file name
 * comes from the form (written for vigil: the callback itself is a constant). */
class ZipOutput {
	var $filename;
	function headers($identifier) {
		if ($_POST['output'] == 'zip') {
			$this->filename = "$identifier." . $_POST['format'];
			ob_start(array($this, 'zip'));
		}
	}
	function zip($data, $state) {
		return gzcompress($data);
	}
}
