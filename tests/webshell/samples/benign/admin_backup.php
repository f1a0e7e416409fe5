<?php
/* Admin-only maintenance script: runs a fixed command with escaped config values. */
require __DIR__ . '/auth.php';
require_admin();
$cfg = parse_ini_file('/etc/site/backup.ini');
$dest = escapeshellarg($cfg['dest']);
exec('/usr/bin/tar czf ' . $dest . ' /srv/www', $out, $rc);
if (isset($_POST['confirm'])) {
    echo $rc === 0 ? 'backup done' : 'backup failed';
}
