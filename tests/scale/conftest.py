"""Fixtures for the scale tests: a real SeaweedFS S3 server (seaweed.py) and a real streaming replica (replica.py)."""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.scale import replica, seaweed

_buckets = itertools.count(1)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[seaweed.Seaweed]:
    server = seaweed.start(tmp_path_factory.mktemp("seaweed"))
    try:
        yield server
    finally:
        seaweed.stop_server(server)


@pytest.fixture
def s3_settings(settings: Any, s3_server: seaweed.Seaweed) -> Any:
    """The S3 connection settings of the deployment, pointed at the test server."""
    settings.GONGKAI_S3_ENDPOINT = s3_server.endpoint
    settings.GONGKAI_S3_ACCESS_KEY = seaweed.ACCESS_KEY
    settings.GONGKAI_S3_SECRET_KEY = seaweed.SECRET_KEY
    settings.GONGKAI_S3_REGION = "us-east-1"
    return settings


@pytest.fixture
def media_bucket(s3_settings: Any, s3_server: seaweed.Seaweed) -> str:
    """GONGKAI_MEDIA_STORAGE=s3: uploaded files go to a fresh bucket of the test server."""
    from gongkai.settings import s3_media_storage

    bucket = s3_server.make_bucket(f"media-{next(_buckets)}-{id(s3_settings) % 100000}")
    s3_settings.GONGKAI_MEDIA_STORAGE = "s3"
    s3_settings.GONGKAI_S3_BUCKET = bucket
    storage = s3_media_storage(
        bucket,
        endpoint=s3_server.endpoint,
        access_key=seaweed.ACCESS_KEY,
        secret_key=seaweed.SECRET_KEY,
        region="us-east-1",
    )
    s3_settings.STORAGES = {**s3_settings.STORAGES, "default": storage}
    return bucket


@pytest.fixture
def site_bucket(s3_settings: Any, s3_server: seaweed.Seaweed) -> str:
    """GONGKAI_SITE_TARGET=s3: the public site is published into a fresh bucket under site/."""
    bucket = s3_server.make_bucket(f"site-{next(_buckets)}-{id(s3_settings) % 100000}")
    s3_settings.GONGKAI_SITE_TARGET = "s3"
    s3_settings.GONGKAI_SITE_BUCKET = bucket
    s3_settings.GONGKAI_SITE_PREFIX = "site/"
    s3_settings.GONGKAI_SITE_KEEP_RELEASES = 2
    return bucket


def objects(client: Any, bucket: str, prefix: str = "") -> dict[str, bytes]:
    """Every object under ``prefix`` with its bytes (small test sites only)."""
    out: dict[str, bytes] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            out[obj["Key"]] = client.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
    return out


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a callable and then its after-commit hooks (signals → site refresh), as a real request would."""

    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


REPLICA = "replica1"


@pytest.fixture(scope="session")
def pg_replica(django_db_setup: Any, django_db_blocker: Any) -> Iterator[replica.Replica]:
    """A hot standby of the test server, registered as the database alias ``replica1`` (a test mirror of
    ``default``: the same test database, read through the standby; never flushed or migrated)."""
    from django.db import connections

    primary = connections["default"].settings_dict
    if primary["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("read replicas are a PostgreSQL feature")
    with django_db_blocker.unblock():
        standby = replica.start(primary["HOST"] or "127.0.0.1", int(primary["PORT"] or 5432))
    cfg = copy.deepcopy(primary)
    cfg.update({"HOST": standby.host, "PORT": str(standby.port), "CONN_MAX_AGE": 0})
    cfg["OPTIONS"] = {k: v for k, v in cfg.get("OPTIONS", {}).items() if k != "pool"}
    cfg["TEST"] = {**cfg.get("TEST", {}), "MIRROR": "default"}
    connections.settings[REPLICA] = cfg
    try:
        yield standby
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        replica.stop(standby)


@pytest.fixture
def routed(settings: Any, pg_replica: replica.Replica) -> replica.Replica:
    """DATABASE_ROUTERS as settings.py installs it when DATABASE_REPLICA_URLS is set."""
    settings.DATABASE_ROUTERS = ["gongkai.core.dbrouter.ReplicaRouter"]
    settings.GONGKAI_REPLICA_PIN_SECONDS = 30
    return pg_replica


def caught_up(timeout: float = 30) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    from django.db import connections

    with connections["default"].cursor() as cur:
        cur.execute("select pg_current_wal_lsn()")
        target = cur.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections[REPLICA].cursor() as cur:
        while True:
            cur.execute("select pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cur.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"replica did not replay up to {target} in {timeout} s")
            time.sleep(0.05)
