"""The long schemathesis run: the API against its own OpenAPI schema with many examples per operation
(`make test` runs the same test with 25). Prints how long it took; fails if any example finds a 5xx or a
schema violation.

    python bench/fuzz_api.py [--examples 500]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description="接口模糊测试（schemathesis，长时间运行）")
    parser.add_argument("--examples", type=int, default=500, help="每个接口的样例数")
    args = parser.parse_args()
    env = {**os.environ, "GONGKAI_ENV": "test", "GONGKAI_SCHEMATHESIS_EXAMPLES": str(args.examples)}
    started = time.monotonic()
    code = subprocess.call(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", "tests/api/test_schemathesis.py"], cwd=ROOT, env=env
    )
    print(f"schemathesis: {args.examples} examples per operation, {time.monotonic() - started:.0f} s, exit {code}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
