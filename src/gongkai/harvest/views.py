"""汇聚推送: the system administrator's page on the push to the county platform (the endpoint's backlog, failures,
the next retry, the latest attempts) with 立即推送. The endpoint is platform configuration, so only the system
administrator sees it; the records themselves are public (Arts. 23–24)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.orgs import permissions as perms

from . import selectors
from .tasks import push_changes

log = logging.getLogger(__name__)


@login_required
def push_page(request: HttpRequest) -> HttpResponse:
    perms.require(perms.can_manage_accounts(request.user), "只有系统管理员可以查看汇聚推送")
    return render(request, "harvest/push.html", {"status": selectors.push_status()})


@login_required
@require_POST
def push_now(request: HttpRequest) -> HttpResponse:
    perms.require(perms.can_manage_accounts(request.user), "只有系统管理员可以立即推送")
    status = selectors.push_status(recent=0)
    if not status.configured:
        messages.error(request, "未配置推送地址（GONGKAI_PUSH_URL），无法推送")
    elif status.busy:
        messages.info(request, "任务进程正在推送，请稍后刷新本页查看结果")
    else:
        try:
            push_changes.enqueue(force=True)
        except Exception:
            log.exception("could not queue the harvest push")
            messages.error(request, "未能加入后台任务队列，请检查任务进程，或在服务器上运行 gongkai harvest-push")
        else:
            messages.success(request, f"已加入后台任务：推送 {status.backlog} 条未确认的变更，完成后刷新本页查看")
    return HttpResponseRedirect(reverse("harvest:push"))
