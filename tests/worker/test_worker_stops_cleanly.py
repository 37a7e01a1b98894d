"""Stopping the worker (systemd's SIGTERM, Ctrl+C): it finishes the task in hand and exits 0; a second signal
a moment later exits at once and hands the unfinished task back to the queue instead of leaving it RUNNING."""

from __future__ import annotations

import signal
import time

from tests.worker.conftest import TaskSite, wait_for


def test_sigterm_lets_the_running_task_finish(task_site: TaskSite) -> None:
    site = task_site
    (task,) = site.enqueue(("gated", ["slow", "write"]))
    worker, log = site.worker(GONGKAI_WORKER_HEARTBEAT_SECONDS="0.2")
    wait_for(lambda: (site.flags / "started-slow-1").exists(), "the task to start")
    worker.send_signal(signal.SIGTERM)
    wait_for(lambda: "当前任务完成后退出" in log.read_text("utf-8"), "the worker to say it will stop after the task")
    time.sleep(0.5)
    assert worker.poll() is None  # still running the task
    site.flag("go-slow")
    assert worker.wait(timeout=60) == 0
    assert site.statuses([task]) == {task: "SUCCESSFUL"}
    assert "任务进程已停止，共执行 1 个任务" in log.read_text("utf-8")


def test_a_second_signal_exits_now_and_requeues_the_task(task_site: TaskSite) -> None:
    site = task_site
    (task,) = site.enqueue(("gated", ["stuck"]))
    worker, log = site.worker(GONGKAI_WORKER_HEARTBEAT_SECONDS="0.2")
    wait_for(lambda: (site.flags / "started-stuck-1").exists(), "the task to start")
    worker.send_signal(signal.SIGTERM)
    time.sleep(1.2)  # signals within a second of the first count as the same request
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 1
    text = log.read_text("utf-8")
    assert "立即退出" in text and "未完成的任务已放回队列：gated" in text, text
    assert site.statuses([task]) == {task: "READY"}
    assert not site.sql("SELECT 1 FROM worker_workerheartbeat WHERE current_task != ''")
