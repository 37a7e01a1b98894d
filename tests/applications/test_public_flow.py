"""Journey 2 from the applicant's side: form → receipt page → tracking → letter download."""

from datetime import date

from django.urls import reverse

from gongkai.applications import intake, letters, replies
from gongkai.applications.models import Application

from .conftest import applicant


def test_apply_track_and_download(client, tree, people, today, django_capture_on_commit_callbacks):
    response = client.post(reverse("applications:form", args=[tree.town.slug]), applicant())
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    app = Application.objects.get()
    assert app.tracking_number in done and "查询码" in done
    code = done.split('查询码：<span class="big">')[1].split("<")[0]
    assert app.status == "pending" and app.channel == "online"

    today(app.submitted_on)
    intake.confirm_receipt(actor=people["admin"], application=app, received_on=app.submitted_on)
    replies.reply(actor=people["drafter"], application=app, result="granted", on=app.submitted_on)
    with django_capture_on_commit_callbacks(execute=True):  # the worker renders the letter after commit
        letter = letters.generate(actor=people["drafter"], application=app, kind="grant", on=app.submitted_on)

    other = client.__class__()
    assert other.get(reverse("applications:letter", args=[letter.pk])).status_code == 404  # not tracked
    track = client.post(reverse("applications:track"), {"tracking": app.tracking_number, "code": code})
    html = track.content.decode()
    assert "已答复" in html and "予以公开" in html and letter.title in html
    download = client.get(reverse("applications:letter", args=[letter.pk]))
    assert download.status_code == 200 and b"%PDF" in b"".join(download.streaming_content)[:10]


def test_receipt_page_without_session_goes_to_tracking(client, db):
    response = client.get(reverse("applications:done"))
    assert response.status_code == 302 and response["Location"].endswith(reverse("applications:track"))


def test_index_lists_units(client, tree):
    html = client.get(reverse("applications:index")).content.decode()
    assert tree.town.name in html and tree.office.name not in html
    assert client.get(reverse("applications:form", args=[tree.office.slug])).status_code == 404


def test_online_receipt_confirmation_is_the_receipt_date(tree, people, today):
    today(date(2025, 9, 30))
    app, _code = intake.submit_online(unit=tree.town, data=applicant())
    assert app.received_on is None and app.due_date is None
    app = intake.confirm_receipt(actor=people["drafter"], application=app, received_on=date(2025, 9, 30))
    assert app.received_on == date(2025, 9, 30) and app.status == "in_progress"
