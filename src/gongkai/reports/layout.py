"""Tables 二, 三 and 四 laid out as the national form prints them: one grid of cells with row and column
spans, rendered by HTML, DOCX and XLSX alike so every format shows the same labels and numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import spec


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    number: bool = False


Grid = list[list[Cell]]


def _num(value: Any) -> Cell:
    return Cell(str(value), number=True)


def table2(data: dict[str, Any]) -> Grid:
    """Four blocks of four columns; two-column blocks let their figure span the three right columns."""
    p = data["proactive"]
    grid: Grid = []
    for block in spec.table2_blocks():
        grid.append([Cell(block["caption"], colspan=4, header=True)])
        cols = block["columns"]
        if len(cols) == 4:
            grid.append([Cell(c, header=True) for c in cols])
            for key, label in block["rows"]:
                v = p[key]
                grid.append([Cell(label), _num(v["issued"]), _num(v["repealed"]), _num(v["in_force"])])
        else:
            grid.append([Cell(cols[0], header=True), Cell(cols[1], colspan=3, header=True)])
            for key, label in block["rows"]:
                grid.append([Cell(label), Cell(str(p[key]), colspan=3, number=True)])
    return grid


def _split(label: str) -> tuple[str, str]:
    head, _, rest = label.partition(" ")
    return head.strip(), rest.strip()


def table3(data: dict[str, Any]) -> Grid:
    """Three label columns (level 1 / 2 / 3) and the seven applicant columns, headers as on the form."""
    rows = data["applications"]["rows"]
    labels = dict(spec.table3_rows())
    cols = spec.table3_columns()
    org_cols = [label.split("/", 1)[1] for key, label in cols if "/" in label]
    org_head = next(label.split("/", 1)[0] for _, label in cols if "/" in label)
    grid: Grid = [
        [Cell(spec.table3_note(), rowspan=3, colspan=3, header=True), Cell("申请人情况", colspan=7, header=True)],
        [
            Cell(cols[0][1], rowspan=2, header=True),
            Cell(org_head, colspan=5, header=True),
            Cell(cols[-1][1], rowspan=2, header=True),
        ],
        [Cell(c, header=True) for c in org_cols],
    ]
    keys = spec.row_keys()
    first, last = keys.index("granted"), keys.index("total_handled")
    results = keys[first : last + 1]
    # Group the result rows by their level-2 heading (（一）… （七）).
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for key in results:
        head, rest = _split(labels[key])
        if key in ("granted", "partly_granted"):
            level2, level3 = rest, ""
        elif key == "total_handled":
            level2, level3 = head, ""
        else:
            level2, level3 = head, rest
        if groups and groups[-1][0] == level2 and level3:
            groups[-1][1].append((key, level3))
        else:
            groups.append((level2, [(key, level3)]))
    level1 = _split(labels["granted"])[0]

    def numbers(key: str) -> list[Cell]:
        return [_num(v) for v in rows[key]]

    for key in keys[:first]:
        grid.append([Cell(labels[key], colspan=3), *numbers(key)])
    started = False
    for level2, items in groups:
        for i, (key, level3) in enumerate(items):
            line: list[Cell] = []
            if not started:
                line.append(Cell(level1, rowspan=len(results)))
                started = True
            if not level3:
                line.append(Cell(level2, colspan=2))
            else:
                if i == 0:
                    line.append(Cell(level2, rowspan=len(items)))
                line.append(Cell(level3))
            grid.append([*line, *numbers(key)])
    for key in keys[last + 1 :]:
        grid.append([Cell(labels[key], colspan=3), *numbers(key)])
    return grid


def table4(data: dict[str, Any]) -> Grid:
    groups = spec.table4_groups()
    cols = [label for _, label in spec.table4_columns()]
    review_label = groups[0][1]
    lit_head = groups[1][1].split("/", 1)[0]
    lit_subs = [label.split("/", 1)[1] for _, label in groups[1:]]
    grid: Grid = [
        [Cell(review_label, colspan=5, header=True), Cell(lit_head, colspan=10, header=True)],
        [
            *[Cell(c, rowspan=2, header=True) for c in cols],
            *[Cell(s, colspan=5, header=True) for s in lit_subs],
        ],
        [Cell(c, header=True) for c in cols * 2],
    ]
    col_keys = [k for k, _ in spec.table4_columns()]
    grid.append([_num(data["appeals"][g][c]) for g, _ in groups for c in col_keys])
    return grid


def place(grid: Grid) -> list[tuple[int, int, Cell]]:
    """Absolute (row, column) of every cell, skipping positions covered by earlier spans."""
    taken: set[tuple[int, int]] = set()
    out: list[tuple[int, int, Cell]] = []
    for r, line in enumerate(grid):
        c = 0
        for cell in line:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out


def width(grid: Grid) -> int:
    return max(c + cell.colspan for _, c, cell in place(grid))
