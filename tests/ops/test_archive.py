"""Art. 45 归档: a year's package of one unit verifies against its manifest, holds exactly that unit's year
(withdrawn entries with their withdrawal, closed cases marked as personal data), takes its 保管期限 from the
YAML, is refused by --verify once damaged, and is recorded (ArchiveExport + audit event) without deleting
anything."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.applications import replies
from gongkai.catalog import services
from gongkai.catalog.models import Entry
from gongkai.core import audit
from gongkai.core.models import AuditEvent
from gongkai.ops import archive, retention
from gongkai.ops.models import ArchiveExport
from tests.factories import category

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=TZ)


@pytest.fixture
def year_2025(tree, people, draft):
    """Township entries of 2024 and 2025 (one withdrawn, one with an attachment, one in 低保), a street entry
    of 2025, a draft, and one township case closed in 2025."""
    from gongkai.applications import intake
    from tests.applications.conftest import applicant

    def pub(entry, when):
        entry = services.submit_for_review(actor=people["drafter"], entry=entry)
        entry = services.review_pass(actor=people["reviewer"], entry=entry)
        return services.publish_as_of(actor=people["signer"], entry=entry, published_at=when)

    old = pub(draft(title="二〇二四年的通知", formed_date=date(2024, 3, 1)), at(2024, 3, 5))
    notice = draft(title="关于春耕的通知")
    services.add_attachment(
        actor=people["drafter"], entry=notice, name="名单.csv", stream=io.BytesIO("项目,金额\n修路,100\n".encode())
    )
    notice = pub(notice, at(2025, 3, 10))
    dibao = pub(draft(title="低保名单公示", category=category(tree.town, "dibao")), at(2025, 4, 1))
    gone = pub(draft(title="将被撤回的公告"), at(2025, 5, 1))
    gone = services.withdraw(actor=people["admin"], entry=gone, reason="内容有误，重新发布")
    street = draft(
        title="城关街道的通知",
        unit=tree.street,
        publisher=tree.street,
        category=category(tree.street),
        actor=people["street_drafter"],
    )
    street = services.submit_for_review(actor=people["street_drafter"], entry=street)
    street = services.review_pass(actor=people["street_admin"], entry=street)
    street = services.publish_as_of(actor=people["street_signer"], entry=street, published_at=at(2025, 6, 1))
    unpublished = draft(title="仍在起草的草稿")
    app, _code = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel="in_person", received_on=date(2025, 3, 3)
    )
    replies.reply(actor=people["drafter"], application=app, result="granted", on=date(2025, 3, 20), content="已提供")
    app.refresh_from_db()
    return {
        "old": old,
        "notice": notice,
        "dibao": dibao,
        "gone": gone,
        "street": street,
        "draft": unpublished,
        "case": app,
    }


def folder(entry: Entry) -> str:
    """The entry's folder: its index number, with the ``/`` no file system allows in a name made ``_``."""
    return f"entries/{entry.index_number.replace('/', '_')}"


def read(out: Path, rel: str):
    return json.loads((out / rel).read_text(encoding="utf-8"))


def test_package_of_a_year(year_2025, tree, tmp_path):
    out = tmp_path / "pkg"
    call_command("archive", org="QH0101", year=2025, out=str(out), verbosity=0)
    manifest = archive.verify(out)
    w = year_2025
    assert manifest["unit"]["code"] == "QH0101" and manifest["year"] == 2025
    assert manifest["counts"] == {"entries": 3, "withdrawn": 1, "cases": 1, "files": len(manifest["files"])}
    folders = {item["folder"] for item in manifest["items"]}
    for key in ("notice", "dibao", "gone"):
        assert folder(w[key]) in folders
    # Another year, another unit and drafts are not in it.
    for key in ("old", "street", "draft"):
        assert not any(w[key].title == item["title"] for item in manifest["items"])
    assert f"cases/{w['case'].tracking_number}" in folders
    assert [item["件号"] for item in manifest["items"]] == [1, 2, 3, 4]

    notice = read(out, f"{folder(w['notice'])}/metadata.json")
    assert notice["fields"]["index_number"] == w["notice"].index_number
    assert notice["versions"][0]["created_by"]["username"] == "town_signer" and notice["versions"][0]["created_at"]
    assert {e["action"] for e in notice["history"]} >= {"entry.create", "entry.publish"}
    att = notice["attachments"][0]
    assert att["original_name"] == "名单.csv"
    stored = out / att["package_file"]
    assert stored.read_bytes() == "项目,金额\n修路,100\n".encode()
    assert manifest["files"][att["package_file"]]["sha256"] == att["sha256"]
    assert "关于春耕的通知" in (out / f"{folder(w['notice'])}/body.html").read_text(encoding="utf-8")

    gone = read(out, f"{folder(w['gone'])}/metadata.json")
    assert gone["fields"]["status"] == "withdrawn" and gone["withdrawal"]["reason"] == "内容有误，重新发布"
    assert any(i["note"].startswith("已撤回") for i in manifest["items"] if i["title"] == "将被撤回的公告")

    case = read(out, f"cases/{w['case'].tracking_number}/metadata.json")
    assert case["marking"] == archive.CASES_MARKING and case["fields"]["id_number"] == w["case"].id_number
    assert case["reply"]["result"] == "granted" and case["events"]
    assert manifest["markings"]["cases/"]["marking"] == archive.CASES_MARKING
    assert (out / "cases" / f"{archive.CASES_MARKING}.txt").exists()

    receipt = (out / archive.RECEIPT).read_text(encoding="utf-8")
    for text in ("移交清单", "件号", "保管期限", "移交人", "接收人", "关于春耕的通知", "清河县东山镇人民政府"):
        assert text in receipt
    assert "manifest.xml" in manifest["files"]
    assert b'<archivePackage format="1">' in (out / "manifest.xml").read_bytes()
    assert not list(tmp_path.glob(".pkg-archive-*"))  # the staging folder was renamed into place


def test_retention_periods_come_from_the_yaml(year_2025, tmp_path):
    rules = retention.load()
    out = tmp_path / "pkg"
    call_command("archive", org="QH0101", year=2025, out=str(out), verbosity=0)
    by_title = {i["title"]: i["retention"] for i in archive.verify(out)["items"]}
    assert by_title["低保名单公示"] == rules.categories["dibao"] == "30年"
    assert by_title["关于春耕的通知"] == rules.categories["notices"] == "10年"
    assert [v for k, v in by_title.items() if "申请" in k] == [rules.kinds["application"]]
    assert read(out, "manifest.json")["retention_source"].startswith("《机关文件材料归档范围和文书档案保管期限规定》")
    # A unit's own sub-column inherits its parent's period; an unknown one the default.
    assert rules.for_slugs(["my-own", "dibao", "social-assistance"]) == "30年"
    assert rules.for_slugs(["unknown"]) == rules.default
    with pytest.raises(ValueError, match="不在 periods"):
        retention.parse({"periods": ["永久"], "default": "5年"})


def test_verify_refuses_damage(year_2025, tmp_path):
    out = tmp_path / "pkg"
    call_command("archive", org="QH0101", year=2025, out=str(out), verbosity=0)
    call_command("archive", verify=str(out), verbosity=0)
    body = out / folder(year_2025["notice"]) / "body.html"
    original = body.read_bytes()

    body.write_bytes(original.replace("春耕".encode(), "秋收".encode()))
    with pytest.raises(CommandError, match="校验值不符"):
        call_command("archive", verify=str(out), verbosity=0)
    body.unlink()
    with pytest.raises(CommandError, match="缺少文件"):
        call_command("archive", verify=str(out), verbosity=0)
    body.write_bytes(original)
    (out / "entries" / "多出来的.txt").write_text("x")
    with pytest.raises(CommandError, match="清单之外多出文件"):
        call_command("archive", verify=str(out), verbosity=0)
    (out / "entries" / "多出来的.txt").unlink()
    call_command("archive", verify=str(out), verbosity=0)
    (out / "manifest.json").unlink()
    with pytest.raises(CommandError, match="没有清单文件"):
        call_command("archive", verify=str(out), verbosity=0)


def test_export_is_recorded_and_deletes_nothing(year_2025, tmp_path):
    before = Entry.objects.count()
    out = tmp_path / "pkg"
    call_command("archive", org="QH0101", year=2025, out=str(out), verbosity=0)
    export = ArchiveExport.objects.get()
    manifest_sha = archive._sha256_file(out / "manifest.json")
    assert (export.entries, export.cases, export.manifest_sha256) == (3, 1, manifest_sha)
    assert export.out_path == str(out)
    event = AuditEvent.objects.get(action="archive.export")
    assert event.org_code == "QH0101" and event.object_id == str(export.pk)
    assert event.changes["manifest_sha256"] == manifest_sha
    assert audit.verify() == []
    assert Entry.objects.count() == before


def test_bad_input(year_2025, tmp_path):
    with pytest.raises(CommandError, match="没有代码为 NOPE 的单位"):
        call_command("archive", org="NOPE", year=2025, out=str(tmp_path / "a"), verbosity=0)
    with pytest.raises(CommandError, match="不是公开主体"):
        call_command("archive", org="QH010101", year=2025, out=str(tmp_path / "a"), verbosity=0)
    with pytest.raises(CommandError, match="年度 2999"):
        call_command("archive", org="QH0101", year=2999, out=str(tmp_path / "a"), verbosity=0)
    full = tmp_path / "full"
    full.mkdir()
    (full / "old.txt").write_text("keep")
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("archive", org="QH0101", year=2025, out=str(full), verbosity=0)
    assert [p.name for p in full.iterdir()] == ["old.txt"]
    with pytest.raises(CommandError, match="缺少参数"):
        call_command("archive", org="QH0101", verbosity=0)
    assert not ArchiveExport.objects.exists()


def test_out_under_a_file(year_2025, tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(CommandError, match="不能在目录"):
        call_command("archive", org="QH0101", year=2025, out=str(tmp_path / "a-file" / "pkg"), verbosity=0)


def test_unwritable_parent(year_2025, tmp_path):
    # /proc refuses new folders even to root (CI runs as root, so a chmod'ed folder would prove nothing).
    with pytest.raises(CommandError, match="不能在目录"):
        call_command("archive", org="QH0101", year=2025, out="/proc/gongkai-archive-test/pkg", verbosity=0)
    assert not ArchiveExport.objects.exists()


def test_failure_leaves_nothing_half_written(year_2025, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(archive, "_xml", boom)
    with pytest.raises(RuntimeError):
        call_command("archive", org="QH0101", year=2025, out=str(tmp_path / "pkg"), verbosity=0)
    assert list(tmp_path.iterdir()) == []
    assert not ArchiveExport.objects.exists() and not AuditEvent.objects.filter(action="archive.export").exists()


def test_empty_year_gives_an_empty_valid_package(year_2025, tmp_path, capsys):
    out = tmp_path / "empty"
    out.mkdir()  # an existing empty folder is fine
    call_command("archive", org="QH0201", year=2023, out=str(out))
    manifest = archive.verify(out)
    assert manifest["items"] == [] and manifest["counts"]["entries"] == 0
    assert "本年度无可归档材料" in (out / archive.RECEIPT).read_text(encoding="utf-8")
    assert "没有已发布的信息" in capsys.readouterr().err


# --- the staff page ----------------------------------------------------------------------------------------


def test_staff_page_export_and_download(year_2025, tree, people, client, django_capture_on_commit_callbacks):
    client.force_login(people["admin"])
    page = client.get(reverse("ops:archive"))
    assert page.status_code == 200 and "开始归档" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ops:archive_start", args=[tree.town.pk]), {"year": "2025"})
    export = ArchiveExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ops:archive_export", args=[export.pk])
    export.refresh_from_db()
    assert export.status == "done", export.error
    assert (export.entries, export.cases, export.created_by) == (3, 1, people["admin"])
    assert "下载 ZIP" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("ops:archive_download", args=[export.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    data = b"".join(download.streaming_content)
    zpath = Path(export.file.path).with_name("copy.zip")
    zpath.write_bytes(data)
    assert archive.verify(zpath)["counts"]["entries"] == 3
    with zipfile.ZipFile(zpath) as zf:
        assert f"cases/{year_2025['case'].tracking_number}/metadata.json" in zf.namelist()
    event = AuditEvent.objects.get(action="archive.export")
    assert event.actor_id == people["admin"].pk
    # The list shows it.
    assert "2025" in client.get(reverse("ops:archive")).content.decode()


def test_double_click_joins_the_active_export(year_2025, tree, people):
    from gongkai.ops.tasks import start_export

    first = start_export(actor=people["admin"], unit=tree.town, year=2025)
    again = start_export(actor=people["admin"], unit=tree.town, year=2025)
    assert first.pk == again.pk and ArchiveExport.objects.count() == 1


def test_staff_page_permissions(year_2025, tree, people, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(people["admin"])
        client.post(reverse("ops:archive_start", args=[tree.town.pk]), {"year": "2025"})
    export = ArchiveExport.objects.get()
    start = reverse("ops:archive_start", args=[tree.town.pk])
    download = reverse("ops:archive_download", args=[export.pk])

    # Another unit's administrator: the township is not theirs.
    client.force_login(people["street_admin"])
    assert client.post(start, {"year": "2025"}).status_code == 404
    assert client.get(download).status_code == 404
    assert client.get(reverse("ops:archive"), {"unit": tree.town.pk}).status_code == 404
    # A drafter (and the sysadmin: 三员) has no archive page at all.
    for who in ("drafter", "sysadmin"):
        client.force_login(people[who])
        assert client.get(reverse("ops:archive")).status_code == 403
        assert client.post(start, {"year": "2025"}).status_code == 404
    # The county supervisor sees the list, read-only: no export, no download of personal data.
    client.force_login(people["supervisor"])
    page = client.get(reverse("ops:archive"), {"unit": tree.town.pk})
    assert page.status_code == 200 and "开始归档" not in page.content.decode()
    assert "下载 ZIP" not in page.content.decode()
    assert client.post(start, {"year": "2025"}).status_code == 403
    assert client.get(download).status_code == 403
    assert ArchiveExport.objects.count() == 1


def test_staff_page_bad_year(year_2025, tree, people, client):
    client.force_login(people["admin"])
    response = client.post(reverse("ops:archive_start", args=[tree.town.pk]), {"year": "2999"})
    assert response.status_code == 400 and "年度 2999" in response.content.decode()
    assert not ArchiveExport.objects.exists()


def test_case_letters_are_in_the_package(year_2025, people, tmp_path, django_capture_on_commit_callbacks):
    from gongkai.applications import letters

    app = year_2025["case"]
    with django_capture_on_commit_callbacks(execute=True):
        letter = letters.generate(actor=people["drafter"], application=app, kind="grant", on=date(2025, 3, 20))
    letter.refresh_from_db()
    assert letter.status == "done", letter.error
    out = tmp_path / "pkg"
    call_command("archive", org="QH0101", year=2025, out=str(out), verbosity=0)
    manifest = archive.verify(out)
    case = read(out, f"cases/{app.tracking_number}/metadata.json")
    files = case["letters"][0]["files"]
    assert files["docx"].endswith(".docx") and files["pdf"].endswith(".pdf")
    assert (out / files["pdf"]).read_bytes() == Path(letter.pdf.path).read_bytes()
    assert manifest["files"][files["docx"]]["size"] == letter.docx.size


def test_failed_background_export_says_why(year_2025, tree, people, monkeypatch, django_capture_on_commit_callbacks):
    from gongkai.ops.tasks import start_export

    monkeypatch.setattr(archive, "_xml", lambda manifest: (_ for _ in ()).throw(OSError("no space")))
    with django_capture_on_commit_callbacks(execute=True):
        export = start_export(actor=people["admin"], unit=tree.town, year=2025)
    export.refresh_from_db()
    assert export.status == "failed" and "OSError" in export.error and not export.file
    assert not AuditEvent.objects.filter(action="archive.export").exists()
    # A failed export does not block the next one.
    assert start_export(actor=people["admin"], unit=tree.town, year=2025).pk != export.pk
