"""DATABASE_REPLICA_URLS, GONGKAI_DB_POOL and the S3 variables, read by settings.py in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SHOW = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
out = {"aliases": sorted(settings.DATABASES), "routers": settings.DATABASE_ROUTERS,
       "storage": settings.STORAGES["default"]["BACKEND"], "site": settings.GONGKAI_SITE_TARGET}
if "replica1" in settings.DATABASES:
    r = settings.DATABASES["replica1"]
    out["replica"] = [r["HOST"], r["PORT"], r["TEST"].get("MIRROR")]
if connection.vendor == "postgresql":
    with connection.cursor() as cur:
        cur.execute("select 1")
    out["pool"] = connection.pool is not None
    out["pool_max"] = connection.pool.max_size if connection.pool else None
print(json.dumps(out))
"""


def _settings(tmp_path, **env: str) -> dict:
    full = {**os.environ, "GONGKAI_ENV": "test", "GONGKAI_DATA_DIR": str(tmp_path), **env}
    full.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    done = subprocess.run([sys.executable, "-c", SHOW], env=full, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_replica_urls_become_mirrored_aliases_with_the_router(tmp_path) -> None:
    got = _settings(
        tmp_path,
        DATABASE_REPLICA_URLS="postgres://u@10.0.0.2:5433/gk, postgres://u@10.0.0.3:5432/gk",
        DATABASE_URL="sqlite:///" + str(tmp_path / "db.sqlite3"),
    )
    assert got["aliases"] == ["default", "replica1", "replica2"]
    assert got["routers"] == ["gongkai.core.dbrouter.ReplicaRouter"]
    assert got["replica"] == ["10.0.0.2", 5433, "default"]


def test_no_replicas_no_router_and_local_storage_by_default(tmp_path) -> None:
    got = _settings(tmp_path, DATABASE_URL="sqlite:///" + str(tmp_path / "db.sqlite3"))
    assert got["aliases"] == ["default"] and got["routers"] == []
    assert got["storage"] == "django.core.files.storage.FileSystemStorage" and got["site"] == "local"


def test_s3_storage_needs_its_bucket_and_says_so_in_chinese(tmp_path) -> None:
    env = {
        **os.environ,
        "GONGKAI_ENV": "test",
        "GONGKAI_DATA_DIR": str(tmp_path),
        "GONGKAI_MEDIA_STORAGE": "s3",
        "GONGKAI_S3_ENDPOINT": "http://127.0.0.1:9",
        "GONGKAI_S3_ACCESS_KEY": "k",
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
    }
    env.pop("GONGKAI_S3_BUCKET", None)
    done = subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "GONGKAI_S3_BUCKET" in done.stderr and "必须设置存储桶" in done.stderr


def test_a_malformed_pool_size_is_refused_in_chinese(tmp_path) -> None:
    env = {
        **os.environ,
        "GONGKAI_ENV": "test",
        "GONGKAI_DATA_DIR": str(tmp_path),
        "GONGKAI_DB_POOL": "many",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/none",
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
    }
    done = subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "GONGKAI_DB_POOL 应为" in done.stderr


@pytest.mark.postgres_only
def test_db_pool_opens_a_psycopg_pool(tmp_path) -> None:
    got = _settings(tmp_path, GONGKAI_DB_POOL="1,3")
    assert got["pool"] is True and got["pool_max"] == 3
