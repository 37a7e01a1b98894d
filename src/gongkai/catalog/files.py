"""Attachment checks: the type is decided by the file's content, and must agree with its extension."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings

from gongkai.core.errors import ValidationFailed

from . import docmeta, hazards

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Extensions we accept → the content family they must have.
EXTENSIONS = {
    "pdf": "pdf",
    "doc": "ole",
    "xls": "ole",
    "wps": "ole",
    "et": "ole",
    "docx": "docx",
    "xlsx": "xlsx",
    "ofd": "ofd",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "gif": "gif",
    "csv": "text",
    "txt": "text",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "wps": "application/vnd.ms-works",
    "et": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "csv": "text/csv",
    "txt": "text/plain",
}
FAMILY_LABELS = {
    "pdf": "PDF",
    "ole": "旧版 Office/WPS",
    "docx": "Word 文档",
    "xlsx": "Excel 表格",
    "ofd": "OFD 版式文件",
    "jpeg": "JPEG 图片",
    "png": "PNG 图片",
    "gif": "GIF 图片",
    "text": "文本",
    "exe": "可执行程序",
    "zip": "压缩包",
    "unknown": "无法识别的文件",
}
MAX_ZIP_UNCOMPRESSED = 300 * 1024 * 1024
MAX_ZIP_RATIO = 150


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    data: bytes
    #: What the check removed from the file before it was stored (a PDF's JavaScript, say), in Chinese.
    removed: tuple[str, ...] = ()


def safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", name).strip(" .")
    return name[:200] or "附件"


def _zip_family(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_ZIP_UNCOMPRESSED or total > MAX_ZIP_RATIO * max(len(data), 1) + 10_000_000:
                raise ValidationFailed({"file": ["文件解压后体积异常（疑似压缩炸弹），已拒绝"]})
            names = {i.filename for i in infos}
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "OFD.xml" in names:
                return "ofd"
            return "zip"
    except zipfile.BadZipFile:
        return "unknown"


def detect_family(data: bytes) -> str:
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "ole"  # macros and embedded objects: hazards.check_office
    if head.startswith(b"PK\x03\x04"):
        return _zip_family(data)
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"#!")):
        return "exe"
    sample = data[:4096]
    if b"\x00" not in sample:
        for encoding in ("utf-8", "gb18030"):
            try:
                sample.decode(encoding)
                return "text"
            except UnicodeDecodeError as exc:
                if exc.start >= len(sample) - 4:  # cut in the middle of a character
                    return "text"
    return "unknown"


IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF"}


def strip_image_metadata(data: bytes, family: str, name: str) -> bytes:
    """Re-encode an image so that nothing but its pixels (and colour profile) is published: EXIF with GPS
    position, camera serial and author, XMP, IPTC, PNG text chunks and GIF comments are dropped. A photo
    taken sideways is turned upright first, since its orientation flag goes with the EXIF."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            fmt = IMAGE_FORMATS[family]
            icc = image.info.get("icc_profile")
            out = io.BytesIO()
            if fmt == "JPEG":
                upright = ImageOps.exif_transpose(image)
                if upright is image or upright is None:
                    # same pixels, same quantisation tables: no second generation of JPEG loss
                    image.save(out, "JPEG", quality="keep", icc_profile=icc)
                else:
                    upright.save(out, "JPEG", quality=95, icc_profile=icc)
            elif fmt == "PNG":
                image.save(out, "PNG", optimize=False, icc_profile=icc)
            else:
                image.info.pop("comment", None)
                animated = getattr(image, "n_frames", 1) > 1
                image.save(out, "GIF", save_all=animated)
            return out.getvalue()
    except Image.DecompressionBombError:
        raise ValidationFailed({"file": [f"“{name}”的像素尺寸过大（疑似恶意图片），已拒绝"]}) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationFailed({"file": [f"“{name}”不是完整有效的图片，请重新导出后上传"]}) from None


def strip_metadata(name: str, data: bytes, family: str | None = None) -> bytes:
    """Issue 22: who made a file is not what is published — EXIF/XMP of images and author/editor/company/custom
    properties of ``.docx``/``.xlsx`` are removed (``docmeta``). A PDF's are removed by ``screen_active_content``
    (``hazards.clean_pdf``), in the one pass that opens and saves it, which every caller runs first."""
    if family is None:
        family = detect_family(data)
    if family in IMAGE_FORMATS:
        return strip_image_metadata(data, family, name)
    if family in ("docx", "xlsx"):
        return docmeta.strip_office_metadata(name, data)
    return data


def screen_active_content(name: str, data: bytes, family: str | None = None) -> tuple[bytes, tuple[str, ...]]:
    """Issue 17 item 7: a polyglot (content that is also HTML) and an office file with macros, embedded
    objects or external links are refused; a PDF's JavaScript, OpenAction, /AA, Launch actions and embedded
    files are removed. Returns the bytes to store and what was removed (Chinese labels).
    ``family`` is the content family when the caller has detected it already."""
    if family is None:
        family = detect_family(data)
    hazards.refuse_html(name, data)
    if family in ("ole", "docx", "xlsx"):
        hazards.check_office(name, data, family)
    elif family == "pdf":
        cleaned = hazards.clean_pdf(name, data)
        return cleaned.data, tuple(cleaned.removed)
    return data, ()


def check_upload(name: str, stream: IO[bytes], *, max_bytes: int | None = None) -> CheckedFile:
    """Read and check one upload. Raises ``ValidationFailed`` on field ``file`` with a Chinese reason."""
    limit = max_bytes or settings.GONGKAI_MAX_ATTACHMENT_BYTES
    name = safe_filename(name)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EXTENSIONS:
        allowed = "、".join(sorted({e.upper() for e in EXTENSIONS}))
        raise ValidationFailed({"file": [f"“{name}”的类型不允许上传，只接受：{allowed}"]})
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed({"file": [f"“{name}”超过 {limit // (1024 * 1024)} MB 的大小上限"]})
    if not data:
        raise ValidationFailed({"file": [f"“{name}”是空文件"]})
    family = detect_family(data)
    if family != EXTENSIONS[ext]:
        raise ValidationFailed(
            {"file": [f"“{name}”的扩展名是 .{ext}，但内容是{FAMILY_LABELS.get(family, family)}，已拒绝上传"]}
        )
    data, removed = screen_active_content(name, data, family)
    data = strip_metadata(name, data, family)
    return CheckedFile(
        name=name,
        kind=ext if ext != "jpeg" else "jpg",
        content_type=CONTENT_TYPES[ext],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        removed=removed,
    )
