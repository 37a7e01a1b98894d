"""What the operator floor stores itself: the task workers' heartbeats."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per `gongkai worker` process, rewritten every few seconds while it lives.

    A task left RUNNING is only put back in the queue when the worker that claimed it (the last id in the
    task's ``worker_ids``) has stopped beating or has moved on to another task, so a task that is merely slow
    is never run twice, and one whose worker was killed does not wait for a fixed number of minutes.
    """

    worker_id = models.CharField("任务进程编号", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最近心跳", db_index=True)
    # The DBTaskResult id being run, "" between tasks. Written in the claiming transaction, so a task claimed
    # a moment ago is never mistaken for one its worker has abandoned.
    current_task = models.CharField("正在执行的任务", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "任务进程心跳"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.host} pid {self.pid}"
