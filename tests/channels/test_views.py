"""The staff pages: boards list and add, a board's posting form with a photo from a phone, take-down, screens,
and the entry page's poster, 公众号 export and posted-article record. Bad input re-shows the form in Chinese."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongkai.channels import services
from gongkai.channels.models import Board, ChannelPost, Posting, Screen
from tests.channels.conftest import jpeg_with_gps
from tests.factories import PASSWORD


@pytest.fixture
def login(client):
    def run(user):
        client.logout()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return run


def test_clerk_registers_a_board_and_records_a_posting_with_photo(login, clerk, tree, draft, publish):
    entry = publish(draft(title="李家村第四季度财务公开"))
    c = login(clerk)
    page = c.get("/staff/channels/boards/")
    assert page.status_code == 200 and "登记公开栏" in page.content.decode()
    bad = c.post("/staff/channels/boards/add/", {"org": tree.village.pk, "name": "", "place": "文化广场"})
    text = bad.content.decode()
    assert bad.status_code == 400 and "请填写名称" in text and "请选择公开内容" in text and 'value="文化广场"' in text
    assert Board.objects.count() == 0
    ok = c.post(
        "/staff/channels/boards/add/",
        {"org": tree.village.pk, "name": "村委会公开栏", "place": "文化广场", "shows": ["village", "finance"]},
    )
    board = Board.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/staff/channels/boards/{board.pk}/"
    page = c.get(ok["Location"]).content.decode()
    assert entry.title in page and "记录一期张贴" in page
    photo = SimpleUploadedFile("IMG_2041.JPG", jpeg_with_gps(), content_type="image/jpeg")
    today = timezone.localdate().isoformat()
    done = c.post(
        f"/staff/channels/boards/{board.pk}/post/", {"entries": [entry.pk], "posted_on": today, "photo": photo}
    )
    assert done.status_code == 302
    posting = Posting.objects.get()
    shown = c.get(f"/staff/channels/postings/{posting.pk}/photo/")
    data = b"".join(shown.streaming_content)
    assert shown["Content-Type"] == "image/jpeg" and not Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    c.post(f"/staff/channels/postings/{posting.pk}/takedown/", {"taken_down_on": today})
    posting.refresh_from_db()
    assert posting.taken_down_on is not None


def test_posting_form_bad_input_keeps_what_was_typed(login, clerk, tree, draft, publish):
    entry = publish(draft())
    board = services.save_board(actor=clerk, org=tree.village, name="栏", place="村口", shows=["village"])
    c = login(clerk)
    fake = SimpleUploadedFile("board.jpg", b"MZ\x90\x00 an exe", content_type="image/jpeg")
    r = c.post(
        f"/staff/channels/boards/{board.pk}/post/",
        {"entries": [entry.pk], "posted_on": timezone.localdate().isoformat(), "photo": fake, "note": "第一期备注"},
    )
    text = r.content.decode()
    assert r.status_code == 400 and "可执行程序" in text and "第一期备注" in text
    r = c.post(f"/staff/channels/boards/{board.pk}/post/", {"posted_on": "2026-02-30"})
    text = r.content.decode()
    assert r.status_code == 400 and "张贴日期格式不对" in text and "请选择张贴的信息" in text
    assert Posting.objects.count() == 0


def test_other_unit_sees_no_board(login, clerk, tree, people):
    board = services.save_board(actor=clerk, org=tree.village, name="栏", place="村口", shows=["village"])
    c = login(people["street_admin"])
    assert c.get(f"/staff/channels/boards/{board.pk}/").status_code == 404
    assert c.get("/staff/channels/boards/").status_code == 200
    assert c.get("/staff/channels/boards/", follow=True).content.decode().count("村口") == 0


def test_screens_page(login, people, tree):
    c = login(people["admin"])
    assert c.get("/staff/channels/screens/").status_code == 200
    bad = c.post(
        "/staff/channels/screens/save/",
        {"unit": tree.town.pk, "slug": "gate", "name": "门前屏", "line_length": "0", "line_count": "3"},
    )
    assert (
        bad.status_code == 400
        and "每行字数必须大于 0" in bad.content.decode()
        and 'value="门前屏"' in bad.content.decode()
    )
    ok = c.post(
        "/staff/channels/screens/save/",
        {
            "unit": tree.town.pk,
            "slug": "gate",
            "name": "门前屏",
            "line_length": "16",
            "line_count": "3",
            "is_active": "on",
        },
    )
    assert ok.status_code == 302 and Screen.objects.get().line_length == 16
    assert login(people["drafter"]).get("/staff/channels/screens/").status_code == 403


def test_entry_page_poster_wechat_and_posted(login, people, draft, publish):
    entry = publish(draft())
    c = login(people["drafter"])
    page = c.get(f"/staff/entries/{entry.pk}/").content.decode()
    assert "多渠道发布" in page and "生成海报" in page
    pdf = c.post(f"/staff/channels/entries/{entry.pk}/poster/", {"size": "A3"})
    assert pdf["Content-Type"] == "application/pdf"
    assert round(float(pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].mediabox.height)) == 1191
    bad = c.post(f"/staff/channels/entries/{entry.pk}/poster/", {"size": "B5"}, follow=True)
    assert "纸张只能是 A4 或 A3" in bad.content.decode()
    html = c.get(f"/staff/channels/entries/{entry.pk}/wechat/")
    assert html["Content-Type"].startswith("text/html") and b"<script" not in html.content
    r = c.post(f"/staff/channels/entries/{entry.pk}/posted/", {"channel": "wechat", "url": "not a url"}, follow=True)
    assert "请填写文章的完整网址" in r.content.decode() and ChannelPost.objects.count() == 0
    c.post(f"/staff/channels/entries/{entry.pk}/posted/", {"channel": "wechat", "url": "https://mp.weixin.qq.com/s/x1"})
    assert ChannelPost.objects.get().url == "https://mp.weixin.qq.com/s/x1"
    assert "mp.weixin.qq.com/s/x1" in c.get(f"/staff/entries/{entry.pk}/").content.decode()
    # another unit's staff: no such entry
    assert (
        login(people["street_drafter"]).post(f"/staff/channels/entries/{entry.pk}/poster/", {"size": "A4"}).status_code
        == 404
    )


def test_draft_has_no_channel_actions(login, people, draft):
    entry = draft()
    c = login(people["drafter"])
    assert "多渠道发布" not in c.get(f"/staff/entries/{entry.pk}/").content.decode()
    r = c.post(f"/staff/channels/entries/{entry.pk}/poster/", {"size": "A4"}, follow=True)
    assert "只有已发布的信息" in r.content.decode()
