"""On a SQLite file database another process holds the write lock (BEGIN IMMEDIATE) for longer than the busy
timeout at each step of the worker's life: while it registers, while it records a success, while it records a
failure, while a task writes, while it claims. `gongkai worker` waits every one out, and every task ends the
way it should once the lock is released. (django_tasks_db's db_worker exited at the second of these.)"""

from __future__ import annotations

import signal
import time

from tests.worker.conftest import Locker, TaskSite, wait_for

BUSY = 0.5  # seconds: GONGKAI_SQLITE_BUSY_TIMEOUT in the worker, so each attempt fails fast
HELD_AT_LEAST = 4 * BUSY


def _log_has(log, text: str, after: int = 0):  # type: ignore[no-untyped-def]
    return lambda: text in log.read_text("utf-8")[after:]


def _hold_until(site: TaskSite, name: str, log, text: str) -> None:  # type: ignore[no-untyped-def]
    """Take the lock, let ``name``'s task go on (if any), wait until the worker has hit the lock at least
    twice with the message ``text`` and the lock is older than several busy timeouts, then release it."""
    mark = len(log.read_text("utf-8"))
    lock = Locker(site, name)
    if name:
        site.flag(f"go-{name}")
    wait_for(lambda: log.read_text("utf-8")[mark:].count(text) >= 2, f"the worker to retry: {text}")
    time.sleep(max(0.0, HELD_AT_LEAST - (time.monotonic() - lock.since)))
    assert lock.release() > 2 * BUSY


def test_the_worker_outlives_long_write_locks_and_finishes_every_task(sqlite_site: TaskSite) -> None:
    site = sqlite_site
    gated = site.enqueue(("gated", ["ok"]), ("gated", ["bad", "raise"]), ("gated", ["writer", "write"]))
    later = site.enqueue(*[("index_entry", [90000 + i]) for i in range(3)], *[("write", [f"w{i}"]) for i in range(3)])

    # 1. The database is locked before the worker even starts: registering its heartbeat waits.
    lock = Locker(site, "start")
    worker, log = site.worker(
        GONGKAI_SQLITE_BUSY_TIMEOUT=str(BUSY), GONGKAI_WORKER_HEARTBEAT_SECONDS="0.3", GONGKAI_WORKER_MAX_BACKOFF="1"
    )
    wait_for(lambda: log.read_text("utf-8").count("登记任务进程时数据库暂时不可用") >= 2, "registration retries")
    time.sleep(max(0.0, HELD_AT_LEAST - (time.monotonic() - lock.since)))
    lock.release()

    # 2. A task has finished; recording its success meets the lock.
    wait_for(lambda: (site.flags / "started-ok-1").exists(), "the first task to start")
    _hold_until(site, "ok", log, "记录任务完成时数据库暂时不可用")

    # 3. A task has raised; recording the failure meets the lock (db_worker's fatal second error).
    wait_for(lambda: (site.flags / "started-bad-1").exists(), "the failing task to start")
    _hold_until(site, "bad", log, "记录任务失败时数据库暂时不可用")

    # 4. A task's own write meets the lock: the task is run again as a whole.
    wait_for(lambda: (site.flags / "started-writer-1").exists(), "the writing task to start")
    _hold_until(site, "writer", log, "整体重做")

    # 5. Idle, waiting for work: claiming meets the lock.
    wait_for(lambda: site.statuses(later) == dict.fromkeys(later, "SUCCESSFUL"), "the queued tasks to finish")
    _hold_until(site, "", log, "领取任务时数据库暂时不可用")
    more = site.enqueue(*[("write", [f"after{i}"]) for i in range(3)])

    everything = gated + later + more
    expected = dict.fromkeys(everything, "SUCCESSFUL") | {gated[1]: "FAILED"}
    wait_for(lambda: site.statuses(everything) == expected, "every task to end", timeout=60)
    assert worker.poll() is None, log.read_text("utf-8")
    text = log.read_text("utf-8")
    assert "心跳写入失败" in text and "心跳已恢复写入" in text
    assert "任务失败：" in text and "ValueError" in text
    assert len(list(site.flags.glob("started-writer-*"))) >= 2  # the lock-hit run and the one that wrote
    writes = site.sql("SELECT object_id FROM core_auditevent WHERE action = 'test.task' ORDER BY object_id")
    assert sorted(w for (w,) in writes) == sorted(["writer", "w0", "w1", "w2", "after0", "after1", "after2"])
    errors = dict(site.sql("SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult"))
    assert errors["FAILED"] == "builtins.ValueError"
    assert site.gongkai("audit", "verify").returncode == 0
    assert not site.sql("SELECT 1 FROM worker_workerheartbeat WHERE current_task != ''")

    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
    assert "任务进程已停止" in log.read_text("utf-8")
