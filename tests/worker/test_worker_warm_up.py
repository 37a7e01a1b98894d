"""The worker pays a fresh process's one-time costs before its first task (issue 14: the first bulletin PDF was
1.55× the next): every app's ``core.signals.worker_starting`` receiver runs before the first claim, what it did
is in the worker's log, and a receiver that fails does not keep the worker from serving the queue."""

from __future__ import annotations

import gc
import logging

import pytest

from gongkai.core.signals import worker_starting
from gongkai.worker.loop import Worker
from tests.worker.conftest import TaskSite


def test_the_worker_warms_up_pdf_rendering_before_its_first_task(task_site: TaskSite) -> None:
    site = task_site
    (task,) = site.enqueue(("write", ["after-warm-up"]))
    worker, log = site.worker("worker", "--batch")
    assert worker.wait(timeout=120) == 0
    text = log.read_text("utf-8")
    assert "任务进程启动准备：PDF 预热完成，用时" in text, text
    # before the first task, not inside it
    assert text.index("PDF 预热完成") < text.index("队列已空"), text
    assert site.statuses([task]) == {task: "SUCCESSFUL"}


def test_a_failing_preparation_is_logged_and_the_worker_goes_on(db, caplog: pytest.LogCaptureFixture) -> None:
    def broken(sender, **kwargs):
        raise RuntimeError("没有可用的中文字体")

    calls: list[type] = []

    def fine(sender, **kwargs):
        calls.append(sender)
        return "测试准备完成"

    worker_starting.connect(broken, dispatch_uid="test.broken")
    worker_starting.connect(fine, dispatch_uid="test.fine")
    try:
        with caplog.at_level(logging.INFO, logger="gongkai.worker"):
            Worker(queue_names=["default"], interval=0.1, batch=True)._prepare()
        # what was loaded at start is out of the collector's reach from now on
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        worker_starting.disconnect(dispatch_uid="test.broken")
        worker_starting.disconnect(dispatch_uid="test.fine")
    assert calls == [Worker]
    messages = [r.getMessage() for r in caplog.records]
    assert "任务进程启动准备失败（不影响处理任务）：RuntimeError: 没有可用的中文字体" in messages
    assert "任务进程启动准备：测试准备完成" in messages
