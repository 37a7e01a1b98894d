"""Every staff action on a case as a command: ``gongkai applications register|event|reply|letter|upload|appeal|
appeal-result|show``.

Townships receive cases from county and provincial 依申请公开 systems and migrate paper ledgers, so each thing an
officer does on the case page can be scripted. The command never has rules of its own: an ``event`` binds the
case page's own form (``staff_actions.STAFF``) with the options given and runs the page's own runner, so the
services, the action table's statuses and permissions (``actions``), the statutory clock and the audit event
are exactly those of the staff page. Option values are what the page would post: dates as YYYY-MM-DD, a unit by
its code, a user by user name, a result by its key in ``data/result_codes.yaml``.

A refusal names the option (``--due（补正期限）：…``) and the command exits non-zero; nothing is half-written,
because every service runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.orgs.models import Org, Role

from . import clock, staff_actions
from .choices import CHANNEL_WORDS, ApplicantType, Channel
from .models import Appeal, Application, Letter, Reply


class ScriptError(Exception):
    """A refusal as the command prints it: one Chinese line per problem, each naming its option."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class EventKind:
    """One ``event`` KIND: the case page's action it runs and which option fills which form field."""

    action: str
    options: Mapping[str, str]  # option dest → form field
    defaults: Mapping[str, str] = field(default_factory=dict)  # form field → the form field it defaults to
    article: str = ""


#: ``gongkai applications event CASE KIND``: the Art. 30–34 and 42 events of the ledger, and the transfer.
EVENTS: dict[str, EventKind] = {
    "receipt": EventKind("receive", {"on": "received_on"}, article="第三十一条"),
    "correction-request": EventKind(
        "correction_request", {"on": "on", "due": "due", "note": "items"}, article="第三十条"
    ),
    "correction-received": EventKind("correction_receive", {"on": "on", "note": "note"}, article="第三十条"),
    "consultation-start": EventKind(
        "consultation_start",
        {"on": "on", "party": "party", "who": "who", "note": "matter", "delivered": "delivered_on"},
        article="第三十二条、第三十四条",
    ),
    "consultation-delivered": EventKind("consultation_delivered", {"on": "on"}, article="第三十二条、第三十四条"),
    "consultation-end": EventKind("consultation_end", {"on": "on", "note": "outcome"}, article="第三十二条"),
    "extension": EventKind(
        "extend",
        {"on": "on", "days": "days", "note": "reason", "approved_by": "approved_by", "notified": "notified_on"},
        defaults={"notified_on": "on"},  # approval and notice on --on unless --notified is given
        article="第三十三条第二款",
    ),
    "reasonable-period": EventKind(
        "reasonable_period",
        {"on": "on", "due": "due", "note": "reason", "notified": "notified_on"},
        defaults={"notified_on": "on"},
        article="第三十五条",
    ),
    "fee-notice": EventKind(
        "fee_notice",
        {"on": "on", "basis": "basis", "quantity": "quantity", "delivered": "delivered_on"},
        article="第四十二条",
    ),
    "fee-paid": EventKind("fee_paid", {"on": "on"}, article="第四十二条"),
    "transfer": EventKind("transfer", {"on": "on", "to": "to_unit", "note": "reason"}, article="第三十六条第（五）项"),
}

#: The option each form or service field is given by, for messages (``--due（补正期限）``).
FLAGS: dict[str, str] = {
    "on": "--on",
    "received_on": "--on",
    "due": "--due",
    "items": "--note",
    "note": "--note",
    "matter": "--note",
    "outcome": "--note",
    "reason": "--note",
    "party": "--party",
    "who": "--who",
    "delivered_on": "--delivered",
    "days": "--days",
    "approved_by": "--approved-by",
    "notified_on": "--notified",
    "basis": "--basis",
    "quantity": "--quantity",
    "to_unit": "--to",
    "result": "--result",
    "content": "--content",
    "proactive": "--proactive",
    "proactive_location": "--proactive-location",
    "referred_agency": "--referred-agency",
    "kind": "--kind",
    "title": "--title",
    "upload": "--file",
    "filed_on": "--filed",
    "authority": "--authority",
    "case_number": "--case-number",
    "appeal": "--appeal",
    "decided_on": "--on",
    # register
    "org": "--org",
    "channel": "--channel",
    "applicant_type": "--applicant-type",
    "name": "--name",
    "id_type": "--id-type",
    "id_number": "--id-number",
    "contact_person": "--contact-person",
    "phone": "--phone",
    "email": "--email",
    "address": "--address",
    "postcode": "--postcode",
    "description": "--description",
    "document_number": "--document-number",
    "purpose": "--purpose",
    "info_form": "--info-form",
    "delivery": "--delivery",
    "item_count": "--items",
    "submitted_on": "--submitted",
    "oral": "--oral",
    "user": "--user",
    "case": "CASE",
}


#: ``register`` names the receipt and submission dates after the case's own options.
REGISTER_FLAGS = {"received_on": "--received", "submitted_on": "--submitted"}


def _flag(name: str, label: str = "", flags: Mapping[str, str] | None = None) -> str:
    flag = (flags or {}).get(name) or FLAGS.get(name, f"--{name.replace('_', '-')}")
    return f"{flag}（{label}）" if label else flag


def _lines(
    errors: Mapping[str, Any], labels: Mapping[str, str] | None = None, flags: Mapping[str, str] | None = None
) -> list[str]:
    labels = labels or {}
    out = []
    for name, messages in errors.items():
        text = "；".join(str(m) for m in messages)
        out.append(text if name == "__all__" else f"{_flag(name, labels.get(name, ''), flags)}：{text}")
    return out


def _domain(exc: DomainError, flags: Mapping[str, str] | None = None) -> ScriptError:
    if isinstance(exc, ValidationFailed):
        return ScriptError(_lines(exc.errors, flags=flags))
    return ScriptError([f"{_flag(exc.field, flags=flags)}：{exc.message}" if exc.field else exc.message])


# ---- looking things up ------------------------------------------------------------------------------------


def find_case(number: str) -> Application:
    app = Application.objects.select_related("unit").filter(tracking_number=(number or "").strip().upper()).first()
    if app is None:
        raise ScriptError([f"CASE：没有申请编号为“{number}”的申请"])
    return app


def find_unit(code: str, flag: str = "--org") -> Org:
    unit = Org.objects.filter(code=(code or "").strip()).first()
    if unit is None:
        raise ScriptError([f"{flag}：没有单位代码为“{code}”的单位（可用 gongkai org list 查看）"])
    return unit


def find_user(username: str | None, unit: Org, flag: str = "--user") -> Any:
    """The named user, or the unit's only active staff member when there is exactly one obvious choice: its
    first 公开办管理员. The services decide whether that user may act."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username.strip()).first()
        if user is None:
            raise ScriptError([f"{flag}：用户“{username}”不存在或已停用"])
        return user
    user = users.filter(memberships__org=unit, memberships__role=Role.UNIT_ADMIN).order_by("date_joined", "pk").first()
    if user is None:
        raise ScriptError([f"{flag}：{unit.name} 没有公开办管理员，请用 {flag} 指定以谁的名义办理"])
    return user


def channel_key(text: str) -> str:
    word = (text or "").strip()
    key = CHANNEL_WORDS.get(word) or CHANNEL_WORDS.get(word.lower())
    if key is None or key == Channel.ONLINE:
        choices = "、".join(f"{c.value}（{c.label}）" for c in Channel if c != Channel.ONLINE)
        raise ScriptError(
            [f"--channel（收到申请的渠道）：无法识别“{text}”；可用 {choices}（网上申请由申请人在网站提交）"]
        )
    return key


def applicant_key(text: str) -> str:
    word = (text or "").strip()
    for kind in ApplicantType:
        if word in (kind.value, kind.label):
            return kind.value
    if word in ("法人", "其他组织", "法人或其他组织"):
        return ApplicantType.OTHER_ORG
    choices = "、".join(f"{k.value}（{k.label}）" for k in ApplicantType)
    raise ScriptError([f"--applicant-type（申请人类型）：无法识别“{text}”；可用 {choices}"])


# ---- the actions ------------------------------------------------------------------------------------------


def register(*, options: Mapping[str, Any]) -> tuple[Application, str]:
    """Staff entry of a case received by letter, visit, window, fax, e-mail or from another system
    (``intake.enter_application``, Arts. 29 and 31): returns the case and its query code."""
    from . import intake

    unit = find_unit(options.get("org") or "")
    user = find_user(options.get("user"), unit)
    channel = channel_key(options.get("channel") or "")
    data = {
        key: options.get(key) or ""
        for key in intake.APPLICANT_FIELDS
        if key not in ("applicant_type", "item_count", "info_form", "delivery")
    }
    data["applicant_type"] = applicant_key(options.get("applicant_type") or "")
    data["item_count"] = options.get("item_count") or 1
    data["info_form"] = options.get("info_form") or "electronic"
    data["delivery"] = options.get("delivery") or ("email" if options.get("email") else "pickup")
    if not data.get("id_type"):
        data["id_type"] = "resident_id" if data["applicant_type"] == ApplicantType.NATURAL_PERSON else "uscc"
    try:
        return intake.enter_application(
            actor=user,
            unit=unit,
            data=data,
            channel=channel,
            submitted_on=options.get("submitted") or None,
            received_on=options.get("received") or None,
            oral=bool(options.get("oral")),
        )
    except DomainError as exc:
        raise _domain(exc, REGISTER_FLAGS) from exc


def _form_data(kind: EventKind, app: Application, options: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for dest, name in kind.options.items():
        value = options.get(dest)
        if value in (None, ""):
            continue
        if name == "to_unit":
            value = find_unit(str(value), "--to").pk
        elif name == "approved_by":
            value = find_user(str(value), app.unit, "--approved-by").pk
        data[name] = value
    for name, source in kind.defaults.items():
        if name not in data and source in data:
            data[name] = data[source]
    return data


def _choice_keys(form: Any, data: dict[str, Any]) -> dict[str, Any]:
    """A choice may be given by its Chinese name as the page shows it (``--party 第三方``) or by its key."""
    out = dict(data)
    for name, value in data.items():
        choices = getattr(form.fields.get(name), "choices", None)
        if choices is None or hasattr(form.fields[name], "queryset"):
            continue
        by_label = {str(label): key for key, label in choices if key not in ("", None)}
        by_label |= {str(label).split("（")[0]: key for key, label in choices if key not in ("", None)}
        out[name] = by_label.get(str(value).strip(), value)
    return out


def _run(action: str, app: Application, user: Any, data: dict[str, Any], files: Any = None) -> staff_actions.Done:
    spec = staff_actions.STAFF[action]
    form = spec.bound(app, _choice_keys(spec.unbound(app), data), files)
    if not form.is_valid():
        labels = {name: str(f.label or "") for name, f in form.fields.items()}
        raise ScriptError(_lines(form.errors, labels))
    try:
        return spec.run(user, app, form.cleaned_data)
    except DomainError as exc:
        labels = {name: str(f.label or "") for name, f in form.fields.items()}
        if isinstance(exc, ValidationFailed):
            raise ScriptError(_lines(exc.errors, labels)) from exc
        line = f"{_flag(exc.field, labels.get(exc.field, ''))}：{exc.message}" if exc.field else exc.message
        raise ScriptError([line]) from exc


def event(*, case: str, kind: str, options: Mapping[str, Any]) -> staff_actions.Done:
    """Record one ledger event on ``case`` through the case page's form and service for it."""
    if kind not in EVENTS:
        raise ScriptError([f"KIND：没有“{kind}”这种办理事项；可用 {'、'.join(EVENTS)}"])
    app = find_case(case)
    user = find_user(options.get("user"), app.unit)
    spec = EVENTS[kind]
    data = _form_data(spec, app, options)
    if spec.action == "extend" and "approved_by" not in data:
        data["approved_by"] = user.pk  # the acting leader approves; the service checks that they may
    return _run(spec.action, app, user, data)


def reply(*, case: str, options: Mapping[str, Any]) -> staff_actions.Done:
    """Answer and close the case (Art. 36) with a result key of ``data/result_codes.yaml``."""
    app = find_case(case)
    user = find_user(options.get("user"), app.unit)
    data = {
        key: options[key]
        for key in ("on", "result", "content", "proactive_location", "referred_agency")
        if options.get(key) not in (None, "")
    }
    if options.get("proactive"):
        data["proactive"] = "on"
    return _run("reply", app, user, data)


def letter(*, case: str, options: Mapping[str, Any]) -> tuple[staff_actions.Done, Letter]:
    """Number a letter now; the worker renders DOCX and PDF (``letters.generate``)."""
    app = find_case(case)
    user = find_user(options.get("user"), app.unit)
    before = set(app.letters.values_list("pk", flat=True))
    done = _run("letter", app, user, {k: options[k] for k in ("kind", "on") if options.get(k)})
    made = app.letters.exclude(pk__in=before).order_by("-pk").first() or app.letters.order_by("-pk").first()
    assert made is not None
    return done, made


def upload(*, case: str, options: Mapping[str, Any]) -> staff_actions.Done:
    """Attach a signed scan or a document made outside the platform (``letters.upload``)."""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    app = find_case(case)
    user = find_user(options.get("user"), app.unit)
    path = Path(options.get("file") or "")
    if not path.is_file():
        raise ScriptError([f"--file（文件）：找不到文件“{path}”"])
    files = {"upload": SimpleUploadedFile(path.name, path.read_bytes())}
    data = {k: options[k] for k in ("kind", "title", "on") if options.get(k)}
    return _run("upload", app, user, data, files)


def appeal(*, case: str, options: Mapping[str, Any]) -> staff_actions.Done:
    """Record a 行政复议 or 行政诉讼 against the answer (Art. 51)."""
    app = find_case(case)
    user = find_user(options.get("user"), app.unit)
    data = {
        key: options[key]
        for key in ("kind", "filed_on", "authority", "case_number", "note")
        if options.get(key) not in (None, "")
    }
    return _run("appeal", app, user, data)


def appeal_result(*, case: str, options: Mapping[str, Any]) -> staff_actions.Done:
    """Record the outcome of the case's appeal (``--appeal`` its id as ``show --json`` lists it; default the
    latest)."""
    app = find_case(case)
    user = find_user(options.get("user"), app.unit)
    chosen = options.get("appeal")
    qs = Appeal.objects.filter(application=app)
    target = qs.filter(pk=chosen).first() if chosen else qs.order_by("-filed_on", "-pk").first()
    if target is None:
        which = f"编号为 {chosen} 的" if chosen else ""
        raise ScriptError([f"{_flag('appeal')}：该申请没有{which}复议/诉讼记录"])
    data = {"appeal": target.pk, **{k: options[k] for k in ("outcome", "decided_on") if options.get(k)}}
    return _run("appeal_decide", app, user, data)


# ---- show --json ------------------------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _period(period: Any) -> dict[str, Any] | None:
    if period is None:
        return None
    return {
        "key": period.key,
        "text": period.text,
        "instrument": period.instrument,
        "article": period.article,
        "valid_from": _iso(period.valid_from),
        "valid_to": _iso(period.valid_to),
    }


def _letter_text(letter: Letter) -> str:
    content = letter.content or {}
    parts = [content.get("title", letter.title), content.get("number", letter.number)]
    parts += [content.get("salutation", ""), *content.get("paragraphs", [])]
    parts += [content.get("issuer", ""), content.get("day", ""), *content.get("notes", [])]
    return "\n".join(p for p in parts if p)


def show(case: str, today: date | None = None) -> dict[str, Any]:
    """Everything the case page says about ``case``, as JSON: status, due date, each counted, paused and added
    day with the rule and the law version applied (by the receipt date, Art. 33 / 2007 Art. 24), the letters with
    their full text, the appeals."""
    app = find_case(case)
    state = clock.state_of(app, today)
    return {
        "number": app.tracking_number,
        "unit": {"code": app.unit.code, "name": app.unit.name},
        "status": app.status,
        "status_label": app.get_status_display(),
        "channel": app.channel,
        "received_on": _iso(state.received_on),
        "due_date": _iso(state.due_date),
        "closed_on": _iso(state.closed_on),
        "replied_late": state.replied_late,
        "used_days": state.used_days(),
        "remaining_days": state.remaining_days(),
        "limit_days": state.limit_days if state.answer_period else None,
        "extension_days": state.extension_days,
        "paused_days": state.paused_days,
        "basis": state.basis,
        "law": {
            "answer": _period(state.answer_period),
            "extension": _period(state.extension_period),
            "consultation": _period(state.consultation_period),
        },
        "consultation": state.consultation_text,
        "warning": state.warning,
        "explanation": [
            {
                "on": line.on.isoformat(),
                "kind": line.kind,
                "label": line.label,
                "text": line.text,
                "counted": line.counted,
                "paused": line.paused,
                "added": line.added,
            }
            for line in state.lines
        ],
        "result": _result(app),
        "letters": [
            {
                "id": letter.pk,
                "kind": letter.kind,
                "title": letter.title,
                "number": letter.number,
                "issued_on": _iso(letter.issued_on),
                "status": letter.status,
                "text": _letter_text(letter),
            }
            for letter in app.letters.order_by("issued_on", "pk")
        ],
        "appeals": [
            {
                "id": a.pk,
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "filed_on": _iso(a.filed_on),
                "outcome": a.outcome,
                "decided_on": _iso(a.decided_on),
            }
            for a in Appeal.objects.filter(application=app).order_by("filed_on", "pk")
        ],
    }


def _result(app: Application) -> dict[str, Any] | None:
    answer = Reply.objects.filter(application=app).select_related("result").first()
    if answer is None:
        return None
    return {"key": answer.result.key, "label": str(answer.result), "replied_on": _iso(answer.replied_on)}
