"""Images are re-encoded at upload: GPS position, author and camera data never reach the public site."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from gongkai.catalog import services
from gongkai.catalog.files import check_upload
from gongkai.core.errors import ValidationFailed

GPS_IFD = 0x8825
ARTIST, ORIENTATION = 0x013B, 0x0112


def _jpeg_with_exif(orientation: int = 1) -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[ARTIST] = "张三 13812345678"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def test_jpeg_loses_gps_and_author_but_keeps_its_pixels():
    raw = _jpeg_with_exif()
    with Image.open(io.BytesIO(raw)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the fixture really carries a position
    checked = check_upload("现场照片.jpg", io.BytesIO(raw))
    assert b"13812345678" not in checked.data and "张三".encode() not in checked.data
    with Image.open(io.BytesIO(checked.data)) as after:
        assert after.size == (40, 20)
        assert not after.getexif() and "exif" not in after.info
        red, green, blue = after.getpixel((10, 10))
        assert red > 150 and green < 80 and blue < 80
    assert checked.size == len(checked.data)


def test_a_sideways_photo_is_turned_upright_before_its_orientation_flag_is_dropped():
    checked = check_upload("竖拍.jpg", io.BytesIO(_jpeg_with_exif(orientation=6)))
    with Image.open(io.BytesIO(checked.data)) as after:
        assert after.size == (20, 40) and not after.getexif()


def test_png_text_chunks_and_gif_comments_are_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "李四 身份证 330102199001011234")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG", pnginfo=info)
    checked = check_upload("示意图.png", io.BytesIO(out.getvalue()))
    assert b"Author" not in checked.data and "李四".encode() not in checked.data

    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF", comment="王五 13900001111")
    checked = check_upload("动图.gif", io.BytesIO(out.getvalue()))
    assert b"13900001111" not in checked.data


def test_a_truncated_image_is_refused_with_a_reason():
    with pytest.raises(ValidationFailed) as exc:
        check_upload("坏图.jpg", io.BytesIO(_jpeg_with_exif()[:200]))
    assert exc.value.errors["file"] == ["“坏图.jpg”不是完整有效的图片，请重新导出后上传"]


def test_the_stored_attachment_is_the_stripped_one(draft, people):
    entry = draft()
    upload = io.BytesIO(_jpeg_with_exif())
    att = services.add_attachment(actor=people["drafter"], entry=entry, name="照片.jpg", stream=upload)
    stored = att.file.read()
    assert b"13812345678" not in stored and att.size == len(stored)
