"""Privacy matrix: the handling unit's staff see applicant data; the supervisor sees status only; the
sysadmin, the auditor and other units see nothing; the public sees status only with the right code."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.applications import intake, selectors
from gongkai.applications.models import Application
from tests.factories import PASSWORD

from .conftest import VALID_ID, applicant

NAME, PHONE = "王建国", "13800138000"


@pytest.fixture
def case(receive, today):
    today(date(2025, 3, 20))
    return receive(date(2025, 3, 3))


def page_for(client, user, app):
    client.logout()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("applications_staff:detail", args=[app.pk]))


@pytest.mark.parametrize("who", ["drafter", "reviewer", "signer", "admin", "other_drafter"])
def test_handling_unit_staff_see_personal_data(client, people, case, who):
    # other_drafter sits in 财政所, an office of the same township: the township is the handling unit.
    response = page_for(client, people[who], case)
    assert response.status_code == 200
    html = response.content.decode()
    assert NAME in html and VALID_ID in html and PHONE in html


def test_supervisor_sees_status_without_personal_data(client, people, case):
    response = page_for(client, people["supervisor"], case)
    assert response.status_code == 200
    html = response.content.decode()
    assert case.tracking_number in html and "办理中" in html
    assert NAME not in html and VALID_ID not in html and PHONE not in html and "土地征收" not in html
    listing = client.get(reverse("applications_staff:list")).content.decode()
    assert case.tracking_number in listing and NAME not in listing
    # …and cannot act on the case.
    response = client.post(
        reverse("applications_staff:action", args=[case.pk, "reply"]), {"on": "2025-03-10", "result": "granted"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "street_admin", "street_drafter"])
def test_others_see_nothing(client, people, case, who):
    response = page_for(client, people[who], case)
    assert response.status_code == 404
    assert NAME not in response.content.decode()
    listing = client.get(reverse("applications_staff:list"))
    assert NAME not in listing.content.decode() and case.tracking_number not in listing.content.decode()


def test_selectors_follow_the_matrix(people, case):
    assert list(selectors.handled_cases(people["drafter"])) == [case]
    assert list(selectors.handled_cases(people["sysadmin"])) == []
    assert list(selectors.handled_cases(people["supervisor"])) == []
    assert list(selectors.supervised_cases(people["supervisor"])) == [case]
    assert selectors.case_for(people["sysadmin"], case.pk) == (None, False)


def test_public_tracking_needs_the_code(client, tree):
    app, code = intake.submit_online(unit=tree.town, data=applicant())
    url = reverse("applications:track")
    wrong = client.post(url, {"tracking": app.tracking_number, "code": "WRONG234"})
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert "待确认收到" not in html and "不正确" in html
    right = client.post(url, {"tracking": app.tracking_number, "code": code.lower()})
    html = right.content.decode()
    assert right.status_code == 200 and "待确认收到" in html
    assert NAME not in html and VALID_ID not in html and PHONE not in html


def test_audit_log_carries_no_personal_data(tree):
    from gongkai.core.models import AuditEvent

    intake.submit_online(unit=tree.town, data=applicant())
    blob = " ".join(f"{e.comment} {e.changes}" for e in AuditEvent.objects.filter(action__startswith="application"))
    assert NAME not in blob and VALID_ID not in blob and PHONE not in blob
    assert Application.objects.count() == 1
