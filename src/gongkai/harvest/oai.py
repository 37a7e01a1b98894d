"""OAI-PMH 2.0 at ``/oai``: the county portal and the resource library harvest every unit's published
information (Regulation Art. 23–24: the government website and the platform as disclosure channels).

Verbs Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord; the one format is
``oai_dc`` (Dublin Core); a set is a unit (setSpec = unit code). Withdrawn entries are deleted records
(``<header status="deleted">``, kept persistently). Errors are the protocol's error codes, with messages in
Chinese. Public: no token, rate limited per address (scope ``harvest``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from gongkai.core import ratelimit
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import UNIT_KINDS, Org

from . import records, selectors
from .models import HarvestChange

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ET.register_namespace("", OAI_NS)
ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)
ET.register_namespace("xsi", XSI_NS)

PAGE_SIZE = 100
#: verb → (required arguments, optional arguments); resumptionToken is exclusive where allowed.
VERBS: dict[str, tuple[set[str], set[str]]] = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, ns: str = OAI_NS, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, _q(ns, tag), attrs)
    if text is not None:
        el.text = text
    return el


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _base_url() -> str:
    return f"{settings.GONGKAI_PUBLIC_URL}/oai"


def _check_args(params: dict[str, str]) -> str:
    verb = params.get("verb")
    if verb not in VERBS:
        raise OaiError("badVerb", "缺少 verb 参数" if not verb else f"不支持的操作：{verb[:40]}")
    required, optional = VERBS[verb]
    given = set(params) - {"verb"}
    unknown = given - required - optional
    if unknown:
        raise OaiError("badArgument", f"不认识的参数：{'、'.join(sorted(unknown))}")
    if "resumptionToken" in given:
        if given != {"resumptionToken"}:
            raise OaiError("badArgument", "resumptionToken 须单独使用，不能与其他参数同时提供")
        return verb
    missing = required - given
    if missing:
        raise OaiError("badArgument", f"缺少必需的参数：{'、'.join(sorted(missing))}")
    if "metadataPrefix" in given and params["metadataPrefix"] != "oai_dc":
        raise OaiError(
            "cannotDisseminateFormat", f"不支持的元数据格式：{params['metadataPrefix'][:40]}（仅支持 oai_dc）"
        )
    return verb


def _header(parent: ET.Element, change: HarvestChange) -> None:
    attrs = {"status": "deleted"} if change.deleted else {}
    header = _sub(parent, "header", **attrs)
    _sub(header, "identifier", change.record.get("identifier", ""))
    _sub(header, "datestamp", _stamp(change.changed_at))
    _sub(header, "setSpec", change.record.get("unit", ""))


def _dc(parent: ET.Element, record: dict[str, Any]) -> None:
    metadata = _sub(parent, "metadata")
    dc = ET.SubElement(
        metadata,
        _q(OAI_DC_NS, "dc"),
        {_q(XSI_NS, "schemaLocation"): f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"},
    )

    def put(tag: str, value: str | None) -> None:
        if value:
            _sub(dc, tag, value, ns=DC_NS)

    put("title", record.get("title"))
    put("identifier", record.get("index_number"))
    put("identifier", record.get("url"))
    put("identifier", record.get("document_number"))
    put("creator", record.get("publisher"))
    put("publisher", record.get("unit_name"))
    for word in record.get("topic_words") or []:
        put("subject", word)
    put("subject", record.get("category"))
    put("description", record.get("summary"))
    validity = record.get("validity")
    if validity and validity != "valid":
        since = f"（{record['invalid_date']}）" if record.get("invalid_date") else ""
        put("description", f"有效性：{record.get('validity_label', validity)}{since}")
    put("date", record.get("formed_date"))
    put("date", (record.get("published_at") or "")[:10] or None)
    put("type", record.get("genre"))
    put("format", "text/html")
    put("language", "zh-CN")
    for attachment in record.get("attachments") or []:
        put("relation", attachment.get("url"))
    if record.get("superseded_by"):
        put("relation", record["superseded_by"])
    put("rights", "政府信息公开（主动公开）")


def _record(parent: ET.Element, change: HarvestChange) -> None:
    rec = _sub(parent, "record")
    _header(rec, change)
    if not change.deleted:
        _dc(rec, change.record)


def _window(params: dict[str, str], kind: str) -> selectors.Window:
    if "resumptionToken" in params:
        try:
            return selectors.parse_token(params["resumptionToken"], kind)
        except selectors.BadToken:
            raise OaiError("badResumptionToken", "resumptionToken 无效或已被改动，请从头开始汇聚") from None
    try:
        for key in ("from", "until"):
            value = params.get(key, "")
            if value and not (len(value) == 10 or (len(value) == 20 and value.endswith("Z"))):
                raise ValidationFailed({key: [f"{key} 须为 YYYY-MM-DD 或 YYYY-MM-DDThh:mm:ssZ（UTC）"]})
        # OAI datestamps are UTC, a day too (not the site's Beijing day)
        since = selectors.parse_moment(params.get("from"), "from", "起始时间", zone=UTC)
        until = selectors.parse_moment(params.get("until"), "until", "截止时间", end=True, zone=UTC)
        if "from" in params and "until" in params and len(params["from"]) != len(params["until"]):
            raise ValidationFailed({"until": ["from 与 until 的粒度须相同"]})
        selectors.check_window(since, until)
        if until and len(params.get("until", "")) == 20:
            until = until.replace(microsecond=999_999)  # second granularity: the whole second
        unit = selectors.resolve_unit(params.get("set"), "set")
    except ValidationFailed as exc:
        raise OaiError("badArgument", exc.message) from None
    return selectors.Window(since=since, until=until, org=unit.code if unit else None)


def _list(root: ET.Element, verb: str, params: dict[str, str]) -> None:
    window = _window(params, verb)
    page = selectors.page(window, selectors.latest_changes(window), PAGE_SIZE)
    if not page.items:
        if "resumptionToken" in params:
            _sub(root, verb)  # a token from the last page, used later: nothing new yet (an empty list)
            return
        raise OaiError("noRecordsMatch", "没有符合条件的记录")
    body = _sub(root, verb)
    for change in page.items:
        (_record if verb == "ListRecords" else _header)(body, change)
    _sub(body, "resumptionToken", window.token(page.last_seq, verb) if page.has_more else "")


def _identify(root: ET.Element) -> None:
    body = _sub(root, "Identify")
    county = Org.objects.filter(parent=None, kind__in=UNIT_KINDS).order_by("path", "sort_order", "id").first()
    _sub(body, "repositoryName", f"{county.name if county else ''}政府信息公开平台")
    _sub(body, "baseURL", _base_url())
    _sub(body, "protocolVersion", "2.0")
    _sub(body, "adminEmail", getattr(settings, "GONGKAI_ADMIN_EMAIL", "") or "admin@localhost")
    first = HarvestChange.objects.order_by("changed_at").values_list("changed_at", flat=True).first()
    _sub(body, "earliestDatestamp", _stamp(first or datetime(2019, 5, 15, tzinfo=UTC)))
    _sub(body, "deletedRecord", "persistent")
    _sub(body, "granularity", "YYYY-MM-DDThh:mm:ssZ")


def _formats(root: ET.Element, params: dict[str, str]) -> None:
    if "identifier" in params:
        _get(params["identifier"])
    body = _sub(root, "ListMetadataFormats")
    fmt = _sub(body, "metadataFormat")
    _sub(fmt, "metadataPrefix", "oai_dc")
    _sub(fmt, "schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    _sub(fmt, "metadataNamespace", OAI_DC_NS)


def _sets(root: ET.Element, params: dict[str, str]) -> None:
    if "resumptionToken" in params:
        raise OaiError("badResumptionToken", "单位列表不分页，没有可续取的令牌")
    body = _sub(root, "ListSets")
    for unit in Org.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("path", "sort_order", "id"):
        s = _sub(body, "set")
        _sub(s, "setSpec", unit.code)
        _sub(s, "setName", unit.name)


def _get(identifier: str) -> HarvestChange:
    prefix = records.identifier("")
    change = selectors.latest_of(identifier[len(prefix) :]) if identifier.startswith(prefix) else None
    if change is None:
        raise OaiError("idDoesNotExist", f"没有标识为“{identifier[:120]}”的记录")
    return change


def _respond(params: dict[str, str], root: ET.Element) -> None:
    verb = _check_args(params)
    if verb == "Identify":
        _identify(root)
    elif verb == "ListMetadataFormats":
        _formats(root, params)
    elif verb == "ListSets":
        _sets(root, params)
    elif verb == "GetRecord":
        change = _get(params["identifier"])
        _record(_sub(root, "GetRecord"), change)
    else:
        _list(root, verb, params)


@require_http_methods(["GET", "POST", "HEAD"])
def endpoint(request: HttpRequest) -> HttpResponse:
    verdict = ratelimit.hit_request("harvest", request)
    if not verdict.allowed:
        # OAI-PMH flow control: 503 with Retry-After (the protocol has no error code for it).
        response = HttpResponse(verdict.message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(verdict.retry_after)
        return response
    query = request.POST if request.method == "POST" else request.GET
    root = ET.Element(
        _q(OAI_NS, "OAI-PMH"),
        {_q(XSI_NS, "schemaLocation"): f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"},
    )
    _sub(root, "responseDate", _stamp(datetime.now(UTC)))
    request_el = _sub(root, "request", _base_url())
    params: dict[str, str] = {}
    try:
        repeated = [k for k, v in query.lists() if len(v) > 1]
        params = {k: str(v) for k, v in query.items()}
        if any("\x00" in k or "\x00" in v for k, v in params.items()):
            raise OaiError("badArgument", "参数含有不允许的控制字符")
        if repeated:
            raise OaiError("badArgument", f"参数不能重复：{'、'.join(repeated)}")
        _check_args(params)
        for key, value in params.items():
            request_el.set(key, value)
        _respond(params, root)
    except OaiError as exc:
        if exc.code in ("badVerb", "badArgument"):
            request_el.attrib.clear()  # the protocol: such a request is echoed without its arguments
        _sub(root, "error", exc.message, code=exc.code)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    response = HttpResponse(body, content_type="text/xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
