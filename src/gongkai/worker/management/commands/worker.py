from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from gongkai.worker.loop import Worker


class Command(BaseCommand):
    help = (
        "运行后台任务进程：发布、撤回后重新生成公开网页，更新检索索引，保密审查扫描。数据库暂时不可用（SQLite 被锁、"
        "PostgreSQL 断开）时等待并重试，不会退出；每隔几秒写一次心跳，被强行终止的任务进程留下的任务由其他任务"
        "进程或 `gongkai recover-tasks` 重新排队。生产环境由 systemd 运行并在退出后重启"
        "（docs/gongkai-worker.service.example）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default", help="处理的队列，逗号分隔，* 为全部（默认 default）")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时每隔多少秒查看一次（默认 1）")
        parser.add_argument("--batch", action="store_true", help="处理完当前排队的任务后退出")
        parser.add_argument("--backend", default="default", help="任务后端（默认 default）")
        parser.add_argument("--worker-id", default=None, help="任务进程编号，须唯一（默认：主机名-进程号-随机串）")

    def _configure_logging(self, verbosity: int) -> None:
        level = {0: logging.ERROR, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        logger = logging.getLogger("gongkai.worker")
        logger.setLevel(level)
        logger.propagate = False  # the root handler would print every warning a second time
        if not logger.handlers:
            handler = logging.StreamHandler(self.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            logger.addHandler(handler)
        # django_tasks logs every start and finish in English, failures with a traceback already written above.
        logging.getLogger("django_tasks").setLevel(logging.CRITICAL if verbosity < 2 else logging.DEBUG)

    def handle(self, *args: Any, **opts: Any) -> None:
        backend = task_backends[opts["backend"]]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                f"任务后端 {opts['backend']} 不是数据库后端（{type(backend).__name__}），没有需要任务进程处理的队列；"
                "请检查 GONGKAI_TASK_BACKEND"
            )
        if opts["interval"] < 0:
            raise CommandError("--interval 不能为负数")
        worker_id = opts["worker_id"]
        if worker_id is not None and not 0 < len(worker_id) <= 64:
            raise CommandError("--worker-id 须为 1 到 64 个字符")
        self._configure_logging(opts["verbosity"])
        worker = Worker(
            queue_names=[q.strip() for q in opts["queue_name"].split(",") if q.strip()] or ["default"],
            interval=opts["interval"],
            backend_name=opts["backend"],
            worker_id=worker_id,
            batch=opts["batch"],
        )
        worker.install_signals()
        worker.run()
