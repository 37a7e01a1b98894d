"""The idle worker anchors the audit chain's head at least daily (issue 17 item 1: outside the database,
without anyone having to remember a command), and not more often than it is due."""

from __future__ import annotations

import json

from gongkai.core import anchors, audit
from gongkai.core.audit_actions import Action
from gongkai.worker.loop import Worker


def test_the_idle_worker_writes_an_anchor_when_one_is_due(db, settings):
    audit.record(Action.TASKS_RECOVERED, comment="一")
    worker = Worker(queue_names=["default"], interval=0.1, batch=False)
    worker._maybe_anchor()
    lines = list(anchors.iter_lines())
    assert len(lines) == 1 and json.loads(lines[0])["seq"] == 1
    audit.record(Action.TASKS_RECOVERED, comment="二")
    worker._last_anchor_check = float("-inf")
    worker._maybe_anchor()  # the last anchor is minutes old: not due
    assert len(list(anchors.iter_lines())) == 1
    settings.GONGKAI_AUDIT_ANCHOR_HOURS = 1e-9  # due at once (anchor times are in whole seconds)
    worker._last_anchor_check = float("-inf")
    worker._maybe_anchor()
    assert [json.loads(line)["seq"] for line in anchors.iter_lines()] == [1, 2]
    assert anchors.verify() == []
