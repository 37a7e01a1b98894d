"""Tasks for the worker process tests, run by a `gongkai worker` child process (found by their dotted path).

``gated`` lets the test decide when a task ends: it leaves a ``started-NAME-N`` file in ``GK_TEST_FLAGS`` and
waits for ``go-NAME`` there, so the test can take the database lock exactly while the worker records the result.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

from gongkai.core import audit


def _flags() -> Path:
    return Path(os.environ["GK_TEST_FLAGS"])


def _write(name: str) -> None:
    # A real write through a real service: the audit chain takes the write lock for its head row.
    audit.record("test.task", object_type="test", object_id=name)


@task()
def gated(name: str, then: str = "return") -> str:
    flags = _flags()
    runs = len(list(flags.glob(f"started-{name}-*")))
    (flags / f"started-{name}-{runs + 1}").write_text(repr(time.time()))
    deadline = time.monotonic() + 120
    while not (flags / f"go-{name}").exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"go-{name} never came")
        time.sleep(0.02)
    if then == "raise":
        raise ValueError(f"{name}：按测试要求失败")
    if then == "write":
        _write(name)
    return name


@task()
def write(name: str) -> str:
    _write(name)
    return name
