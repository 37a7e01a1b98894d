"""邮件订阅 for staff: a unit admin sees how many people follow the unit and what; a county supervisor sees the
units below. Counts only, never an address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.orgs import permissions as perms

from . import selectors


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = selectors.visible_units(request.user)
    perms.require(bool(units), "只有公开办管理员和县级督查可以查看邮件订阅情况")
    return render(request, "subscriptions/staff/index.html", {"rows": selectors.counts(units)})
