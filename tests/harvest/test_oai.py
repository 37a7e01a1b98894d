"""OAI-PMH at /oai: well-formed XML, Dublin Core, deleted records, resumption tokens and the error codes."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from gongkai.harvest import oai
from gongkai.harvest.models import HarvestChange

LR = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
NS = {"oai": oai.OAI_NS, "dc": oai.DC_NS, "oai_dc": oai.OAI_DC_NS}


def get(api: Any, **params: str) -> ET.Element:
    response = api.get("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{oai.OAI_NS}}}OAI-PMH"
    assert root.find("oai:responseDate", NS) is not None and root.find("oai:request", NS) is not None
    return root


def error_code(root: ET.Element) -> str | None:
    el = root.find("oai:error", NS)
    return None if el is None else el.get("code")


def test_identify(api: Any, history: dict[str, Any]) -> None:
    root = get(api, verb="Identify")
    body = root.find("oai:Identify", NS)
    assert body is not None
    assert body.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert body.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert body.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert body.findtext("oai:baseURL", namespaces=NS).endswith("/oai")
    assert "清河县" in body.findtext("oai:repositoryName", namespaces=NS)
    assert root.find("oai:request", NS).get("verb") == "Identify"


def test_list_records_in_dublin_core_with_deleted_headers(api: Any, history: dict[str, Any]) -> None:
    root = get(api, verb="ListRecords", metadataPrefix="oai_dc")
    records = root.findall("oai:ListRecords/oai:record", NS)
    # one record per entry, in its current state (the edited notice and the repealed policy once each)
    assert len(records) == 4
    by_id = {r.findtext("oai:header/oai:identifier", namespaces=NS): r for r in records}
    policy = by_id[f"oai:127.0.0.1:{history['policy'].index_number}"]
    dc = policy.find("oai:metadata/oai_dc:dc", NS)
    assert dc is not None
    assert dc.findtext("dc:title", namespaces=NS) == "东山镇农村低保实施办法"
    identifiers = [e.text for e in dc.findall("dc:identifier", NS)]
    assert history["policy"].index_number in identifiers
    assert any(i and i.endswith(f"/dongshan/info/{history['policy'].pk}/") for i in identifiers)
    assert "2025-03-03" in [e.text for e in dc.findall("dc:date", NS)]
    assert dc.findtext("dc:publisher", namespaces=NS) == "清河县东山镇人民政府"
    assert dc.findtext("dc:type", namespaces=NS) == "办法"
    descriptions = [e.text or "" for e in dc.findall("dc:description", NS)]
    assert "规范农村最低生活保障。" in descriptions and any("废止" in d for d in descriptions)
    assert policy.findtext("oai:header/oai:setSpec", namespaces=NS) == "QH0101"
    gone = by_id[f"oai:127.0.0.1:{history['withdrawn'].index_number}"]
    assert gone.find("oai:header", NS).get("status") == "deleted"
    assert gone.find("oai:metadata", NS) is None
    token = root.find("oai:ListRecords/oai:resumptionToken", NS)
    assert token is not None and not (token.text or "")


def test_get_record_and_unknown_identifier(api: Any, history: dict[str, Any]) -> None:
    ident = f"oai:127.0.0.1:{history['notice'].index_number}"
    root = get(api, verb="GetRecord", metadataPrefix="oai_dc", identifier=ident)
    title = root.findtext("oai:GetRecord/oai:record/oai:metadata/oai_dc:dc/dc:title", namespaces=NS)
    assert title == "关于做好2025年防汛工作的通知"
    missing = get(api, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:127.0.0.1:QH0101/1999-99999")
    assert error_code(missing) == "idDoesNotExist"
    assert error_code(get(api, verb="GetRecord", metadataPrefix="oai_dc", identifier="junk")) == "idDoesNotExist"


def test_list_identifiers_pages_with_resumption_tokens(
    api: Any, history: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    root = get(api, verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = [h.findtext("oai:identifier", namespaces=NS) for h in root.findall("oai:ListIdentifiers/oai:header", NS)]
    token = root.findtext("oai:ListIdentifiers/oai:resumptionToken", namespaces=NS)
    assert len(seen) == 3 and token
    root = get(api, verb="ListIdentifiers", resumptionToken=token)
    seen += [h.findtext("oai:identifier", namespaces=NS) for h in root.findall("oai:ListIdentifiers/oai:header", NS)]
    assert not root.findtext("oai:ListIdentifiers/oai:resumptionToken", namespaces=NS)
    assert len(seen) == len(set(seen)) == 4
    # a ListIdentifiers token is not a ListRecords token
    assert error_code(get(api, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


def test_sets_and_set_filter(api: Any, history: dict[str, Any]) -> None:
    root = get(api, verb="ListSets")
    specs = {s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS) for s in
             root.findall("oai:ListSets/oai:set", NS)}  # fmt: skip
    assert specs["QH0201"] == "清河县城关街道办事处" and "QH0101" in specs and "QH010101" not in specs
    root = get(api, verb="ListIdentifiers", metadataPrefix="oai_dc", set="QH0201")
    headers = root.findall("oai:ListIdentifiers/oai:header", NS)
    assert [h.findtext("oai:setSpec", namespaces=NS) for h in headers] == ["QH0201"]


def test_from_until(api: Any, history: dict[str, Any]) -> None:
    rows = list(HarvestChange.objects.order_by("id"))
    base = (timezone.now() - timedelta(days=30)).replace(microsecond=0)
    for i, row in enumerate(rows):
        HarvestChange.objects.filter(pk=row.pk).update(changed_at=base + timedelta(days=i))
    stamp = oai._stamp
    root = get(api, verb="ListIdentifiers", metadataPrefix="oai_dc", until=stamp(base + timedelta(days=2)))
    # the street entry (published third) is the only one whose latest change is that old
    headers = root.findall("oai:ListIdentifiers/oai:header", NS)
    assert [h.findtext("oai:setSpec", namespaces=NS) for h in headers] == ["QH0201"]
    root = get(api, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": stamp(base + timedelta(days=5))})
    assert len(root.findall("oai:ListIdentifiers/oai:header", NS)) == 2  # the withdrawn one and the policy
    day = (base + timedelta(days=2)).astimezone(UTC).date().isoformat()  # the UTC day of the third change only
    root = get(api, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": day, "until": day})
    headers = root.findall("oai:ListIdentifiers/oai:header", NS)
    assert [h.findtext("oai:setSpec", namespaces=NS) for h in headers] == ["QH0201"]
    day = (base + timedelta(days=3)).astimezone(UTC).date().isoformat()  # the withdrawn entry's publication:
    root = get(api, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": day, "until": day})
    assert error_code(root) == "noRecordsMatch"  # not its current state (withdrawn two days later)
    future = (timezone.now() + timedelta(days=1)).date().isoformat()
    assert error_code(get(api, verb="ListRecords", metadataPrefix="oai_dc", **{"from": future})) == "noRecordsMatch"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-13-40"}, "badArgument"),
        ({**LR, "from": "2025-03-02", "until": "2025-03-01"}, "badArgument"),
        ({**LR, "from": "2025-03-01", "until": "2025-03-02T00:00:00Z"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "QH9999"}, "badArgument"),
        ({**LR, "from": "2025-03-01T00:00:00+08:00"}, "badArgument"),
        ({**LR, "from": "2025-03-01 00:00:00X"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "colour": "red"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "abc", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "abc"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "abc"}, "badResumptionToken"),
        ({"verb": "GetRecord", "identifier": "x"}, "badArgument"),
        ({"verb": "Identify", "set": "QH0101"}, "badArgument"),
    ],
)  # fmt: skip
def test_errors_are_oai_error_codes_in_chinese(
    api: Any, history: dict[str, Any], params: dict[str, str], code: str
) -> None:
    root = get(api, **params)
    assert error_code(root) == code
    message = root.findtext("oai:error", namespaces=NS) or ""
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    if code in ("badVerb", "badArgument"):
        assert not root.find("oai:request", NS).attrib  # the spec: no attributes on a badVerb/badArgument request


def test_repeated_argument_is_bad(api: Any, history: dict[str, Any]) -> None:
    response = api.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    assert error_code(ET.fromstring(response.content)) == "badArgument"


def test_rate_limited_with_retry_after(api: Any, history: dict[str, Any], settings: Any) -> None:
    settings.GONGKAI_RATE_LIMITS = {"harvest": (2, 60)}
    codes = [api.get("/oai", {"verb": "Identify"}).status_code for _ in range(3)]
    assert codes[:2] == [200, 200] and codes[2] == 503
    response = api.get("/oai", {"verb": "Identify"})
    assert int(response["Retry-After"]) >= 1 and "频繁" in response.content.decode()
