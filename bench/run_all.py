"""Run every benchmark in turn and print its figures (nothing is asserted).

    python bench/run_all.py            # the sizes quoted in README.md (1,000,000 entries takes a while)
    BENCH_QUICK=1 python bench/run_all.py   # small sizes, to check the benchmarks still run

Each benchmark is also a script of its own; see its docstring for the options.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

FULL = [
    ["bench_screening.py"],
    ["bench_site.py", "--sizes", "10000,1000000"],
    ["bench_reports.py", "--entries", "1000000", "--units", "1500", "--applications", "100000"],
    ["bench_documents.py", "--runs", "5", "--build-face"],
    ["bench_search.py", "--sizes", "100000,1000000"],
    ["bench_import.py", "--rows", "100000", "--runs", "2"],
    ["bench_publish.py"],
    ["check_site.py", "--entries", "20000", "--units", "10"],
    ["s3_publish.py", "--entries", "3000", "--units", "10", "--runs", "5"],
    ["fuzz_api.py", "--examples", "500"],
]
QUICK = [
    ["bench_screening.py", "--docs", "60", "--lists", "20", "--mb", "2"],
    ["bench_site.py", "--sizes", "2000", "--runs", "3", "--wrk-seconds", "3"],
    ["bench_reports.py", "--entries", "5000", "--units", "30", "--applications", "1000", "--runs", "3"],
    ["bench_documents.py", "--runs", "2"],
    ["bench_search.py", "--sizes", "3000", "--runs", "2", "--like-runs", "1"],
    ["bench_import.py", "--rows", "2000", "--runs", "1"],
    ["bench_publish.py", "--entries", "5", "--warmup", "5", "--drain", "30"],
    ["check_site.py", "--entries", "2000", "--units", "4"],
    ["s3_publish.py", "--entries", "200", "--units", "2", "--runs", "2"],
    ["fuzz_api.py", "--examples", "50"],
]


def main() -> int:
    plan = QUICK if os.environ.get("BENCH_QUICK") else FULL
    failed = []
    for args in plan:
        print(f"\n===== {' '.join(args)} =====", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(HERE / args[0]), *args[1:]])
        print(f"===== {args[0]}: exit {code}, {time.monotonic() - started:.0f} s =====", flush=True)
        if code:
            failed.append(args[0])
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
