"""The commands: gongkai poster, wechat, gazette — files written, Chinese errors, exit status."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.channels.models import GazetteIssue


def test_poster_command(tmp_path, draft, publish):
    entry = publish(draft())
    out = tmp_path / "p.pdf"
    call_command("poster", entry.index_number, "--size", "a3", "--out", str(out), stdout=io.StringIO())
    page = pypdf.PdfReader(out).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 1191)
    call_command("poster", str(entry.pk), "--out", str(out), stdout=io.StringIO())  # by id, A4
    assert round(float(pypdf.PdfReader(out).pages[0].mediabox.width)) == 595
    for argv, message in (
        (["QH9999/2026-00001", "--out", str(out)], "没有找到"),
        ([entry.index_number, "--size", "B5", "--out", str(out)], "A4 或 A3"),
        ([entry.index_number, "--out", str(tmp_path / "no" / "p.pdf")], "不存在"),
        ([entry.index_number, "--from", "2026-13-01", "--out", str(out)], "不是有效日期"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("poster", *argv, stdout=io.StringIO())


def test_wechat_command(tmp_path, draft, publish, tree):
    entry = publish(draft())
    out = tmp_path / "a.html"
    call_command("wechat", entry.index_number, "--out", str(out), stdout=io.StringIO())
    assert "<script" not in out.read_text(encoding="utf-8") and entry.title in out.read_text(encoding="utf-8")
    call_command("wechat", "--digest", "--org", tree.town.code, "--out", str(out), stdout=io.StringIO())
    assert "本周共发布政府信息 1 条" in out.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="不是县、乡镇或街道"):
        call_command("wechat", "--digest", "--org", tree.village.code, "--out", str(out), stdout=io.StringIO())
    with pytest.raises(CommandError, match="只有已发布"):
        call_command("wechat", str(draft().pk), "--out", str(out), stdout=io.StringIO())


def test_gazette_command(tmp_path, draft, publish, tree):
    publish(draft())
    today = timezone.localdate()
    out = tmp_path / "g.pdf"
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    call_command(
        "gazette",
        "--org",
        tree.town.code,
        "--period",
        quarter,
        "--out",
        str(out),
        "--copies",
        "300",
        stdout=io.StringIO(),
    )
    assert len(pypdf.PdfReader(out).pages) == 3
    assert GazetteIssue.objects.get().copies == 300
    with pytest.raises(CommandError, match="格式不对"):
        call_command("gazette", "--org", tree.town.code, "--period", "2026-Q9", "--out", str(out), stdout=io.StringIO())
    with pytest.raises(CommandError, match="不是县、乡镇或街道"):
        call_command("gazette", "--org", "NOPE", "--period", quarter, "--out", str(out), stdout=io.StringIO())


def _publish_as_village(clerk, people, entry):
    from gongkai.catalog import services

    entry = services.submit_for_review(actor=clerk, entry=entry)
    entry = services.review_pass(actor=people["reviewer"], entry=entry)
    return services.sign_and_publish(actor=people["signer"], entry=entry)


def test_village_monthly_board_sheet(tmp_path, tree, draft, publish, clerk, people):
    mine = [
        _publish_as_village(clerk, people, draft(title=f"李家村公开事项{n}", publisher=tree.village, actor=clerk))
        for n in range(2)
    ]
    publish(draft(title="民政办的通知"))  # another publisher: not on the village's sheet
    out = tmp_path / "sheet.pdf"
    month = timezone.localdate().strftime("%Y-%m")
    call_command("poster", "--sheet", tree.village.code, "--month", month, "--out", str(out), stdout=io.StringIO())
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages).replace("\n", "")
    assert all(e.index_number in text for e in mine) and "民政办的通知" not in text
    with pytest.raises(CommandError, match="没有发布信息"):
        call_command(
            "poster", "--sheet", tree.village.code, "--month", "2020-01", "--out", str(out), stdout=io.StringIO()
        )
    with pytest.raises(CommandError, match="不是有效日期"):
        call_command(
            "poster", "--sheet", tree.village.code, "--month", "2026-13", "--out", str(out), stdout=io.StringIO()
        )
