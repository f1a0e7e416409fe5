<?php
/* Avatar upload with type and name checks; the stored name is generated. */
if (!empty($_FILES['avatar']) && $_FILES['avatar']['error'] === UPLOAD_ERR_OK) {
    $info = getimagesize($_FILES['avatar']['tmp_name']);
    if ($info && in_array($info[2], array(IMAGETYPE_PNG, IMAGETYPE_JPEG), true)) {
        $name = bin2hex(random_bytes(16)) . image_type_to_extension($info[2]);
        move_uploaded_file($_FILES['avatar']['tmp_name'], '/srv/uploads/' . $name);
    }
}
?>
<form method="post" enctype="multipart/form-data"><input type="file" name="avatar"></form>
