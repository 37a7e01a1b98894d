import io
import json
import random

import pytest
from django.core.management import call_command

from gongkai.screening.cli import scan_files
from tests.screening import builders


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("scan", *args, stdout=out, stderr=err)
    return exc.value.code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_exit_codes_and_json_lines(tmp_path):
    number = builders.resident_id(random.Random(50))
    clean = tmp_path / "clean.csv"
    clean.write_text("序号,金额\n1,1200.00\n", encoding="utf-8")
    found = tmp_path / "found.xlsx"
    found.write_bytes(builders.xlsx([["身份证号"], [number]]))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really")

    assert run(str(clean)) == (0, [], "")
    code, lines, _ = run(str(found))
    assert code == 1
    assert lines == [
        {
            "file": str(found),
            "location": "工作表“名单” 第2行 第A列",
            "kind": "id_card",
            "severity": "high",
            "masked": f"{number[:6]}********{number[-4:]}",
        }
    ]
    code, lines, err = run(str(found), str(broken))
    assert code == 2 and "无法读取" in err
    assert lines[-1]["status"] == "unreadable"


def test_words_file_and_no_database_needed(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("老街片区\n", encoding="utf-8")
    doc = tmp_path / "note.txt"
    doc.write_text("关于老街片区的说明", encoding="utf-8")
    out = io.StringIO()
    assert scan_files([str(doc)], out=out, err=io.StringIO(), unit_words=["老街片区"]) == 1
    assert json.loads(out.getvalue())["kind"] == "unit_word"


@pytest.mark.django_db
def test_published_rescan_exit_code(draft, publish):
    publish(draft(body="<p>无敏感信息</p>"))
    assert run("--published", "--no-progress")[0] == 0
