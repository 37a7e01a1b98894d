"""The boards register: boards, postings with a phone photo (EXIF stripped), take-downs, permissions, audit,
and the yearly counts for the annual report."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from gongkai.channels import selectors, services
from gongkai.channels.models import Board, Posting
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent
from tests.channels.conftest import jpeg_with_gps


@pytest.fixture
def board(tree, clerk):
    return services.save_board(
        actor=clerk,
        org=tree.village,
        name="村委会门前公开栏",
        place="李家村文化广场东侧",
        size="2.4米×1.2米",
        shows=["village", "finance"],
    )


def test_board_is_registered_at_the_village_with_audit(board, tree):
    assert board.unit == tree.town and board.org == tree.village
    assert board.shows_labels() == "村务、财务"
    event = AuditEvent.objects.filter(action="channels.board_save").get()
    assert event.object_id == str(board.pk) and event.org_code == tree.town.code


def test_bad_board_input_names_the_field(tree, clerk, board):
    with pytest.raises(ValidationFailed) as err:
        services.save_board(actor=clerk, org=tree.village, name="", place="", shows=["weather"])
    assert set(err.value.errors) == {"name", "place", "shows"}
    with pytest.raises(ValidationFailed, match="已有名为"):
        services.save_board(actor=clerk, org=tree.village, name="村委会门前公开栏", place="别处", shows=["party"])
    assert Board.objects.count() == 1


def test_other_staff_may_not_register(tree, people):
    with pytest.raises(NotAllowed):
        services.save_board(actor=people["other_drafter"], org=tree.village, name="栏", place="村口", shows=["village"])
    with pytest.raises(NotAllowed):
        services.save_board(actor=people["auditor"], org=tree.village, name="栏", place="村口", shows=["village"])
    # the unit's 公开办管理员 may
    services.save_board(actor=people["admin"], org=tree.village, name="栏", place="村口", shows=["village"])


def test_posting_with_photo_strips_gps_exif(board, clerk, draft, publish):
    entry = publish(draft(title="李家村第四季度财务公开"))
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the phone's photo has a position
    posting = services.record_posting(
        actor=clerk,
        board=board,
        entries=[entry],
        posted_on=timezone.localdate(),
        photo=("IMG_0001.JPG", io.BytesIO(raw)),
    )
    with default_storage.open(posting.photo.name, "rb") as fh:
        stored = fh.read()
    image = Image.open(io.BytesIO(stored))
    exif = image.getexif()
    assert not exif.get_ifd(0x8825) and 0x8825 not in exif and 0x013B not in exif and 0x010F not in exif
    assert b"PhoneMaker" not in stored and "张三".encode() not in stored
    assert image.size == (64, 48)
    assert list(posting.entries.all()) == [entry]
    assert AuditEvent.objects.filter(action="channels.board_posting", object_id=str(posting.pk)).count() == 1


def test_photo_that_is_not_an_image_is_refused(board, clerk, draft, publish):
    entry = publish(draft())
    with pytest.raises(ValidationFailed) as err:
        services.record_posting(
            actor=clerk,
            board=board,
            entries=[entry],
            posted_on=timezone.localdate(),
            photo=("board.jpg", io.BytesIO(b"%PDF-1.4 not a photo")),
        )
    assert err.value.field is not None and "photo" in err.value.errors
    assert "PDF" in err.value.message
    with pytest.raises(ValidationFailed, match="JPEG 或 PNG"):
        services.record_posting(
            actor=clerk,
            board=board,
            entries=[entry],
            posted_on=timezone.localdate(),
            photo=("board.heic", io.BytesIO(b"....ftypheic")),
        )
    assert Posting.objects.count() == 0


def test_photo_size_limit(board, clerk, draft, publish, monkeypatch):
    from gongkai.channels import config

    entry = publish(draft())
    real = config.get

    def small(key):
        s = real(key)
        return s if key != "photo_max_bytes" else type(s)(**{**s.__dict__, "value": 100})

    monkeypatch.setattr(config, "get", small)
    with pytest.raises(ValidationFailed, match="大小上限"):
        services.record_posting(
            actor=clerk,
            board=board,
            entries=[entry],
            posted_on=timezone.localdate(),
            photo=("big.jpg", io.BytesIO(jpeg_with_gps())),
        )


def test_posting_bad_input(board, clerk, draft, publish):
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as err:
        services.record_posting(actor=clerk, board=board, entries=[], posted_on=today + timedelta(days=1))
    assert set(err.value.errors) == {"entries", "posted_on"}
    with pytest.raises(ValidationFailed, match="只有已发布"):
        services.record_posting(actor=clerk, board=board, entries=[draft()], posted_on=today)
    entry = publish(draft())
    with pytest.raises(ValidationFailed, match="不能早于"):
        services.record_posting(
            actor=clerk, board=board, entries=[entry], posted_on=today, until=today - timedelta(days=1)
        )


def test_take_down_and_counts(board, clerk, draft, publish, tree):
    today = timezone.localdate()
    entry = publish(draft())
    posting = services.record_posting(actor=clerk, board=board, entries=[entry], posted_on=today)
    services.record_posting(actor=clerk, board=board, entries=[entry], posted_on=today)
    services.take_down(actor=clerk, posting=posting, on=today)
    with pytest.raises(ValidationFailed, match="已于"):
        services.take_down(actor=clerk, posting=posting, on=today)
    with pytest.raises(ValidationFailed, match="不能早于"):
        services.take_down(
            actor=clerk, posting=Posting.objects.exclude(pk=posting.pk).get(), on=today - timedelta(days=1)
        )
    counts = selectors.board_counts(tree.town, today.year)
    assert (counts.boards, counts.postings) == (1, 2)
    assert counts.sentence == "共设立公开栏1个，全年张贴公示2期"
    assert selectors.board_counts(tree.town, today.year - 1).postings == 0
    assert selectors.entry_channel_counts(entry)["board"] == 2
    assert selectors.year_channel_counts(tree.town, today.year)["board"] == 1


def test_entry_of_another_unit_is_refused(board, clerk, tree, people):
    from tests.factories import category, make_draft

    street_entry = make_draft(
        tree,
        people,
        unit=tree.street,
        category=category(tree.street),
        publisher=tree.street,
        actor=people["street_drafter"],
    )
    street_entry = services_publish_street(street_entry, people)
    with pytest.raises(ValidationFailed, match="不是"):
        services.record_posting(actor=clerk, board=board, entries=[street_entry], posted_on=date.today())


def services_publish_street(entry, people):
    from gongkai.catalog import services as catalog

    entry = catalog.submit_for_review(actor=people["street_drafter"], entry=entry)
    entry = catalog.review_pass(actor=people["street_admin"], entry=entry)
    return catalog.sign_and_publish(actor=people["street_signer"], entry=entry)
