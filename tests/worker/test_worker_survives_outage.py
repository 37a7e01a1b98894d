"""PostgreSQL goes away under the worker (every connection cut, new ones refused) while a task is writing, and
comes back: the worker retries instead of exiting, and every task completes. The worker reaches the database
through a TCP proxy in the test process; stopping the proxy is the outage."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from tests.reliability.conftest import Proxy
from tests.worker.conftest import TaskSite, wait_for

pytestmark = pytest.mark.postgres_only


def test_the_worker_outlives_a_database_outage(task_site: TaskSite) -> None:
    site = task_site
    url = urlparse(site.env["DATABASE_URL"])
    proxy = Proxy((url.hostname or "127.0.0.1", url.port or 5432))
    proxy.start()
    try:
        through = url._replace(netloc=f"{url.username or 'postgres'}@127.0.0.1:{proxy.port}").geturl()
        gated = site.enqueue(("gated", ["pg", "write"]))
        later = site.enqueue(*[("write", [f"w{i}"]) for i in range(3)], ("index_entry", [92000]))
        worker, log = site.worker(
            DATABASE_URL=through, GONGKAI_WORKER_HEARTBEAT_SECONDS="0.3", GONGKAI_WORKER_MAX_BACKOFF="1"
        )
        wait_for(lambda: (site.flags / "started-pg-1").exists(), "the task to start")
        proxy.stop()  # the database is gone: open connections cut, new ones refused
        site.flag("go-pg")
        wait_for(lambda: log.read_text("utf-8").count("数据库暂时不可用") >= 3, "the worker to retry")
        time.sleep(1)
        assert worker.poll() is None, log.read_text("utf-8")
        proxy.start()  # back, on the same port
        everything = gated + later
        wait_for(
            lambda: site.statuses(everything) == dict.fromkeys(everything, "SUCCESSFUL"),
            "every task to finish after the outage",
        )
        assert worker.poll() is None
        # The heartbeat thread beats on its own clock: its recovery line may follow the last task by an interval.
        wait_for(lambda: "心跳已恢复写入" in log.read_text("utf-8"), "the heartbeat to be written again")
        text = log.read_text("utf-8")
        assert "整体重做" in text, text
        writes = site.sql("SELECT object_id FROM core_auditevent WHERE object_type = 'test'")
        assert sorted(w for (w,) in writes) == ["pg", "w0", "w1", "w2"]
    finally:
        proxy.stop()
