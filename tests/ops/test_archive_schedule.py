"""The yearly archive schedule (Art. 45): `gongkai archive --all` writes every unit's package for the year into its
own folder, keeps packages already there that verify, refuses a damaged one, and runs again to fill only the gaps."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.ops import archive
from gongkai.ops.models import ArchiveExport

from .test_archive import year_2025  # noqa: F401  (the fixture: a town and a street with a 2025 to archive)

UNITS = ("QH0001", "QH0101", "QH0201")  # the county office, the town, the street


def run(**opts) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("archive", stdout=out, stderr=err, **opts)
    return out.getvalue(), err.getvalue()


def test_all_units_each_get_a_package_and_a_second_run_keeps_them(year_2025, tmp_path: Path):  # noqa: F811
    printed, _ = run(all=True, year=2025, out=str(tmp_path))
    for code in UNITS:
        manifest = archive.verify(tmp_path / f"{code}-2025")
        assert manifest["unit"]["code"] == code and manifest["year"] == 2025
    assert "3 个单位，新生成 3 个，已存在 0 个，失败 0 个" in printed
    assert archive.verify(tmp_path / "QH0101-2025")["counts"]["entries"] == 3
    assert ArchiveExport.objects.count() == 3

    printed, _ = run(all=True, year=2025, out=str(tmp_path))
    assert "新生成 0 个，已存在 3 个" in printed and ArchiveExport.objects.count() == 3


def test_a_damaged_package_is_reported_and_a_missing_one_refilled(year_2025, tmp_path: Path):  # noqa: F811
    run(all=True, year=2025, out=str(tmp_path))
    manifest = next((tmp_path / "QH0101-2025").rglob("manifest.json"))
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("QH0101", "QH0102"), encoding="utf-8")
    for p in sorted((tmp_path / "QH0201-2025").rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    with pytest.raises(CommandError, match="1 个单位的归档包未能生成或校验不通过"):
        run(all=True, year=2025, out=str(tmp_path))
    archive.verify(tmp_path / "QH0201-2025")  # the emptied street folder was written again


def test_bad_input(tmp_path: Path, db):
    with pytest.raises(CommandError, match="--all 与 --org 不能同时使用"):
        run(all=True, org="QH0101", out=str(tmp_path))
    with pytest.raises(CommandError, match="缺少参数：--out"):
        run(all=True, year=2025)
