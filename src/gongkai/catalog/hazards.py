"""Active content in uploads: what an attachment could *do* when a reader opens it, beyond showing text.

Issue 17 item 7 (penetration test): an ``.xlsx`` with an embedded executable, a PDF with JavaScript /
OpenAction and a PDF/HTML polyglot were accepted. 《政府信息公开条例》第二十三条 asks that published
information be accurate; GB/T 22239-2019（等保 2.0）8.1.4.4 恶意代码防范 asks that files entering the
system be checked. Here:

- office files (OLE ``doc``/``xls``/``wps``/``et`` and OOXML ``docx``/``xlsx``) with VBA or XLM macros,
  embedded OLE objects (packages, executables, ActiveX) or links that make Office fetch something from
  elsewhere (remote templates, external workbooks, linked OLE objects) are **refused** (``oletools``);
- PDFs are **cleaned** (``pikepdf``): JavaScript, OpenAction, additional actions (/AA), Launch actions and
  embedded files are removed and a cleaned copy is stored; the caller says what was removed;
- a file of any type whose bytes also read as HTML (a polyglot a browser could be tricked into running) is
  **refused**.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass, field

from gongkai.core.errors import ValidationFailed

from . import docmeta

log = logging.getLogger(__name__)

# Markers of an HTML document or of script a browser would run. Searched in the raw bytes; in compressed
# data (OOXML members, PDF streams, images) a chance hit on one of these is negligible.
HTML_MARKERS = re.compile(
    rb"<\s*(?:script|html|!doctype\s+html|body[\s>]|iframe|object[\s>]|embed[\s>]|svg[\s>]|meta\s+http-equiv)",
    re.IGNORECASE,
)
# Relationship types that make Office load something from outside the file when it opens (oleobj's list
# without ``hyperlink``: an ordinary link the reader chooses to click is no risk of its own).
EXTERNAL_TYPES = {
    "attachedTemplate",
    "externalLink",
    "externalLinkPath",
    "externalReference",
    "frame",
    "officeDocument",
    "oleObject",
    "package",
    "slideUpdateUrl",
    "subDocument",
    "worksheet",
}
# Embedded parts an office editor puts in a file for a chart (a workbook behind a chart); checked in turn.
BENIGN_EMBEDDED = (".xlsx", ".docx", ".pptx")
RE_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_RAW_HAZARDS = {
    b"/JavaScript": "JavaScript 脚本",
    b"/JS": "JavaScript 脚本",
    b"/OpenAction": "打开文件时自动执行的动作（OpenAction）",
    b"/AA": "附加动作（AA）",
    b"/Launch": "启动外部程序的动作（Launch）",
    b"/EmbeddedFiles": "嵌入文件",
    b"/RichMedia": "富媒体内容",
}


@dataclass
class Cleaned:
    """A PDF after cleaning: its bytes (the original ones when nothing was removed) and what was removed."""

    data: bytes
    removed: list[str] = field(default_factory=list)


def _refuse(name: str, reason: str) -> ValidationFailed:
    return ValidationFailed({"file": [f"“{name}”{reason}，存在安全风险，已拒绝上传"]})


def refuse_html(name: str, data: bytes) -> None:
    """A file whose content is also an HTML page (a polyglot) is refused, whatever its type."""
    if HTML_MARKERS.search(data):
        raise _refuse(name, "的内容同时是网页（HTML）代码")


# --- office ------------------------------------------------------------------------------------------


def _macros(name: str, data: bytes) -> bool:
    with warnings.catch_warnings():  # olevba 0.60 builds its grammar with pyparsing's pre-3.0 names
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    try:
        parser = VBA_Parser(name, data=data)
    except Exception:  # olevba: not a container it knows (a plain OOXML without VBA parts, say)
        return False
    try:
        return bool(parser.detect_vba_macros() or parser.detect_xlm_macros())
    except Exception:
        log.warning("olevba could not read %s", name, exc_info=True)
        return False
    finally:
        parser.close()


def _ole_embedded(data: bytes) -> bool:
    """An OLE2 file (doc/xls/wps/et) holding embedded objects: Word's ObjectPool, Excel's MBD storages,
    or an OLE package (``\\x01Ole10Native``, how an executable is embedded)."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except (OSError, ValueError):
        return False
    for path in entries:
        for part in path:
            if part == "ObjectPool" or part.startswith("MBD") or part in ("\x01Ole10Native", "Package"):
                return True
    return False


def _ooxml_external(data: bytes) -> list[str]:
    from oletools import oleobj, ooxml

    try:
        parser = ooxml.XmlParser(io.BytesIO(data))
        return sorted({kind for kind, _ in oleobj.find_external_relationships(parser) if kind in EXTERNAL_TYPES})
    except Exception:
        log.warning("could not read the relationships of an OOXML upload", exc_info=True)
        return []


def _has_member(data: bytes, suffix: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(n.lower().endswith(suffix) for n in zf.namelist())
    except zipfile.BadZipFile:
        return False


def check_office(name: str, data: bytes, family: str, *, depth: int = 0) -> None:
    """Refuse macros, embedded objects and external links in an office file (``family`` from files.py)."""
    if family != "ole" and _has_member(data, "vbaproject.bin"):
        raise _refuse(name, "包含宏（VBA），请另存为不含宏的格式后上传")
    if _macros(name, data):
        raise _refuse(name, "包含宏（VBA/XLM）")
    if family == "ole":
        if _ole_embedded(data):
            raise _refuse(name, "包含嵌入的 OLE 对象（可能是可执行程序）")
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
            for info in members:
                lower = info.filename.lower()
                if "/activex/" in lower:
                    raise _refuse(name, "包含 ActiveX 控件")
                if "/embeddings/" in lower:
                    if lower.endswith(BENIGN_EMBEDDED) and depth == 0:
                        inner = zf.read(info)
                        kind = "xlsx" if lower.endswith(".xlsx") else "docx"
                        check_office(name, inner, kind, depth=1)
                        continue
                    raise _refuse(name, "包含嵌入的 OLE 对象或文件（可能是可执行程序）")
                if lower.startswith("xl/externallinks/"):
                    raise _refuse(name, "包含指向其他文件的外部链接")
    except zipfile.BadZipFile:
        return
    external = _ooxml_external(data)
    if external:
        raise _refuse(name, f"包含打开时自动访问外部的链接（{'、'.join(external)}）")


# --- PDF ---------------------------------------------------------------------------------------------


def _raw_pdf_hazards(data: bytes) -> list[str]:
    """What a PDF that pikepdf cannot parse names in its raw bytes (``#xx`` escapes in names undone)."""
    text = RE_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    found = []
    for token, label in PDF_RAW_HAZARDS.items():
        if re.search(re.escape(token) + rb"(?![A-Za-z0-9])", text) and label not in found:
            found.append(label)
    return found


def clean_pdf(name: str, data: bytes) -> Cleaned:
    """Remove JavaScript, OpenAction, /AA, Launch (and other script/import) actions and embedded files, and the
    document properties that name who made it (``docmeta.trim_pdf``; not reported as removed content).

    A PDF that has none comes back byte for byte; one pikepdf cannot parse is kept only if its raw bytes name
    none of them (a damaged PDF cannot be cleaned, so one that does is refused)."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except Exception:
        found = _raw_pdf_hazards(data)
        if found:
            raise _refuse(name, f"无法解析，且含有{'、'.join(found)}") from None
        return Cleaned(data)
    with pdf:
        removed = _strip_pdf(pdf)
        trimmed = docmeta.trim_pdf(pdf)  # issue 22: who made it, in the same pass (not listed as active content)
        if not removed and not trimmed:
            return Cleaned(data)
        out = io.BytesIO()
        try:
            pdf.save(out)
        except Exception:
            raise ValidationFailed({"file": [f"“{name}”无法清理，请另存为 PDF 后重新上传"]}) from None
    return Cleaned(out.getvalue(), removed)


DANGEROUS_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/GoToE", "/SubmitForm"}


def _is_file_annot(annot: object) -> bool:
    return bool(annot.get("/Subtype") == "/FileAttachment")  # type: ignore[attr-defined]


def _strip_pdf(pdf: object) -> list[str]:
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    removed: list[str] = []

    def note(label: str) -> None:
        if label not in removed:
            removed.append(label)

    seen: set[tuple[int, int]] = set()
    stack: list[object] = [pdf.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            key = obj.objgen
            if key in seen:
                continue
            seen.add(key)
        if isinstance(obj, pikepdf.Dictionary) or (isinstance(obj, pikepdf.Stream) and obj.stream_dict):
            d = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            if "/OpenAction" in d:
                del d["/OpenAction"]
                note("打开文件时自动执行的动作（OpenAction）")
            if "/AA" in d:
                del d["/AA"]
                note("附加动作（AA）")
            if "/JavaScript" in d:
                del d["/JavaScript"]
                note("JavaScript 脚本")
            if "/EmbeddedFiles" in d:
                del d["/EmbeddedFiles"]
                note("嵌入文件")
            if "/EF" in d:
                del d["/EF"]
                note("嵌入文件")
            if "/RichMedia" in d or d.get("/Subtype") == "/RichMedia":
                if "/RichMediaContent" in d:
                    del d["/RichMediaContent"]
                note("富媒体内容")
            for link in ("/A", "/Next"):
                action = d.get(link)
                if isinstance(action, pikepdf.Dictionary) and action.get("/S") in DANGEROUS_ACTIONS:
                    kind = str(action.get("/S"))
                    del d[link]
                    note("JavaScript 脚本" if kind == "/JavaScript" else f"危险动作（{kind.lstrip('/')}）")
            annots = d.get("/Annots")
            if isinstance(annots, pikepdf.Array):
                keep = [a for a in annots if not (isinstance(a, pikepdf.Dictionary) and _is_file_annot(a))]
                if len(keep) != len(annots):
                    d["/Annots"] = pikepdf.Array(keep)
                    note("嵌入文件")
            stack.extend(v for k, v in d.items() if k not in ("/Parent", "/P"))
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return removed
