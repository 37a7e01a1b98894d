"""The background-task worker (`gongkai worker`): django_tasks_db's claiming, made to outlive the database.

django_tasks_db's own `db_worker` retries a failed status update three times 0.1 s apart and then lets the
error escape: on SQLite, one long write transaction elsewhere (a report rendered inside a transaction) made it
exit with ``database is locked``, leaving a task RUNNING and the queue unserved. This loop

- retries every database step (registering, claiming, recording success or failure) on a transient error
  (SQLite busy/locked; PostgreSQL connection refused or lost, deadlock, lock timeout) with capped exponential
  backoff, closing the connection in between so the next attempt starts on a fresh one;
- re-runs a task as a whole when it failed on such an error (every platform task is idempotent), for up to
  ``GONGKAI_WORKER_TASK_RETRY_MINUTES``, and only then records it as failed;
- logs every failure and recovery in Chinese, and keeps going after anything else that goes wrong in its own
  bookkeeping; only a signal (or ``--batch`` running dry) ends it;
- keeps a heartbeat row (``worker.WorkerHeartbeat``) from a thread, so a long task does not look like a dead
  worker, and re-queues the tasks of workers whose heartbeat has stopped (``recovery``).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import random
import signal
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from types import FrameType
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from gongkai.core import anchors
from gongkai.core.signals import worker_starting

from . import pruning, recovery, taskinfo
from .models import WorkerHeartbeat
from .transient import is_transient_db_error

log = logging.getLogger("gongkai.worker")
T = TypeVar("T")

#: Heartbeat rows of workers gone this long are deleted when a worker starts (they are kept a while so the
#: dashboard can say when the last worker was seen).
FORGET_AFTER = timedelta(days=7)


SIGNAL_NAMES: dict[int, str] = {signal.SIGTERM: "停止信号（SIGTERM）", signal.SIGINT: "中断信号（Ctrl+C）"}
if hasattr(signal, "SIGQUIT"):
    SIGNAL_NAMES[signal.SIGQUIT] = "退出信号（SIGQUIT）"


class Stop(Exception):
    """Raised inside the loop when a stop was requested during a wait: unwinds to the clean-up."""


class Backoff:
    """0.5 s, 1 s, 2 s … up to ``cap``, each ±20 % so that several workers do not retry in lockstep."""

    def __init__(self, cap: float, first: float = 0.5) -> None:
        self.cap = max(first, cap)
        self.first = first
        self.attempt = 0

    def next(self) -> float:
        delay = min(self.cap, self.first * 2**self.attempt)
        self.attempt += 1
        return delay * random.uniform(0.8, 1.2)  # jitter, not security


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


def _reset_connections() -> None:
    """After a database error the connection may be dead or mid-transaction; the next query opens a new one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # a connection that cannot even close cleanly is dropped all the same
            conn.connection = None


def _unwrapped(method: Any) -> Callable[..., None]:
    # DBTaskResult.set_successful/set_failed carry django_tasks_db's @retry (3 tries, 0.1 s apart, swallowing
    # even SystemExit between them); the worker does its own retrying, so it calls the plain method once.
    return getattr(method, "__wrapped__", method)


class Heartbeat:
    """Writes the worker's heartbeat every ``interval`` seconds from its own thread and database connection."""

    def __init__(self, worker: Worker, interval: float) -> None:
        self.worker = worker
        self.interval = max(0.1, interval)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._ok_since: float | None = None
        self._failing = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="gongkai-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=max(5.0, settings.GONGKAI_SQLITE_BUSY_TIMEOUT + 1))

    def succeeded(self) -> None:
        with self._lock:
            if self._ok_since is None:
                self._ok_since = time.monotonic()
            if self._failing:
                log.warning("心跳已恢复写入")
            self._failing = False

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self._ok_since = None
            if not self._failing:
                log.warning(
                    "心跳写入失败（%s）：数据库恢复前无法记录心跳；"
                    "超过 %d 秒后，其他任务进程会把本进程正在执行的任务重新排队",
                    _short(exc),
                    int(settings.GONGKAI_WORKER_HEARTBEAT_TIMEOUT),
                )
            self._failing = True

    def healthy_for(self) -> float:
        """Seconds the heartbeat has been written without a failure (0 while it is failing)."""
        with self._lock:
            return 0.0 if self._ok_since is None else time.monotonic() - self._ok_since

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self.worker.say_stopping()
                try:
                    self.worker.write_heartbeat()
                except Exception as exc:
                    self.failed(exc)
                    _reset_connections()  # this thread's connections only: Django's are per thread
                else:
                    self.succeeded()
        finally:
            connections.close_all()


class Worker:
    def __init__(
        self,
        *,
        queue_names: list[str],
        interval: float = 1.0,
        backend_name: str = "default",
        worker_id: str | None = None,
        batch: bool = False,
    ) -> None:
        self.queue_names = queue_names
        self.interval = interval
        self.backend_name = backend_name
        self.batch = batch
        self.host = socket.gethostname()[:255]
        self.pid = os.getpid()
        self.worker_id = worker_id or f"{self.host[:40]}-{self.pid}-{get_random_string(8)}"
        self.started_at = timezone.now()
        self.max_backoff = float(settings.GONGKAI_WORKER_MAX_BACKOFF)
        self.task_retry_seconds = float(settings.GONGKAI_WORKER_TASK_RETRY_MINUTES) * 60
        self.heartbeat = Heartbeat(self, float(settings.GONGKAI_WORKER_HEARTBEAT_SECONDS))
        self.stopping = False
        self.stop_signal: int | None = None
        self._stop_at = 0.0
        self._stop_said = False
        self._cleaning = False
        self.current: DBTaskResult | None = None
        self.current_id = ""  # read by the heartbeat thread
        self.tasks_run = 0
        self._last_recovery = 0.0
        self._last_prune = float("-inf")  # the first idle moment prunes
        self._last_anchor_check = float("-inf")

    # --- signals and waiting -------------------------------------------------------------------------------

    def install_signals(self) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)):
            if sig is not None:
                signal.signal(sig, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # Only flags here: logging from a signal handler can be cut off by the next signal. The loop and the
        # heartbeat thread say what is happening (say_stopping).
        if self._cleaning:
            return
        if self.stop_signal is None:
            self.stop_signal, self._stop_at, self.stopping = signum, time.monotonic(), True
            return
        # Ctrl+C reaches the whole process group and a supervisor may send TERM at the same moment: signals
        # within a second of the first are one request. A later one means "now".
        if time.monotonic() - self._stop_at >= 1.0:
            self.stop_signal = signum
            raise SystemExit(1)

    def say_stopping(self) -> None:
        """Log the stop request once, from ordinary code (the loop, or the heartbeat thread mid-task)."""
        if not self.stopping or self._stop_said or self.stop_signal is None:
            return
        self._stop_said = True
        name = SIGNAL_NAMES.get(self.stop_signal, f"信号 {self.stop_signal}")
        if self.current is not None:
            log.warning("收到%s：当前任务完成后退出（再发一次立即退出，任务放回队列）", name)
        else:
            log.warning("收到%s：任务进程退出", name)

    def sleep(self, seconds: float) -> None:
        """Wait, in short steps so that a stop request is seen at once; raises Stop when one comes."""
        deadline = time.monotonic() + seconds
        while True:
            if self.stopping:
                self.say_stopping()
                raise Stop
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(0.2, left))

    # --- database steps, retried ---------------------------------------------------------------------------

    def db(self, what: str, step: Callable[[], T]) -> T:
        """Run one database step until it succeeds; transient errors are waited out, others raised."""
        backoff = Backoff(self.max_backoff)
        attempt = 0
        while True:
            try:
                result = step()
            except Exception as exc:
                if not is_transient_db_error(exc):
                    raise
                attempt += 1
                delay = backoff.next()
                log.warning("%s时数据库暂时不可用（%s），%.1f 秒后第 %d 次重试", what, _short(exc), delay, attempt)
                _reset_connections()
                self.sleep(delay)
                continue
            if attempt:
                log.warning("%s：数据库已恢复，重试 %d 次后成功", what, attempt)
            return result

    def write_heartbeat(self) -> None:
        now = timezone.now()
        if not WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(
            seen_at=now, current_task=self.current_id
        ):
            WorkerHeartbeat.objects.create(
                worker_id=self.worker_id,
                host=self.host,
                pid=self.pid,
                started_at=self.started_at,
                seen_at=now,
                current_task=self.current_id,
            )

    def _register(self) -> None:
        WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - FORGET_AFTER).delete()
        self.write_heartbeat()

    def _ready(self) -> Any:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if "*" not in self.queue_names:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        return tasks

    def _claim(self) -> DBTaskResult | None:
        tasks = self._ready()
        try:
            with exclusive_transaction(tasks.db):
                row = tasks.get_locked()
                if row is None:
                    return None
                row.claim(self.worker_id)
                # The heartbeat names the task in the same transaction as the claim: no moment in which the
                # task is RUNNING but its worker's heartbeat says it is doing nothing.
                self.current_id = str(row.pk)
                self.write_heartbeat()
        except BaseException:
            self.current_id = ""
            raise
        self.current = row
        return row

    def _maybe_recover(self) -> None:
        """Re-queue abandoned tasks, at most once a heartbeat interval.

        Only once this worker's own heartbeat has been written for two intervals in a row: right after a long
        database lock every heartbeat is stale, and the other live workers need a moment to beat again before
        anyone judges them dead.
        """
        interval = self.heartbeat.interval
        if time.monotonic() - self._last_recovery < interval or self.heartbeat.healthy_for() < 2 * interval:
            return
        self._last_recovery = time.monotonic()
        try:
            report = recovery.recover_orphaned_tasks(actor=None)
        except Exception as exc:
            if is_transient_db_error(exc):
                _reset_connections()
                return  # next loop
            log.exception("检查中断的任务时出错")
            return
        for line in report.requeued:
            log.warning("已把中断的任务重新排队：%s（%s）", line.label, line.reason)
        for line in report.failed:
            log.error("任务多次中断，已标记为失败：%s（%s）", line.label, line.reason)

    def _maybe_anchor(self) -> None:
        """Append the audit chain's head to the anchor file when the last anchor is older than
        ``GONGKAI_AUDIT_ANCHOR_HOURS`` (issue 17: anchored at least daily), looking at most every ten minutes."""
        if time.monotonic() - self._last_anchor_check < 600:
            return
        self._last_anchor_check = time.monotonic()
        try:
            if anchors.due():
                made = anchors.write()
                log.info("已记录审计日志锚点：第 %d 条记录，摘要 %s", made.seq, made.digest[:16])
        except Exception as exc:
            if is_transient_db_error(exc):
                _reset_connections()
                self._last_anchor_check = float("-inf")
                return
            log.exception("记录审计日志锚点时出错")

    def _maybe_prune(self) -> None:
        """Remove old finished task rows (``pruning``), at most once every ``GONGKAI_TASK_PRUNE_MINUTES``, only
        when the queue is idle, and a thousand rows at a time so that a backlog of pruning never delays a task."""
        every = settings.GONGKAI_TASK_PRUNE_MINUTES * 60
        if every <= 0 or time.monotonic() - self._last_prune < every:
            return
        self._last_prune = time.monotonic()
        try:
            done = pruning.prune(limit=1000)
        except Exception as exc:
            if is_transient_db_error(exc):
                _reset_connections()
                self._last_prune -= every  # try again at the next idle moment
                return
            log.exception("清理已完成的任务记录时出错")
            return
        if done.total:
            log.info("已清理已完成的任务记录：成功 %d 条，失败 %d 条", done.succeeded, done.failed)
            if done.succeeded >= 1000 or done.failed >= 1000:
                self._last_prune -= every  # more to remove: continue at the next idle moment

    # --- running one task ----------------------------------------------------------------------------------

    def _call(self, row: DBTaskResult) -> Any:
        task = row.task
        result = row.task_result
        task_started.send(sender=type(task.get_backend()), task_result=result)
        args, kwargs = result.args, result.kwargs
        deadline = time.monotonic() + self.task_retry_seconds
        backoff = Backoff(self.max_backoff)
        attempt = 0
        while True:
            try:
                if task.takes_context:
                    return task.call(TaskContext(task_result=result), *args, **kwargs)  # type: ignore[arg-type]
                return task.call(*args, **kwargs)
            except Exception as exc:
                if not is_transient_db_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    log.error(
                        "任务“%s”持续遇到数据库暂时不可用，已重试 %d 次、超过 %d 分钟，记为失败",
                        taskinfo.label(row),
                        attempt,
                        int(self.task_retry_seconds // 60),
                    )
                    raise
                attempt += 1
                delay = backoff.next()
                log.warning(
                    "任务“%s”遇到数据库暂时不可用（%s），%.1f 秒后整体重做（第 %d 次；任务可安全重复执行）",
                    taskinfo.label(row),
                    _short(exc),
                    delay,
                    attempt,
                )
                _reset_connections()
                self.sleep(delay)

    def _record_failure(self, row: DBTaskResult, exc: BaseException) -> None:
        log.error("任务失败：%s（%s）", taskinfo.label(row), _short(exc), exc_info=exc)
        try:
            self.db("记录任务失败", lambda: _unwrapped(DBTaskResult.set_failed)(row, exc))
        except Stop:
            raise
        except Exception:
            log.exception("无法记录任务失败：任务仍显示为运行中，心跳超时后会被重新排队")

    def run_one(self, row: DBTaskResult) -> None:
        """Run a claimed task and record how it ended. A Stop or SystemExit on the way leaves ``current`` set,
        so that the clean-up hands the task back to the queue."""
        self.current = row
        started = time.monotonic()
        try:
            value = self._call(row)
        except Exception as exc:
            self._record_failure(row, exc)
        else:
            try:
                self.db("记录任务完成", lambda: _unwrapped(DBTaskResult.set_successful)(row, value))
            except Exception as exc:  # not transient: e.g. a return value that is not JSON
                self._record_failure(row, exc)
            else:
                log.info("完成：%s，用时 %.1f 秒", taskinfo.label(row), time.monotonic() - started)
        self.current = None
        self.current_id = ""
        self.tasks_run += 1
        try:
            task_finished.send(sender=type(row.task.get_backend()), task_result=row.task_result)
        except Exception:
            log.exception("任务结束通知出错")

    # --- the loop ------------------------------------------------------------------------------------------

    def _release(self) -> None:
        """On the way out: hand an unfinished task back to the queue and say we are idle. One try each; if the
        database is unavailable the heartbeat timeout does the same job."""
        row = self.current
        _reset_connections()
        if row is not None:
            try:
                DBTaskResult.objects.filter(
                    pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
                ).update(status=TaskResultStatus.READY, started_at=None)
                log.warning("未完成的任务已放回队列：%s", taskinfo.label(row))
            except Exception as exc:
                log.warning("未能把任务放回队列（%s）：心跳超时后其他任务进程会重新排队", _short(exc))
        self.current = None
        self.current_id = ""
        with contextlib.suppress(Exception):  # if not, the heartbeat goes stale by itself
            self.write_heartbeat()
        connections.close_all()

    def _prepare(self) -> None:
        """Let the apps pay a fresh process's one-time costs (the first PDF) before the first claim, not inside
        their first task (``core.signals.worker_starting``). A receiver returns what it did, in Chinese; one that
        fails is logged and the worker starts all the same.

        Then everything loaded so far (Django, the apps, WeasyPrint, fonts: hundreds of thousands of objects that
        live as long as the process) is moved out of the garbage collector's reach (``gc.freeze``): otherwise
        the first task that allocates enough triggers a full collection that walks all of them, which is most
        of what a first PDF still paid after the warm-up (bench/bench_documents.py)."""
        for _receiver, result in worker_starting.send_robust(sender=type(self)):
            if isinstance(result, Exception):
                log.warning("任务进程启动准备失败（不影响处理任务）：%s", _short(result))
            elif result:
                log.info("任务进程启动准备：%s", result)
        gc.collect()
        gc.freeze()

    def run(self) -> None:
        log.info(
            "任务进程已启动：编号 %s，主机 %s，进程 %s，队列 %s；心跳每 %s 秒，超过 %s 秒无心跳视为停止",
            self.worker_id,
            self.host,
            self.pid,
            ",".join(self.queue_names),
            settings.GONGKAI_WORKER_HEARTBEAT_SECONDS,
            settings.GONGKAI_WORKER_HEARTBEAT_TIMEOUT,
        )
        errors = Backoff(self.max_backoff)
        self._prepare()
        try:
            self.db("登记任务进程", self._register)
            self.heartbeat.succeeded()
            self.heartbeat.start()
            while not self.stopping:
                close_old_connections()
                try:
                    self._maybe_recover()
                    row = self.db("领取任务", self._claim)
                except Stop:
                    raise
                except Exception:
                    # Not a passing database condition (a missing table before `migrate`, a bug): say so and
                    # keep trying slowly rather than exit and leave the queue unserved.
                    delay = errors.next()
                    log.exception("领取任务时出错，%.0f 秒后再试", delay)
                    _reset_connections()
                    self.sleep(delay)
                    continue
                errors = Backoff(self.max_backoff)
                if row is not None:
                    self.run_one(row)
                    continue
                if self.batch:
                    log.info("队列已空，任务进程退出（--batch）")
                    break
                self._maybe_prune()
                self._maybe_anchor()
                close_old_connections()
                self.sleep(self.interval)
        except Stop:
            pass
        except SystemExit:
            name = SIGNAL_NAMES.get(self.stop_signal or 0, "信号")
            log.warning("再次收到%s：立即退出", name)
            raise
        finally:
            self._cleaning = True  # further signals would cut the clean-up short
            self.say_stopping()
            self.heartbeat.stop()
            self._release()
            log.info("任务进程已停止，共执行 %d 个任务", self.tasks_run)
