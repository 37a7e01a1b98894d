"""The JSON harvest feed: every change in sequence order, resumable, filtered, with clear Chinese errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import signing
from django.utils import timezone

from gongkai.catalog import services
from gongkai.harvest import selectors
from gongkai.harvest.models import HarvestChange

URL = "/api/v1/harvest/records"


def all_pages(api: Any, **params: Any) -> tuple[list[dict[str, Any]], str]:
    out: list[dict[str, Any]] = []
    body = api.get(URL, params).json()
    out += body["results"]
    while body["has_more"]:
        body = api.get(URL, {"cursor": body["next_cursor"]}).json()
        out += body["results"]
    return out, body["next_cursor"]


def test_every_change_in_order_with_full_metadata(api: Any, history: dict[str, Any]) -> None:
    records, _ = all_pages(api)
    seqs = [r["seq"] for r in records]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert [(r["index_number"], r["change"]) for r in records] == [
        (history["policy"].index_number, "published"),
        (history["notice"].index_number, "published"),
        (history["street"].index_number, "published"),
        (history["withdrawn"].index_number, "published"),
        (history["notice"].index_number, "updated"),
        (history["withdrawn"].index_number, "withdrawn"),
        (history["policy"].index_number, "validity"),
    ]
    first = records[0]
    assert first["status"] == "active"
    assert first["title"] == "东山镇农村低保实施办法"
    assert first["document_number"] == "东政发〔2025〕3号"
    assert first["unit"] == "QH0101" and first["unit_name"] == "清河县东山镇人民政府"
    assert first["publisher"] == "东山镇民政办"
    assert first["category"].endswith("规范性文件") and "/" in first["category"]
    assert first["genre"] == "办法" and first["topic_words"] == ["低保", "社会救助"]
    assert first["formed_date"] == "2025-03-03" and first["published_at"]
    assert first["summary"] == "规范农村最低生活保障。" and "制定本办法" in first["body_html"]
    assert first["validity"] == "valid" and first["url"].endswith(f"/dongshan/info/{history['policy'].pk}/")
    [att] = first["attachments"]
    assert att["name"] == "低保标准.csv" and att["size"] > 0 and len(att["sha256"]) == 64
    assert att["url"].startswith("http")
    assert records[4]["title"] == "关于做好2025年防汛工作的通知" and records[4]["version"] == 2
    repealed = records[6]
    assert repealed["validity"] == "repealed" and repealed["invalid_date"] == "2025-06-01"
    assert repealed["status"] == "active"


def test_withdrawn_is_a_deleted_record_without_content(api: Any, history: dict[str, Any]) -> None:
    records, _ = all_pages(api)
    gone = [r for r in records if r["change"] == "withdrawn"]
    assert len(gone) == 1
    assert gone[0]["status"] == "deleted"
    assert gone[0]["withdrawn_reason"] == "名单有误" and gone[0]["withdrawn_at"]
    assert gone[0]["body_html"] is None and gone[0]["attachments"] is None


def test_resumed_from_the_middle_gets_exactly_the_rest(
    api: Any,
    history: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    people: Any,
    draft: Any,
    publish: Any,
    committed: Any,
) -> None:
    everything, _ = all_pages(api)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    first = api.get(URL).json()
    assert [r["seq"] for r in first["results"]] == [r["seq"] for r in everything[:3]] and first["has_more"]
    rest, last_cursor = all_pages(api, cursor=first["next_cursor"])
    assert [r["seq"] for r in rest] == [r["seq"] for r in everything[3:]]
    # The last page's cursor, kept: later it yields exactly what changed since.
    assert api.get(URL, {"cursor": last_cursor}).json()["results"] == []
    late = committed(publish, draft(title="后来发布的通知"))
    again = api.get(URL, {"cursor": last_cursor}).json()
    assert [r["index_number"] for r in again["results"]] == [late.index_number]


def test_changes_sharing_a_timestamp_are_not_skipped(
    api: Any, history: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = timezone.now() - timedelta(hours=1)
    HarvestChange.objects.update(changed_at=moment)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    records, _ = all_pages(api, **{"from": moment.isoformat()})
    assert len(records) == HarvestChange.objects.count() == 7


def test_from_until_and_org_filters(api: Any, history: dict[str, Any]) -> None:
    rows = list(HarvestChange.objects.order_by("id"))
    base = timezone.now() - timedelta(days=10)
    for i, row in enumerate(rows):
        HarvestChange.objects.filter(pk=row.pk).update(changed_at=base + timedelta(days=i))
    since, until = base + timedelta(days=2), base + timedelta(days=4)
    got, _ = all_pages(api, **{"from": since.isoformat(), "until": until.isoformat()})
    assert [r["seq"] for r in got] == [rows[2].pk, rows[3].pk, rows[4].pk]
    street, _ = all_pages(api, org="QH0201")
    assert [r["index_number"] for r in street] == [history["street"].index_number]
    day = timezone.localdate(base + timedelta(days=1)).isoformat()
    one_day, _ = all_pages(api, **{"from": day, "until": day})
    assert [r["seq"] for r in one_day] == [rows[1].pk]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"cursor": "nonsense"}, "cursor", "续取令牌无效"),
        ({"from": "2025-13-01"}, "from", "起始时间"),
        ({"until": "yesterday"}, "until", "截止时间"),
        ({"from": "0001-01-01T00:00:00+08:00"}, "from", "1949"),
        ({"until": "9999-12-31"}, "until", "截止时间"),
        ({"from": "2025-03-02", "until": "2025-03-01"}, "until", "不能早于"),
        ({"org": "QH9999"}, "org", "QH9999"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    api: Any, history: dict[str, Any], params: dict[str, str], field: str, words: str
) -> None:
    response = api.get(URL, params)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["field"] == field and words in error["message"]


def test_tampered_or_foreign_tokens_are_refused(api: Any, history: dict[str, Any]) -> None:
    token = api.get(URL).json()["next_cursor"]
    assert api.get(URL, {"cursor": token[:-2] + ("AA" if not token.endswith("AA") else "BB")}).status_code == 400
    foreign = signing.dumps({"k": "ListRecords", "a": 0}, salt=selectors.TOKEN_SALT, compress=True)
    assert api.get(URL, {"cursor": foreign}).json()["error"]["code"] == "bad_token"
    other_salt = signing.dumps({"k": "json", "a": 0}, salt="elsewhere")
    assert api.get(URL, {"cursor": other_salt}).status_code == 400


def test_cursor_with_other_filters_is_refused(api: Any, history: dict[str, Any]) -> None:
    token = api.get(URL, {"org": "QH0101"}).json()["next_cursor"]
    assert api.get(URL, {"cursor": token, "org": "QH0101"}).status_code == 200
    response = api.get(URL, {"cursor": token, "org": "QH0201"})
    assert response.status_code == 400 and response.json()["error"]["field"] == "org"


def test_reconcile_fills_in_lost_changes(history: dict[str, Any], people: Any) -> None:
    from gongkai.harvest.services import reconcile

    HarvestChange.objects.filter(entry=history["notice"]).delete()
    services.edit_published(
        actor=people["street_admin"], entry=history["street"], reason="x", title="城关街道停水通知（更正）"
    )
    # (not committed through the fixture: the signal never ran, as if the process had died)
    assert reconcile() == 2
    assert reconcile() == 0
    last = HarvestChange.objects.filter(entry=history["street"]).last()
    assert last is not None and last.kind == "updated" and last.record["title"] == "城关街道停水通知（更正）"


def test_backfill_dates_changes_at_publication_and_withdrawal(history: dict[str, Any]) -> None:
    from gongkai.harvest.services import reconcile

    HarvestChange.objects.all().delete()
    assert reconcile(backdate=True) == 4  # one per public entry, in its current state
    rows = list(HarvestChange.objects.order_by("id"))
    assert [r.entry_id for r in rows] == [
        e.pk for e in sorted(history.values(), key=lambda e: (e.published_at, e.pk))
    ]  # publication order
    by_entry = {r.entry_id: r for r in rows}
    gone = by_entry[history["withdrawn"].pk]
    assert gone.deleted and gone.kind == "withdrawn" and gone.changed_at == history["withdrawn"].withdrawn_at
    assert by_entry[history["notice"].pk].changed_at == history["notice"].published_at


def test_feed_is_in_the_openapi_schema(api: Any, db: Any) -> None:
    schema = api.get("/api/v1/openapi.json").json()
    op = schema["paths"]["/api/v1/harvest/records"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"from", "until", "org", "cursor"}
    assert "next_cursor" in str(schema["components"]["schemas"]["HarvestPage"])


def test_push_command_without_url_says_so(db: Any) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="GONGKAI_PUSH_URL"):
        call_command("harvest-push")


def test_renaming_a_column_updates_the_records_under_it(
    api: Any, history: dict[str, Any], people: Any, committed: Any
) -> None:
    from gongkai.catalog.categories import rename_category

    before = HarvestChange.objects.count()
    column = history["notice"].category
    committed(rename_category, actor=people["admin"], category=column, name="通知公告栏")
    new = list(HarvestChange.objects.filter(id__gt=HarvestChange.objects.order_by("id")[before - 1].pk))
    # the township entries in that column: the edited notice (and the withdrawn list, now a deleted record)
    assert {c.entry_id for c in new} == {e.pk for e in history.values() if e.category_id == column.pk}
    notice = next(c for c in new if c.entry_id == history["notice"].pk)
    assert notice.kind == "updated" and notice.record["category"].endswith("通知公告栏")
