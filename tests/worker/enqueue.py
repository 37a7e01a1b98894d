"""Run in a child process against the test's own database: queue tasks, print their ids as one JSON line.

python -m tests.worker.enqueue '[["gated", ["a"]], ["index_entry", [99999]]]'
"""

from __future__ import annotations

import json
import sys

import django


def main() -> None:
    django.setup()
    from gongkai.search.tasks import index_entry
    from tests.worker import worker_tasks

    known = {"gated": worker_tasks.gated, "write": worker_tasks.write, "index_entry": index_entry}
    ids = [str(known[name].enqueue(*args).id) for name, args in json.loads(sys.argv[1])]
    print(json.dumps(ids))


if __name__ == "__main__":
    main()
