"""Photos of posted boards, uploaded from a phone: the upload rules of ``catalog.files`` (type from the
content, matching the extension), JPEG or PNG only, a size and pixel limit (``data/channels.yaml``), and every
metadata block — EXIF with the GPS position, camera and time — removed by re-encoding with Pillow. The only
place a board has is its registered place (公开栏登记的设置地点), never the phone's position."""

from __future__ import annotations

import io
from typing import IO

from gongkai.catalog.files import CheckedFile, check_upload
from gongkai.core.errors import ValidationFailed

from . import config

PHOTO_KINDS = ("jpg", "png")


def check_photo(name: str, stream: IO[bytes]) -> CheckedFile:
    from PIL import Image

    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ("jpg", "jpeg", "png"):
        raise ValidationFailed({"photo": [f"“{name}”不是 JPEG 或 PNG 照片；手机照片请选择 JPG 格式（HEIC 请先转换）"]})
    limit = config.get("photo_max_bytes").value
    try:
        checked = check_upload(name, stream, max_bytes=limit)  # re-encoded: EXIF, XMP, text chunks dropped
    except ValidationFailed as exc:
        raise ValidationFailed({"photo": [exc.message]}) from None
    with Image.open(io.BytesIO(checked.data)) as image:
        if image.width * image.height > config.get("photo_max_pixels").value:
            raise ValidationFailed(
                {"photo": [f"“{checked.name}”像素过多（{image.width}×{image.height}），请缩小后上传"]}
            )
    return checked
