"""Office files with active content, built in the test (no binary fixtures).

python-docx/openpyxl cannot write macros or embedded objects, so the OLE2 ("compound file", [MS-CFB]) parts
are written here by a minimal writer: 512-byte sectors, one FAT, every stream at least 4096 bytes so that
none goes to the mini stream. Enough for olefile/oletools to read the storages and streams they look for.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass, field

SECTOR = 512
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
MIN_STREAM = 4096


@dataclass
class Node:
    name: str
    data: bytes | None = None  # None: a storage
    children: list[Node] = field(default_factory=list)


def storage(name: str, *children: Node) -> Node:
    return Node(name, None, list(children))


def stream(name: str, data: bytes) -> Node:
    return Node(name, data.ljust(MIN_STREAM, b"\0"))


def compound_file(*children: Node) -> bytes:
    """An OLE2 file whose root storage holds ``children``."""
    root = Node("Root Entry", None, list(children))
    entries: list[Node] = []

    def number(node: Node) -> None:
        entries.append(node)
        for child in node.children:
            number(child)

    number(root)
    index = {id(n): i for i, n in enumerate(entries)}
    # stream sectors first, then the directory, then the FAT
    starts: dict[int, int] = {}
    chains: list[tuple[int, int]] = []  # (first sector, sector count)
    next_sector = 0
    for node in entries:
        if node.data is not None:
            count = -(-len(node.data) // SECTOR)
            starts[id(node)] = next_sector
            chains.append((next_sector, count))
            next_sector += count
    dir_count = -(-len(entries) * 128 // SECTOR)
    dir_start = next_sector
    chains.append((dir_start, dir_count))
    next_sector += dir_count
    fat_count = 1
    while (next_sector + fat_count) > fat_count * (SECTOR // 4):
        fat_count += 1
    fat = [FREE] * (fat_count * (SECTOR // 4))
    for first, count in chains:
        for s in range(first, first + count):
            fat[s] = s + 1 if s < first + count - 1 else END
    fat_sectors = list(range(next_sector, next_sector + fat_count))
    for s in fat_sectors:
        fat[s] = FATSECT

    def key(n: Node) -> tuple[int, str]:
        return (len(n.name), n.name.upper())

    directory = b""
    for node in entries:
        siblings_of = next((p for p in entries if node in p.children), None)
        right = 0xFFFFFFFF
        if siblings_of is not None:
            ordered = sorted(siblings_of.children, key=key)
            pos = ordered.index(node)
            if pos + 1 < len(ordered):
                right = index[id(ordered[pos + 1])]
        child = index[id(sorted(node.children, key=key)[0])] if node.children else 0xFFFFFFFF
        name = node.name.encode("utf-16-le") + b"\0\0"
        kind = 5 if node is root else (1 if node.data is None else 2)
        start = starts.get(id(node), END if node.data is None else 0)
        size = len(node.data) if node.data is not None else 0
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ", name, len(name), kind, 1, 0xFFFFFFFF, right, child, b"\0" * 16, 0, 0, 0, start, size
        )
    directory = directory.ljust(dir_count * SECTOR, b"\0")
    difat = fat_sectors + [FREE] * (109 - len(fat_sectors))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_count,
        dir_start,
        0,
        MIN_STREAM,
        END,
        0,
        END,
        0,
    ) + struct.pack("<109I", *difat)
    body = b"".join(n.data.ljust(-(-len(n.data) // SECTOR) * SECTOR, b"\0") for n in entries if n.data is not None)
    return header + body + directory + struct.pack(f"<{len(fat)}I", *fat)


def vba_project() -> list[Node]:
    """The parts [MS-OVBA] 2.2.1 requires of a VBA project (what olevba looks for)."""
    return [
        stream("PROJECT", b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\n'),
        storage("VBA", stream("_VBA_PROJECT", b"\xcc\x61\xff\xff"), stream("dir", b"\x01"), stream("Module1", b"x")),
    ]


def ole_package(payload: bytes = b"MZ\x90\x00 pretend executable") -> Node:
    """An OLE package stream, the way an embedded executable travels."""
    return stream("\x01Ole10Native", struct.pack("<I", len(payload)) + payload)


def xls_with_macro() -> bytes:
    return compound_file(stream("Workbook", b"\x09\x08"), storage("_VBA_PROJECT_CUR", *vba_project()))


def xls_with_embedded_object() -> bytes:
    return compound_file(stream("Workbook", b"\x09\x08"), storage("MBD0001", ole_package()))


def plain_xls() -> bytes:
    return compound_file(stream("Workbook", b"\x09\x08"), stream("\x05SummaryInformation", b"\xfe\xff"))


def plain_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["项目", "金额"])
    wb.active.append(["道路养护", 1200])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plain_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("关于道路养护的通知")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def with_members(base: bytes, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    """``base`` (an OOXML zip) with members added or replaced."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
        for name, data in extra.items():
            dst.writestr(name, data)
    return out.getvalue()


def xlsx_with_embedded_object() -> bytes:
    return with_members(plain_xlsx(), {"xl/embeddings/oleObject1.bin": compound_file(ole_package())})


def xlsx_with_hidden_macro() -> bytes:
    """A VBA project stored under another name than vbaProject.bin: only a look inside finds it."""
    return with_members(plain_xlsx(), {"xl/printerSettings/settings1.bin": compound_file(*vba_project())})


def xlsx_with_external_link() -> bytes:
    return with_members(plain_xlsx(), {"xl/externalLinks/externalLink1.xml": b'<?xml version="1.0"?><externalLink/>'})


def docx_with_remote_template() -> bytes:
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="http://198.51.100.7/t.dotm" TargetMode="External"/></Relationships>'
    )
    return with_members(plain_docx(), {"word/_rels/settings.xml.rels": rels})


def docx_with_hyperlink_and_chart_workbook() -> bytes:
    """What ordinary documents carry: an external hyperlink and the workbook behind a chart."""
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'hyperlink" Target="https://www.gov.cn/" TargetMode="External"/></Relationships>'
    )
    return with_members(
        plain_docx(),
        {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": plain_xlsx(), "word/_rels/footnotes.xml.rels": rels},
    )
