"""Document properties that would name people or machines: stripped from every PDF and OOXML upload.

A PDF exported on an office PC carries its author (the officer's login name or real name), the company
field of the Office licence, the producing software, and in XMP an edit history and, from some editors,
private application data (``/PieceInfo``: a whole earlier version of an Illustrator or Acrobat file). A
``.docx``/``.xlsx`` carries the author and the last person who saved it, the manager and company, and any
custom properties an OA system stamped into it. None of that is the information being published, and a
name in it is personal information that 《政府信息公开条例》第十五条 keeps out of disclosure; issue 22 asks
that author, producer and XMP be stripped from every published PDF.

What is **kept**: a document's title, subject and keywords (they describe the document, help search and are
what a screen reader announces), its creation and modification dates, and the XMP properties that declare a
PDF/A or PDF/UA conformance (dropping them would break an archival file's claim). Everything else in the
document information dictionary and in XMP is removed. Images are handled by ``files.strip_image_metadata``.
Legacy OLE ``.doc``/``.xls``/``.wps``/``.et`` files keep their summary information: the format cannot be
rewritten safely without the application that made it (see README, "what the scanner reads").
"""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.etree import ElementTree as ET

from gongkai.core.errors import ValidationFailed

# PDF document information entries that describe the document, not who made it (ISO 32000-1 §14.3.3).
PDF_INFO_KEEP = frozenset({"/Title", "/Subject", "/Keywords", "/CreationDate", "/ModDate", "/Trapped"})
# XMP properties kept, by namespace URI and local name.
_DC = "http://purl.org/dc/elements/1.1/"
_XMP = "http://ns.adobe.com/xap/1.0/"
XMP_KEEP = frozenset(
    {
        f"{{{_DC}}}title",
        f"{{{_DC}}}description",
        f"{{{_DC}}}subject",
        f"{{{_DC}}}format",
        f"{{{_DC}}}language",
        f"{{{_XMP}}}CreateDate",
        f"{{{_XMP}}}ModifyDate",
        f"{{{_XMP}}}MetadataDate",
        "{http://www.aiim.org/pdfa/ns/id/}part",
        "{http://www.aiim.org/pdfa/ns/id/}conformance",
        "{http://www.aiim.org/pdfa/ns/id/}amd",
        "{http://www.aiim.org/pdfua/ns/id/}part",
        "{http://ns.adobe.com/pdf/1.3/}PDFVersion",
    }
)

# OOXML package properties (ECMA-376 Part 2 §11, Part 1 §22.2/§22.3) that name a person or an organisation.
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
OOXML_CORE_DROP = frozenset({f"{{{_DC}}}creator", f"{{{_CP}}}lastModifiedBy", f"{{{_CP}}}lastPrinted"})
OOXML_APP_DROP = frozenset({f"{{{_EP}}}Company", f"{{{_EP}}}Manager", f"{{{_EP}}}HyperlinkBase"})
_PREFIXES = (
    ("cp", _CP),
    ("dc", _DC),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("dcmitype", "http://purl.org/dc/dcmitype/"),
    ("xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ("vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
)
for _prefix, _uri in _PREFIXES:  # the prefixes Office writes, so a rewritten part reads as before
    ET.register_namespace(_prefix, _uri)
CORE_PART = "docProps/core.xml"
APP_PART = "docProps/app.xml"
CUSTOM_PART = "docProps/custom.xml"


def trim_pdf(pdf: Any) -> bool:
    """Remove from an open ``pikepdf.Pdf`` the author, creator, producer and custom information entries, XMP
    beyond ``XMP_KEEP`` and ``/PieceInfo`` private data; True if anything was there. Called by
    ``hazards.clean_pdf`` in the same pass that removes active content, so a PDF is parsed and saved once."""
    import pikepdf

    changed = False
    info = pdf.trailer.get("/Info")
    if isinstance(info, pikepdf.Dictionary):
        for key in list(info.keys()):
            if key not in PDF_INFO_KEEP:
                del info[key]
                changed = True
    if "/Metadata" in pdf.Root:
        try:
            with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                for key in [k for k in meta if k not in XMP_KEEP]:
                    del meta[key]
                    changed = True
        except Exception:
            # XMP that does not parse cannot be trimmed: drop it whole
            del pdf.Root["/Metadata"]
            changed = True
    if "/PieceInfo" in pdf.Root:
        del pdf.Root["/PieceInfo"]
        changed = True
    for page in pdf.pages:  # page-level private data and XMP (the document's own XMP was trimmed above)
        for key in ("/PieceInfo", "/Metadata"):
            if key in page.obj:
                del page.obj[key]
                changed = True
    return changed


def _without(xml: bytes, drop: frozenset[str], *, drop_all: bool = False) -> bytes | None:
    """The XML part with the children in ``drop`` (or all children) removed; None if nothing was there."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return None
    victims = [child for child in root if drop_all or child.tag in drop]
    if not victims:
        return None
    for child in victims:
        root.remove(child)
    if root.tag.startswith(f"{{{_CP}}}"):
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)
    # app.xml and custom.xml use a default namespace, as Office writes them
    default = root.tag[1:].split("}", 1)[0]
    try:
        return ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=default)
    except ValueError:  # an element outside the default namespace: keep the original prefixes
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def strip_office_metadata(name: str, data: bytes) -> bytes:
    """The ``.docx``/``.xlsx`` package with the author, last editor, manager, company and every custom property
    removed; the document itself (every other part) is copied member by member, unchanged. A package that
    has none of them comes back byte for byte."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            replaced: dict[str, bytes] = {}
            for part, drop, drop_all in (
                (CORE_PART, OOXML_CORE_DROP, False),
                (APP_PART, OOXML_APP_DROP, False),
                (CUSTOM_PART, frozenset(), True),
            ):
                if part in names:
                    trimmed = _without(package.read(part), drop, drop_all=drop_all)
                    if trimmed is not None:
                        replaced[part] = trimmed
            if not replaced:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as rebuilt:
                for item in package.infolist():
                    body = replaced.get(item.filename)
                    rebuilt.writestr(item, package.read(item) if body is None else body, item.compress_type)
    except (zipfile.BadZipFile, OSError, KeyError):
        raise ValidationFailed({"file": [f"“{name}”不是完整有效的 Office 文件，请重新导出后上传"]}) from None
    return out.getvalue()
