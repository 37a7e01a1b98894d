"""三员 separation: the system administrator manages accounts only; the auditor reads the audit log only."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from gongkai.accounts.services import create_user
from gongkai.catalog import selectors, services
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import NotAllowed
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Role
from gongkai.orgs.services import grant_role


def test_sysadmin_manages_accounts(people, tree):
    user = create_user(actor=people["sysadmin"], username="new_drafter", password="Qinghe#2025xyz")
    membership = grant_role(actor=people["sysadmin"], user=user, org=tree.office, role=Role.DRAFTER)
    assert membership.pk
    assert AuditEvent.objects.filter(action="permission.grant", actor=people["sysadmin"]).exists()


def test_sysadmin_cannot_draft_publish_or_see_drafts(people, tree, draft):
    entry = services.submit_for_review(actor=people["drafter"], entry=draft(title="内部草稿"))
    assert not selectors.visible_entries(people["sysadmin"]).exists()
    with pytest.raises(NotAllowed):
        services.review_pass(actor=people["sysadmin"], entry=entry)
    with pytest.raises(NotAllowed):
        services.create_draft(actor=people["sysadmin"], unit=tree.town, title="系统管理员发布")


def test_sysadmin_pages_show_no_drafts(client, people, draft):
    entry = draft(title="内部草稿标题")
    client.force_login(people["sysadmin"])
    assert client.get(reverse("staff:entry_detail", args=[entry.pk])).status_code == 404
    listing = client.get(reverse("staff:entry_list"))
    assert "内部草稿标题" not in listing.content.decode()
    assert client.get(reverse("staff:audit_log")).status_code == 403


def test_auditor_changes_nothing(people, tree, draft):
    entry = draft()
    with pytest.raises(NotAllowed):
        create_user(actor=people["auditor"], username="sneaky", password="Qinghe#2025xyz")
    with pytest.raises(NotAllowed):
        grant_role(actor=people["auditor"], user=people["auditor"], org=tree.county, role=Role.SYSADMIN)
    with pytest.raises(NotAllowed):
        services.submit_for_review(actor=people["auditor"], entry=entry)
    assert not selectors.visible_entries(people["auditor"]).exists()


def test_auditor_reads_filters_and_exports(client, people, draft):
    draft(title="审计对象")
    audit.record(Action.ORG_UPDATE, actor=people["admin"], comment="调整保留期限")
    client.force_login(people["auditor"])
    page = client.get(reverse("staff:audit_log"))
    html = page.content.decode()
    rows_html = html.split("<tbody>", 1)[1]  # the filter's select lists every action; the table is what matters
    assert page.status_code == 200 and "修改机构" in rows_html and "新建草稿" in rows_html
    only = client.get(reverse("staff:audit_log"), {"action": "org.update", "user": "town_admin"}).content.decode()
    assert "调整保留期限" in only and "新建草稿" not in only.split("<tbody>", 1)[1]
    # A day with nothing: an empty page, and a bad date is named in Chinese rather than crashing.
    empty = client.get(reverse("staff:audit_log"), {"from": "2001-01-01", "to": "2001-01-02"}).content.decode()
    assert "没有符合条件的记录" in empty
    bad = client.get(reverse("staff:audit_log"), {"from": "昨天"}).content.decode()
    assert "开始日期格式应为" in bad
    assert client.get(reverse("staff:audit_export"), {"action": "org.update"}).status_code == 405  # GETs only read
    export = client.post(reverse("staff:audit_export"), {"action": "org.update"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:6] == ["编号", "时间", "操作人", "地址", "动作", "动作代码"]
    assert [r[4:6] for r in rows[1:]] == [["修改机构", "org.update"]]
    assert AuditEvent.objects.filter(action="audit.export", actor=people["auditor"]).exists()
    assert audit.verify() == []


def test_audit_pages_are_read_only(client, people):
    client.force_login(people["auditor"])
    before = AuditEvent.objects.count()
    html = client.get(reverse("staff:audit_log")).content.decode()
    # The POST forms on the page are the logout button in the header and the export (itself audited).
    assert html.count('method="post"') == 2 and 'action="/staff/logout/"' in html
    assert f'action="{reverse("staff:audit_export")}"' in html
    assert 'method="get"' in html
    assert AuditEvent.objects.count() == before  # reading is not an event; only export is


@pytest.mark.parametrize("role", ["sysadmin", "admin", "drafter", "supervisor", "reviewer"])
def test_only_the_auditor_reads_the_audit_log(client, people, role):
    client.force_login(people[role])
    assert client.get(reverse("staff:audit_log")).status_code == 403
    assert client.post(reverse("staff:audit_export")).status_code == 403
