"""A worker is killed (kill -9) in the middle of a task: the task stays RUNNING, and a new worker puts it back in
the queue once the dead worker's heartbeat is older than the timeout (not before), then runs it to the end.
On the SQLite run the database is a SQLite file, on the PostgreSQL run a PostgreSQL database."""

from __future__ import annotations

import json
import os
import signal
from datetime import UTC, datetime

from tests.worker.conftest import TASKS, TaskSite, wait_for

BEAT = 0.3  # GONGKAI_WORKER_HEARTBEAT_SECONDS in both workers
TIMEOUT = 4.0  # GONGKAI_WORKER_HEARTBEAT_TIMEOUT


def test_a_task_cut_off_by_kill_9_is_requeued_after_the_heartbeat_timeout_and_completes(task_site: TaskSite) -> None:
    site = task_site
    beat = {"GONGKAI_WORKER_HEARTBEAT_SECONDS": str(BEAT), "GONGKAI_WORKER_HEARTBEAT_TIMEOUT": str(TIMEOUT)}
    (victim,) = site.enqueue(("gated", ["victim", "write"]))
    others = site.enqueue(("write", ["after-1"]), ("index_entry", [91000]), ("write", ["after-2"]))

    first, _ = site.worker("first", **beat)
    wait_for(lambda: (site.flags / "started-victim-1").exists(), "the task to start in the first worker")
    # Running, and its worker beating with this task named in the heartbeat.
    wait_for(
        lambda: site.sql("SELECT current_task FROM worker_workerheartbeat WHERE current_task != ''"),
        "the heartbeat to name the task",
    )
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert site.statuses([victim]) == {victim: "RUNNING"}
    (seen,) = site.sql("SELECT seen_at FROM worker_workerheartbeat")[0]  # the dead worker's last beat
    seen = datetime.fromisoformat(seen) if isinstance(seen, str) else seen  # SQLite: naive UTC text
    last_beat = (seen if seen.tzinfo else seen.replace(tzinfo=UTC)).timestamp()

    site.flag("go-victim")  # from now on the task can finish, once someone runs it again
    second, second_log = site.worker("second", **beat)
    everything = [victim, *others]
    wait_for(
        lambda: site.statuses(everything) == dict.fromkeys(everything, "SUCCESSFUL"),
        "the re-queued task and the rest to finish",
        timeout=90,
    )
    rerun_at = float((site.flags / "started-victim-2").read_text())
    # Not before the dead worker's last beat had aged past the timeout.
    assert rerun_at - last_beat >= TIMEOUT, rerun_at - last_beat
    assert not (site.flags / "started-victim-3").exists()  # run once more, not in a loop

    (workers,) = site.sql(f"SELECT worker_ids FROM {TASKS} WHERE task_path LIKE %s", "%gated")[0]
    workers = json.loads(workers) if isinstance(workers, str) else workers
    assert len(workers) == 2 and workers[0] != workers[1]  # claimed by the dead worker, then by the new one
    text = second_log.read_text("utf-8")
    assert "已把中断的任务重新排队：gated" in text and "最后一次心跳在" in text, text
    assert second.poll() is None
    (recovered,) = site.sql("SELECT comment FROM core_auditevent WHERE action = 'tasks.recovered'")
    assert "重新排队 1 个" in recovered[0]
    writes = site.sql("SELECT object_id FROM core_auditevent WHERE action = 'test.task'")
    assert sorted(w for (w,) in writes) == ["after-1", "after-2", "victim"]
    assert site.gongkai("audit", "verify").returncode == 0
