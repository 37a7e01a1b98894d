"""``gongkai fonts`` builds the subsets once per installation (with a progress bar), ``--check`` says whether
they are there, stale versions are removed; ``gongkai migrate`` warns (system check) while they are missing.

A small Latin font stands in for Noto CJK so that the build takes a second instead of four minutes.
"""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from gongkai.documents import fonts

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture
def small_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if not DEJAVU.is_file():
        pytest.skip("DejaVu Sans not installed")
    folder = tmp_path / "sources"
    folder.mkdir()
    for face in fonts.FACES:
        shutil.copy(DEJAVU, folder / face.files[-1])  # a single-font file name (.otf): no collection
    monkeypatch.setenv("GONGKAI_CJK_FONT_SOURCES", str(folder))
    monkeypatch.setattr(fonts, "_SEARCH_DIRS", ())
    return folder


def run(*args: str) -> str:
    out = StringIO()
    call_command("fonts", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def warnings() -> list[Any]:
    return [m for m in run_checks() if m.id and m.id.startswith("documents.")]


def test_build_check_and_stale_versions(db, empty_font_dir, small_sources, monkeypatch):
    assert [w.id for w in warnings()] == ["documents.W001"]
    assert "gongkai fonts" in (warnings()[0].hint or "")
    with pytest.raises(CommandError, match="缺少 4 个字体子集"):
        run("--check")
    assert "已生成 4 个字体子集" in run()
    assert sorted(p.name.rsplit("-", 1)[0] for p in empty_font_dir.glob("*.otf")) == sorted(f.key for f in fonts.FACES)
    assert warnings() == []
    assert "字体子集齐全" in run("--check")
    assert "无需生成" in run()

    monkeypatch.setattr(fonts, "SUBSET_VERSION", "next")
    assert [w.id for w in warnings()] == ["documents.W001"]
    output = run()
    assert "已生成 4 个字体子集" in output and output.count("删除旧版本子集") == 4
    assert len(list(empty_font_dir.glob("*.otf"))) == 4


def test_the_background_task_builds_what_is_missing(db, empty_font_dir, small_sources):
    from gongkai.documents.tasks import build_fonts

    result = build_fonts.enqueue()  # the immediate backend of the tests: this is the worker's part
    assert len(result.return_value) == 4
    assert fonts.missing_faces() == []


def test_no_cjk_font_at_all(db, empty_font_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_CJK_FONT_SOURCES", str(tmp_path / "nothing"))
    monkeypatch.setattr(fonts, "_SEARCH_DIRS", ())
    assert [w.id for w in warnings()] == ["documents.W002"]
    with pytest.raises(CommandError, match=r"install-fonts\.sh"):
        run()


def test_the_default_folder_belongs_to_the_installation():
    import sys

    assert fonts.default_font_dir() == Path(sys.prefix) / "share" / "gongkai" / "fonts"
