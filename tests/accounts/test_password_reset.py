"""Password resets that hold 三员 (issue 17 item 2): the system administrator never chooses or sees a password or
code that works for someone else; an account that sees applicants' data, and every printed reset, needs a second
person; the code reaches only the holder (e-mail, or two printed halves), old password and sessions end, the holder
and the unit admin are told, and every step is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts import resets
from gongkai.accounts.models import PasswordReset
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent
from tests.factories import PASSWORD

NEW = "Qinghe#2026reset"
CODE = re.compile(r"[A-Z2-9]{3}-[A-Z2-9]{3}(?:-[A-Z2-9]{3}-[A-Z2-9]{3})?")


@pytest.fixture
def mailed(people):
    """Addresses on the holder, the unit admin and the system administrator (who must never get the code)."""
    for key in ("drafter", "admin", "sysadmin", "supervisor"):
        people[key].email = f"{people[key].username}@example.gov.cn"
        people[key].save(update_fields=["email"])
    return people


def seen_by(response) -> str:
    return response.content.decode()


def login_works(client, username: str, password: str) -> bool:
    client.logout()
    return client.login(username=username, password=password)


def test_emailed_reset_of_a_case_handler_waits_for_a_second_person_and_reaches_only_the_holder(
    client, mailed, mailoutbox, django_capture_on_commit_callbacks
):
    people = mailed
    drafter, sysadmin, admin = people["drafter"], people["sysadmin"], people["admin"]
    holder = client.__class__()
    assert holder.login(username=drafter.username, password=PASSWORD)
    assert holder.get(reverse("staff:entry_list")).status_code == 200

    client.force_login(sysadmin)
    url = reverse("staff:reset_password", args=[drafter.pk])
    form = client.get(url)
    assert "须经本单位（或上级）公开办管理员或审计员确认" in seen_by(form)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(url, {"delivery": "email", "reason": "本人遗忘密码，当面申请"})
    seen = seen_by(asked)
    assert asked.status_code == 200 and "待第二人确认" in seen and not CODE.search(seen)
    assert mailoutbox == []  # nothing exists yet to send
    reset = PasswordReset.objects.get(user=drafter)
    assert reset.state == "awaiting"
    assert holder.get(reverse("staff:entry_list")).status_code == 200  # the old password still stands

    # The requester cannot be the second person, and neither can someone outside the holder's unit.
    assert client.post(reverse("staff:confirm_reset", args=[reset.pk])).status_code == 403
    client.force_login(people["street_admin"])
    assert client.post(reverse("staff:confirm_reset", args=[reset.pk])).status_code == 403

    client.force_login(admin)
    assert "待确认" in seen_by(client.get(reverse("staff:resets")))
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("staff:confirm_reset", args=[reset.pk]))
    assert confirmed.status_code == 200 and "已发送到" in seen_by(confirmed) and not CODE.search(seen_by(confirmed))
    to_holder = [m for m in mailoutbox if m.to == [drafter.email]]
    to_admins = [m for m in mailoutbox if admin.email in m.to]
    assert len(to_holder) == 1 and len(to_admins) == 1
    assert not any(sysadmin.email in m.to for m in mailoutbox)
    code = CODE.search(to_holder[0].body).group()
    assert code not in to_admins[0].body and "系统管理员不知道新密码" in to_admins[0].body

    # The old password and the open session end the moment the reset takes effect.
    assert holder.get(reverse("staff:entry_list")).status_code == 302
    assert not login_works(client, drafter.username, PASSWORD)

    done = client.post(
        reverse("staff:password_reset_use"),
        {"username": drafter.username, "code": code.lower(), "new_password1": NEW, "new_password2": NEW},
    )
    assert done.status_code == 302 and done["Location"] == reverse("staff:login")
    assert login_works(client, drafter.username, NEW)
    assert client.get(reverse("staff:entry_list")).status_code == 200  # no forced change: the holder chose it
    again = client.post(
        reverse("staff:password_reset_use"),
        {"username": drafter.username, "code": code, "new_password1": "Another#26pw", "new_password2": "Another#26pw"},
    )  # fmt: skip
    assert again.status_code == 400  # once only
    trail = list(
        AuditEvent.objects.filter(action__startswith="auth.password_reset").values_list("action", "actor_id", "outcome")
    )
    assert trail == [
        ("auth.password_reset", sysadmin.pk, "success"),
        ("auth.password_reset_confirm", admin.pk, "success"),
        ("auth.password_reset_use", drafter.pk, "success"),
        ("auth.password_reset_use", None, "failure"),
    ]


def test_printed_reset_is_two_halves_and_neither_alone_works(client, people):
    drafter = people["drafter"]
    client.force_login(people["sysadmin"])
    asked = client.post(reverse("staff:reset_password", args=[drafter.pk]), {"delivery": "print", "reason": "遗忘"})
    first = CODE.search(seen_by(asked)).group()
    assert len(first) == 7 and "第一联" in seen_by(asked)
    reset = PasswordReset.objects.get(user=drafter)
    client.force_login(people["auditor"])  # the auditor may be the second person
    confirmed = client.post(reverse("staff:confirm_reset", args=[reset.pk]))
    second = CODE.search(seen_by(confirmed)).group()
    assert "第二联" in seen_by(confirmed) and second != first

    def use(code: str) -> int:
        return client.post(
            reverse("staff:password_reset_use"),
            {"username": drafter.username, "code": code, "new_password1": NEW, "new_password2": NEW},
        ).status_code

    client.logout()
    assert use(first) == 400 and use(second) == 400 and use(second + first) == 400
    assert use(f"{first} {second}") == 302
    assert login_works(client, drafter.username, NEW)


def test_the_system_administrator_cannot_log_in_as_anyone_by_any_sequence(client, mailed, mailoutbox, settings):
    """Everything a system administrator can do here — ask for a reset by either delivery, try to confirm it, read
    every page and mail they are given — leaves them without a code that works."""
    people = mailed
    sysadmin = people["sysadmin"]
    client.force_login(sysadmin)
    seen: list[str] = []
    for target in ("drafter", "supervisor", "admin", "auditor"):
        user = people[target]
        for delivery in ("email", "print"):
            response = client.post(
                reverse("staff:reset_password", args=[user.pk]), {"delivery": delivery, "reason": "测试"}
            )
            seen.append(seen_by(response))
            for reset in PasswordReset.objects.filter(user=user, state="awaiting"):
                seen.append(seen_by(client.post(reverse("staff:confirm_reset", args=[reset.pk]))))
    seen += [seen_by(client.get(reverse("staff:resets"))), seen_by(client.get(reverse("staff:audit_log")))]
    seen += [m.body for m in mailoutbox if sysadmin.email in m.to]
    pieces = {m.group().replace("-", "") for text in seen for m in CODE.finditer(text)}
    client.logout()
    for target in ("drafter", "supervisor", "admin", "auditor"):
        for piece in pieces:
            response = client.post(
                reverse("staff:password_reset_use"),
                {"username": people[target].username, "code": piece, "new_password1": NEW, "new_password2": NEW},
            )
            assert response.status_code in (400, 429)
        assert not login_works(client, people[target].username, NEW)
    with pytest.raises(NotAllowed):
        resets.request_reset(actor=sysadmin, user=sysadmin, delivery="print", reason="自己")
    # The old way — an administrator typing a temporary password — is gone from the form and the services.
    assert 'name="password"' not in seen[0]


def test_an_account_without_personal_data_access_is_mailed_at_once(
    client, mailed, mailoutbox, django_capture_on_commit_callbacks
):
    supervisor = mailed["supervisor"]
    with django_capture_on_commit_callbacks(execute=True):
        done = resets.request_reset(actor=mailed["sysadmin"], user=supervisor, delivery="email", reason="遗忘")
    assert done.reset.state == "issued" and done.mailed and done.half == ""
    [mail] = [m for m in mailoutbox if m.to == [supervisor.email]]
    assert CODE.search(mail.body) and "重置码只能使用一次" in mail.body


def test_bad_input_is_refused_in_chinese_naming_the_field(client, people, settings):
    sysadmin, drafter = people["sysadmin"], people["drafter"]
    with pytest.raises(ValidationFailed) as exc:
        resets.request_reset(actor=sysadmin, user=drafter, delivery="email", reason="")
    assert exc.value.errors["reason"][0].startswith("请写明重置原因")
    assert "没有登记电子邮箱" in exc.value.errors["delivery"][0]
    with pytest.raises(ValidationFailed) as exc:
        resets.request_reset(actor=sysadmin, user=drafter, delivery="fax", reason="x" * 201)
    assert set(exc.value.errors) == {"reason", "delivery"}
    with pytest.raises(NotAllowed):
        resets.request_reset(actor=people["admin"], user=drafter, delivery="print", reason="遗忘")

    client.force_login(sysadmin)
    page = client.post(reverse("staff:reset_password", args=[drafter.pk]), {"delivery": "print", "reason": ""})
    assert page.status_code == 400 and "重置原因：请写明" in seen_by(page) and 'value="print" checked' in seen_by(page)
    missing = client.post(reverse("staff:resets"), {"username": "nobody"})
    assert missing.status_code == 400 and "账号：没有名为“nobody”的账号" in seen_by(missing)

    done = resets.request_reset(actor=sysadmin, user=drafter, delivery="print", reason="遗忘")
    last = resets.confirm_reset(actor=people["admin"], reset=done.reset)
    code = done.half + last.half
    client.logout()
    url = reverse("staff:password_reset_use")
    blank = client.post(url, {"username": "", "code": "", "new_password1": "", "new_password2": ""})
    assert (
        blank.status_code == 400 and "账号：请填写账号" in seen_by(blank) and "重置码：请填写重置码" in seen_by(blank)
    )
    mismatch = client.post(
        url, {"username": drafter.username, "code": code, "new_password1": NEW, "new_password2": "x"}
    )
    assert "再次输入新密码：两次输入的新密码不一致" in seen_by(mismatch)
    weak = client.post(
        url, {"username": drafter.username, "code": code, "new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 400 and "新密码：" in seen_by(weak) and f'value="{drafter.username}"' in seen_by(weak)
    assert PasswordReset.objects.get(pk=done.reset.pk).state == "issued"  # a weak password does not spend the code
    gbk = client.post(
        url, b"username=%D5%C5&code=%D5%C5", content_type="application/x-www-form-urlencoded; charset=gbk"
    )
    assert gbk.status_code == 400 and "重置码：" in seen_by(gbk)


def test_wrong_codes_void_the_reset_and_an_expired_code_is_refused(client, people, settings):
    settings.GONGKAI_RESET_CODE_TRIES = 3
    drafter = people["drafter"]
    done = resets.request_reset(actor=people["sysadmin"], user=drafter, delivery="print", reason="遗忘")
    code = done.half + resets.confirm_reset(actor=people["admin"], reset=done.reset).half
    for _ in range(3):
        with pytest.raises(ValidationFailed):
            resets.use_reset(username=drafter.username, code="AAAAAAAAAAAA", new_password=NEW, new_password2=NEW)
    assert PasswordReset.objects.get(pk=done.reset.pk).state == "void"
    with pytest.raises(ValidationFailed):
        resets.use_reset(username=drafter.username, code=code, new_password=NEW, new_password2=NEW)

    done = resets.request_reset(actor=people["sysadmin"], user=drafter, delivery="print", reason="再次")
    code = done.half + resets.confirm_reset(actor=people["admin"], reset=done.reset).half
    PasswordReset.objects.filter(pk=done.reset.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationFailed) as exc:
        resets.use_reset(username=drafter.username, code=code, new_password=NEW, new_password2=NEW)
    assert exc.value.errors["code"] == [resets.WRONG_CODE]


def test_a_new_request_voids_the_open_one_and_guessing_is_rate_limited(client, people, settings):
    drafter = people["drafter"]
    first = resets.request_reset(actor=people["sysadmin"], user=drafter, delivery="print", reason="一")
    resets.request_reset(actor=people["sysadmin"], user=drafter, delivery="print", reason="二")
    assert PasswordReset.objects.get(pk=first.reset.pk).state == "void"
    with pytest.raises(ValidationFailed):
        resets.confirm_reset(actor=people["admin"], reset=first.reset)
    settings.GONGKAI_RATE_LIMITS = {"password_reset": (2, 3600)}
    url = reverse("staff:password_reset_use")
    data = {"username": drafter.username, "code": "ABCDEFGHJKMN", "new_password1": NEW, "new_password2": NEW}
    assert [client.post(url, data).status_code for _ in range(3)] == [400, 400, 429]
    assert get_user_model().objects.get(pk=drafter.pk).has_usable_password()  # awaiting: the old password stands


def test_an_undeliverable_code_voids_the_reset_and_says_so(client, mailed, monkeypatch):
    supervisor = mailed["supervisor"]

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    client.force_login(mailed["sysadmin"])
    page = client.post(reverse("staff:reset_password", args=[supervisor.pk]), {"delivery": "email", "reason": "遗忘"})
    html = seen_by(page)
    assert page.status_code == 200 and "重置码邮件未能发出" in html and "已作废" in html and not CODE.search(html)
    assert PasswordReset.objects.get(user=supervisor).state == "void"
