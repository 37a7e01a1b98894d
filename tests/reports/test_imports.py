"""Imports: a small corpus goes in whole (UTF-8, GBK, XLSX), its percentages and timeliness are computed by
hand; a bad file is rejected with every bad row listed and nothing written."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.applications.models import Application
from gongkai.catalog.models import Category, Entry
from gongkai.reports.annual import annual_report_data
from gongkai.reports.imports import ImportRejected, import_applications, import_entries
from gongkai.reports.tables import FileUnreadable

NORMATIVE = "法定主动公开内容/法规文件/行政规范性文件"
ENTRIES_CSV = f"""title,category,formed_date,published_date,index_number,document_number,validity
规范性文件甲,{NORMATIVE},2025-03-03,2025-03-05,,东政发[2025]1号,有效
规范性文件乙,{NORMATIVE},2025-03-03,2025/3/10,,,
规范性文件丙,{NORMATIVE},2025-06-03,2025年7月8日,,,
镇里开展春季植树,工作动态,2025-03-10,2025-03-11,,,
通知一,通知公告,2025-09-01,2025-09-02,QH0101/2025-00002,,
通知二,通知公告,2025-09-01,2025-09-02,,,
通知三,通知公告,2025-09-01,2025-09-02,,,
通知四,通知公告,2025-09-01,2025-09-02,,,
去年的通知,通知公告,2024-05-06,2024-05-07,,,
尚未发布的草稿,通知公告,2025-10-09,,,,
"""


@pytest.fixture
def corpus(tree, people, tmp_path, today):
    today(date(2026, 1, 20))
    path = tmp_path / "entries.csv"
    path.write_text(ENTRIES_CSV, encoding="utf-8")
    return import_entries(actor=people["admin"], unit=tree.town, path=path)


def test_imported_corpus_statistics_by_hand(tree, corpus):
    assert (corpus.created, corpus.published, corpus.drafts) == (10, 9, 1)
    e = annual_report_data(tree.town, 2025)["entries"]
    assert e["total"] == 8
    # 4/8 = 50 %, 3/8 = 37.5 % → 38 %, 1/8 = 12.5 % → 13 % (half-up, as the seeds print it)
    assert e["by_category"] == [
        {"category": "通知公告", "count": 4, "percent": 50},
        {"category": "法定主动公开内容", "count": 3, "percent": 38},
        {"category": "工作动态", "count": 1, "percent": 13},
    ]
    assert e["by_month"] == [0, 0, 3, 0, 0, 0, 1, 0, 4, 0, 0, 0]
    assert e["history"] == [{"year": y, "count": {2024: 1, 2025: 8}.get(y, 0)} for y in range(2021, 2026)]
    # Working days after the formed date up to publication: 2, 5, 25 (Dragon Boat holiday before June 4),
    # 1, and 1 for each of the four notices: 37 / 8 = 4.625 → 4.6; 25 > 20 is over the limit.
    assert e["timeliness"] == {
        "avg_workdays": 4.6,
        "max_workdays": 25,
        "over_limit": 1,
        "changes": 0,
        "changes_over_limit": 0,
    }
    p = annual_report_data(tree.town, 2025)["proactive"]
    assert p["normative_documents"] == {"issued": 3, "repealed": 0, "in_force": 3}


def test_imported_index_numbers(tree, corpus):
    numbers = dict(Entry.objects.filter(unit=tree.town).values_list("title", "index_number"))
    assert numbers["通知一"] == "QH0101/2025-00002"
    # assigned in order of publication within 2025, skipping the imported 00002
    assert numbers["规范性文件甲"] == "QH0101/2025-00001"
    assert numbers["规范性文件乙"] == "QH0101/2025-00003"
    assert numbers["去年的通知"] == "QH0101/2024-00001"
    assert numbers["尚未发布的草稿"] is None
    assert Entry.objects.get(title="规范性文件甲").document_number == "东政发〔2025〕1号"


def test_gbk_applications_with_chinese_labels(tree, people, tmp_path, today):
    today(date(2026, 1, 20))
    csv_text = (
        "收到申请日期,申请渠道,申请人类型,办理结果,答复日期\n"
        "2025-02-10,网上,自然人,予以公开,2025-02-20\n"
        "2025-03-03,信件,商业企业,部分公开,2025-03-20\n"
        "2025-04-01,当面,自然人,（三）不予公开 1.属于国家秘密,2025-04-15\n"
        "2025-05-06,窗口,法律服务机构,本机关不掌握相关政府信息,2025-05-12\n"
        "2025-12-30,letter,natural_person,,\n"
        "2024-12-29,email,other_org,granted,2025-01-06\n"
    )
    path = tmp_path / "apps.csv"
    path.write_bytes(csv_text.encode("gbk"))
    result = import_applications(actor=people["admin"], unit=tree.town, path=path)
    assert (result.created, result.open_cases, result.encoding) == (6, 1, "GBK/GB18030")
    data = annual_report_data(tree.town, 2025)
    rows = data["applications"]["rows"]
    assert rows["new"] == [3, 1, 0, 0, 1, 0, 5]
    assert rows["carried_in"] == [0, 0, 0, 0, 0, 1, 1]
    assert rows["granted"] == [1, 0, 0, 0, 0, 1, 2]
    assert rows["withheld.state_secret"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["unable.not_held"] == [0, 0, 0, 0, 1, 0, 1]
    assert rows["carried_over"] == [1, 0, 0, 0, 0, 0, 1]
    assert data["applications"]["by_channel"] == {
        "online": 1,
        "letter": 2,
        "in_person": 1,
        "service_window": 1,
        "fax": 0,
        "email": 0,
        "other": 0,
    }
    assert data["checks"] == []
    open_case = Application.objects.get(received_on=date(2025, 12, 30))
    assert open_case.status == "in_progress" and open_case.due_date is not None


def test_xlsx_entries_with_chinese_headers_and_new_categories(tree, people, tmp_path, today):
    from openpyxl import Workbook

    today(date(2026, 1, 20))
    wb = Workbook()
    ws = wb.active
    ws.append(["标题", "目录类别", "成文日期", "发布日期"])
    ws.append(["旧系统的公告", "历史资料/2019年以前", date(2018, 5, 2), date(2018, 5, 3)])
    path = tmp_path / "old.xlsx"
    wb.save(path)
    with pytest.raises(ImportRejected) as exc:
        import_entries(actor=people["admin"], unit=tree.town, path=path)
    assert "可加 --create-categories" in str(exc.value.errors[0])
    result = import_entries(actor=people["admin"], unit=tree.town, path=path, create_categories=True)
    assert result.categories_created == ["历史资料", "历史资料/2019年以前"]
    leaf = Category.objects.get(unit=tree.town, name="2019年以前")
    assert leaf.parent.name == "历史资料" and leaf.full_name() == "历史资料/2019年以前"
    assert Entry.objects.get(title="旧系统的公告").published_date == date(2018, 5, 3)


def test_bad_entries_file_lists_every_row_and_writes_nothing(tree, people, draft, publish, tmp_path, today):
    today(date(2025, 4, 10))
    taken = publish(draft(formed_date=date(2025, 4, 1))).index_number
    today(date(2026, 1, 20))
    before = Entry.objects.count()
    path = tmp_path / "bad.csv"
    path.write_text(
        "title,category,formed_date,published_date,index_number\n"
        "好的一行,通知公告,2025-03-03,2025-03-05,\n"
        "日期错了,通知公告,2025-02-30,2025-03-05,\n"
        "重复索引号一,通知公告,2025-03-03,2025-03-05,X/1\n"
        "重复索引号二,通知公告,2025-03-03,2025-03-05,X/1\n"
        f"已被使用,通知公告,2025-03-03,2025-03-05,{taken}\n"
        "没有这个类别,不存在的栏目,2025-03-03,2025-03-05,\n"
        ",通知公告,2025-03-03,2025-03-01,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        import_entries(actor=people["admin"], unit=tree.town, path=path)
    found = [(e.row, e.column) for e in exc.value.errors]
    assert found == [
        (3, "formed_date"),
        (5, "index_number"),
        (6, "index_number"),
        (7, "category"),
        (8, "title"),
        (8, "published_date"),
    ]
    messages = [str(e) for e in exc.value.errors]
    assert messages[0] == "第 3 行【formed_date】日期不存在：“2025-02-30”"
    assert "与第 4 行重复" in messages[1]
    assert "已被平台上的其他信息使用" in messages[2]
    assert Entry.objects.count() == before


def test_bad_applications_file(tree, people, tmp_path, today):
    today(date(2026, 1, 20))
    path = tmp_path / "bad.csv"
    path.write_text(
        "received_date,channel,applicant_type,result,replied_date\n"
        "2025-03-03,飞鸽传书,自然人,予以公开,2025-03-10\n"
        "2025-03-03,网上,外星人,予以公开,2025-03-10\n"
        "2025-03-03,网上,自然人,随便答复,2025-03-10\n"
        "2025-03-03,网上,自然人,予以公开,\n"
        "2025-03-03,网上,自然人,,2025-03-10\n"
        "03/03/2025,网上,自然人,,\n"
        "2025-03-10,网上,自然人,予以公开,2025-03-03\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as exc:
        import_applications(actor=people["admin"], unit=tree.town, path=path)
    assert [(e.row, e.column) for e in exc.value.errors] == [
        (2, "channel"),
        (3, "applicant_type"),
        (4, "result"),
        (5, "replied_date"),
        (6, "result"),
        (7, "received_date"),
        (8, "replied_date"),
    ]
    assert Application.objects.count() == 0


def test_wrong_encoding_and_missing_columns(tree, people, tmp_path, today):
    today(date(2026, 1, 20))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(FileUnreadable, match="无法识别文件编码"):
        import_entries(actor=people["admin"], unit=tree.town, path=binary)
    missing = tmp_path / "missing.csv"
    missing.write_text("title,category\n甲,通知公告\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as exc:
        import_entries(actor=people["admin"], unit=tree.town, path=missing)
    assert {e.column for e in exc.value.errors} == {"formed_date", "published_date"}


def test_only_the_unit_admin_imports(tree, people, tmp_path):
    from gongkai.core.errors import NotAllowed

    path = tmp_path / "e.csv"
    path.write_text(ENTRIES_CSV, encoding="utf-8")
    with pytest.raises(NotAllowed):
        import_entries(actor=people["drafter"], unit=tree.town, path=path)
    with pytest.raises(NotAllowed):
        import_entries(actor=people["street_admin"], unit=tree.town, path=path)


def test_cli(tree, people, tmp_path, today, capsys):
    today(date(2026, 1, 20))
    path = tmp_path / "e.csv"
    path.write_text(ENTRIES_CSV, encoding="utf-8")
    call_command("import-entries", str(path), "--org", "QH0101")
    out = capsys.readouterr().out
    assert "已导入 10 条信息（已发布 9 条，草稿 1 条；文件编码 UTF-8）" in out
    bad = tmp_path / "a.csv"
    bad.write_text("received_date,channel,applicant_type\n2025-13-01,网上,自然人\n", encoding="utf-8")
    with pytest.raises(CommandError, match="文件有 1 处错误，未导入任何数据"):
        call_command("import-applications", str(bad), "--org", "QH0101")
    assert "第 2 行【received_date】日期不存在：“2025-13-01”" in capsys.readouterr().err


def test_category_path_may_skip_intermediate_levels(tree, people, tmp_path, today):
    today(date(2026, 1, 20))
    path = tmp_path / "e.csv"
    path.write_text(
        "title,category,formed_date,published_date\n"
        "甲,法定主动公开内容/行政规范性文件,2025-03-03,2025-03-05\n"
        "乙,行政规范性文件,2025-03-03,2025-03-05\n",
        encoding="utf-8",
    )
    import_entries(actor=people["admin"], unit=tree.town, path=path)
    assert set(Entry.objects.filter(unit=tree.town).values_list("category__slug", flat=True)) == {"normative"}
    wrong = tmp_path / "w.csv"
    wrong.write_text("title,category,formed_date,published_date\n丙,工作动态/行政规范性文件,2025-03-03,\n", "utf-8")
    with pytest.raises(ImportRejected, match="1 处错误"):
        import_entries(actor=people["admin"], unit=tree.town, path=wrong)
