"""Where the built public site goes: a local folder (the default) or an S3-compatible bucket.

The builder renders pages and hands them to a *site target*; it does not know which kind it has.

* ``LocalFolder`` is the original behaviour: a full build writes a new folder beside ``SITE_DIR`` and swaps
  the ``SITE_DIR`` symlink over to it (``writer.swap_in``); every file has its ``.gz``/``.br`` twins for
  nginx's ``gzip_static``/``brotli_static``.
* ``S3Bucket`` writes each file with one ``PutObject`` (atomic per object: a reader gets the old object or
  the new one, never part of one). A full build goes into a new prefix ``<prefix>releases/<release id>/``
  and only when every file is there the one small pointer object ``<prefix>current.json`` is replaced,
  naming the new release — so the whole site changes in one step, for a CDN or a web server that reads
  the pointer (docs/SCALE.md). Releases beyond ``GONGKAI_SITE_KEEP_RELEASES`` are deleted afterwards.
  An incremental refresh writes into the current release, and only the objects whose bytes changed
  (the object's ETag is the MD5 of a single-part upload, compared before the put). No compressed twins:
  a CDN negotiates compression itself.

Attachments are read from Django's default storage (``storage.open``), never from a local path, so the
site can be published from S3 media storage as well as from the local media folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import mimetypes
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.files.storage import default_storage

from . import paths, writer

POINTER = "current.json"
RELEASES = "releases/"


class SiteDir(Protocol):
    """One release of the site: the live one (incremental refresh) or a new one (full build)."""

    def write(self, url: str, data: bytes) -> list[str]:
        """Store the page or file at public ``url``; returns what changed (nothing when the bytes are the same)."""

    def remove(self, url: str) -> list[str]: ...

    def exists(self, url: str) -> bool: ...

    def put_file(self, url: str, src: Path) -> bool:
        """A file from the local disk (static assets)."""

    def put_stored(self, url: str, name: str) -> bool:
        """A file from the default storage (attachments); False when it was already there."""

    def remove_file(self, url: str) -> bool: ...


class SiteTarget(Protocol):
    where: str

    def lock(self) -> contextlib.AbstractContextManager[None]: ...

    def new_release(self) -> SiteDir: ...

    def switch_to(self, release: SiteDir) -> None: ...

    def discard(self, release: SiteDir) -> None: ...

    def current(self) -> SiteDir | None:
        """The live release, or None while nothing was ever built."""


def _content_type(url: str) -> str:
    rel = url.rstrip("/")
    if url.endswith("/") or not rel:
        return "text/html; charset=utf-8"
    guessed, _ = mimetypes.guess_type(rel)
    if guessed is None:
        return "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/xml", "application/json", "application/javascript"):
        return f"{guessed}; charset=utf-8"
    return guessed


def key_for(url: str) -> str:
    """The path of the page at ``url`` inside a release (``/a/`` → ``a/index.html``), checked like a file path."""
    rel = url.lstrip("/")
    if not rel or rel.endswith("/"):
        rel += "index.html"
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"unsafe page path: {url}")
    return rel


# -- local folder ----------------------------------------------------------------------------------------------


@dataclass
class LocalDir:
    root: Path

    def write(self, url: str, data: bytes) -> list[str]:
        return [str(p) for p in writer.write_with_twins(paths.file_for(self.root, url), data)]

    def remove(self, url: str) -> list[str]:
        return [str(p) for p in writer.remove_page(self.root, url)]

    def exists(self, url: str) -> bool:
        return paths.file_for(self.root, url).exists()

    def put_file(self, url: str, src: Path) -> bool:
        return writer.link_or_copy(src, paths.file_for(self.root, url))

    def put_stored(self, url: str, name: str) -> bool:
        dst = paths.file_for(self.root, url)
        try:
            src = Path(default_storage.path(name))
        except NotImplementedError:  # remote storage (S3): no local path, stream it through storage.open
            pass
        else:
            if not src.exists():
                raise FileNotFoundError(name)
            return writer.link_or_copy(src, dst)  # same disk: a hard link, free
        size = default_storage.size(name)
        if dst.exists() and dst.stat().st_size == size:
            return False
        dst.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out, default_storage.open(name, "rb") as src_fh:
                shutil.copyfileobj(src_fh, out, 1024 * 1024)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dst)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return True

    def remove_file(self, url: str) -> bool:
        try:
            paths.file_for(self.root, url).unlink()
        except FileNotFoundError:
            return False
        return True


class LocalFolder:
    """``SITE_DIR`` (or another folder): a symlink to the current release folder, swapped atomically."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target).absolute()
        self.where = str(self.target)

    def lock(self) -> contextlib.AbstractContextManager[None]:
        return writer.site_lock(self.target)

    def new_release(self) -> LocalDir:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.target.parent.glob(f".{self.target.name}-build-*"):
            shutil.rmtree(stale, ignore_errors=True)
        name = f".{self.target.name}-build-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        build_dir = self.target.parent / name
        build_dir.mkdir()
        return LocalDir(build_dir)

    def switch_to(self, release: SiteDir) -> None:
        assert isinstance(release, LocalDir)
        writer.swap_in(release.root, self.target)

    def discard(self, release: SiteDir) -> None:
        assert isinstance(release, LocalDir)
        shutil.rmtree(release.root, ignore_errors=True)

    def current(self) -> LocalDir | None:
        return LocalDir(self.target) if writer.is_built(self.target) else None


# -- S3 bucket -------------------------------------------------------------------------------------------------


def s3_client() -> Any:
    """A boto3 client for the configured endpoint (path-style addressing: works with every S3 server)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=settings.GONGKAI_S3_ENDPOINT or None,
        region_name=settings.GONGKAI_S3_REGION,
        aws_access_key_id=settings.GONGKAI_S3_ACCESS_KEY or None,
        aws_secret_access_key=settings.GONGKAI_S3_SECRET_KEY or None,
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4", retries={"max_attempts": 5}),
    )


def _missing(exc: Exception) -> bool:
    code = str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")


@dataclass
class S3Dir:
    client: Any
    bucket: str
    prefix: str  # "site/releases/<id>/"
    fresh: bool = False  # a new release: nothing to compare against, every put is new
    #: A new release's puts run on this many threads (the network wait dominates); ``flush`` waits for them.
    threads: int = 8
    _pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    _pending: list[Future[Any]] = field(default_factory=list, init=False, repr=False)

    def _submit(self, fn: Callable[..., Any], /, **kwargs: Any) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="site-put")
        self._pending.append(self._pool.submit(fn, **kwargs))
        if len(self._pending) >= 256:  # bounded memory: page bodies wait in the queue
            self._drain(128)

    def _drain(self, keep: int = 0) -> None:
        while len(self._pending) > keep:
            self._pending.pop(0).result()  # re-raises a failed put

    def flush(self) -> None:
        """Wait until every put of this release is stored (raises the first failure)."""
        try:
            self._drain()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None

    def _key(self, url: str) -> str:
        return f"{self.prefix}{key_for(url)}"

    def _etag(self, key: str) -> str | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _missing(exc):
                return None
            raise
        return str(head.get("ETag", "")).strip('"')

    def write(self, url: str, data: bytes) -> list[str]:
        key = self._key(url)
        put = {"Bucket": self.bucket, "Key": key, "Body": data, "ContentType": _content_type(url)}
        if self.fresh:
            self._submit(self.client.put_object, **put)
            return [key]
        if self._etag(key) == hashlib.md5(data, usedforsecurity=False).hexdigest():
            return []
        self.client.put_object(**put)
        return [key]

    def remove(self, url: str) -> list[str]:
        return [self._key(url)] if self.remove_file(url) else []

    def exists(self, url: str) -> bool:
        return self._etag(self._key(url)) is not None

    def put_file(self, url: str, src: Path) -> bool:
        return bool(self.write(url, src.read_bytes()))

    def put_stored(self, url: str, name: str) -> bool:
        key = self._key(url)
        size = default_storage.size(name)
        if not self.fresh:
            from botocore.exceptions import ClientError

            try:
                head = self.client.head_object(Bucket=self.bucket, Key=key)
                if int(head.get("ContentLength", -1)) == size:
                    return False
            except ClientError as exc:
                if not _missing(exc):
                    raise
        if self.fresh:
            self._submit(self._upload, name=name, key=key, url=url)
        else:
            self._upload(name=name, key=key, url=url)
        return True

    def _upload(self, *, name: str, key: str, url: str) -> None:
        with default_storage.open(name, "rb") as fh:
            # upload_fileobj streams (multipart past 8 MB); each object still appears whole or not at all.
            self.client.upload_fileobj(fh, self.bucket, key, ExtraArgs={"ContentType": _content_type(url)})

    def remove_file(self, url: str) -> bool:
        key = self._key(url)
        if self._etag(key) is None:
            return False
        self.client.delete_object(Bucket=self.bucket, Key=key)
        return True


class S3Bucket:
    """The site in ``bucket`` under ``prefix``: ``releases/<id>/…`` and the pointer ``current.json``."""

    def __init__(self, bucket: str, prefix: str = "site/", *, keep: int = 3, client: Any = None) -> None:
        self.bucket = bucket
        self.prefix = prefix if not prefix or prefix.endswith("/") else f"{prefix}/"
        self.keep = max(2, keep)
        self.client = client or s3_client()
        self.where = f"s3://{bucket}/{self.prefix}"

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Serialises builds and refreshes of this bucket prefix among the workers of one host (docs/SCALE.md)."""
        lock_path = Path(settings.DATA_DIR) / f".site-s3-{hashlib.sha1(self.where.encode()).hexdigest()[:12]}.lock"
        with open(lock_path, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def pointer(self) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=f"{self.prefix}{POINTER}")["Body"].read()
        except ClientError as exc:
            if _missing(exc):
                return None
            raise
        data: dict[str, Any] = json.loads(body)
        return data

    def new_release(self) -> S3Dir:
        # Sortable by time, unique among concurrent hosts.
        release = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{secrets.token_hex(4)}"
        return S3Dir(self.client, self.bucket, f"{self.prefix}{RELEASES}{release}/", fresh=True)

    def switch_to(self, release: SiteDir) -> None:
        assert isinstance(release, S3Dir)
        release.flush()  # the pointer moves only once every object of the release is stored
        name = release.prefix.removeprefix(f"{self.prefix}{RELEASES}").rstrip("/")
        pointer = {"release": name, "prefix": release.prefix, "switched_at": time.time()}
        self.client.put_object(
            Bucket=self.bucket,
            Key=f"{self.prefix}{POINTER}",
            Body=json.dumps(pointer).encode("utf-8"),
            ContentType="application/json",
            CacheControl="no-cache",
        )
        self.prune(current=name)

    def releases(self) -> list[str]:
        names: list[str] = []
        for page in self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}{RELEASES}", Delimiter="/"
        ):
            for common in page.get("CommonPrefixes", []):
                # Some servers (SeaweedFS: its filer keeps folders) still list a prefix whose objects are gone.
                if self.client.list_objects_v2(Bucket=self.bucket, Prefix=common["Prefix"], MaxKeys=1).get("KeyCount"):
                    names.append(common["Prefix"].removeprefix(f"{self.prefix}{RELEASES}").rstrip("/"))
        return sorted(names)

    def prune(self, *, current: str) -> list[str]:
        """Delete all but the newest ``keep`` releases; never the current one."""
        names = self.releases()
        doomed = [n for n in names[: max(0, len(names) - self.keep)] if n != current]
        for name in doomed:
            self._delete_prefix(f"{self.prefix}{RELEASES}{name}/")
        return doomed

    def _delete_prefix(self, prefix: str) -> None:
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            for i in range(0, len(keys), 1000):
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys[i : i + 1000], "Quiet": True})

    def discard(self, release: SiteDir) -> None:
        assert isinstance(release, S3Dir)
        with contextlib.suppress(Exception):
            release.flush()
        self._delete_prefix(release.prefix)

    def current(self) -> S3Dir | None:
        pointer = self.pointer()
        if pointer is None:
            return None
        return S3Dir(self.client, self.bucket, str(pointer["prefix"]))


def default_target() -> SiteTarget:
    """The target the settings name: ``GONGKAI_SITE_TARGET`` = local (``SITE_DIR``) or s3."""
    if settings.GONGKAI_SITE_TARGET == "s3":
        return S3Bucket(
            settings.GONGKAI_SITE_BUCKET, settings.GONGKAI_SITE_PREFIX, keep=settings.GONGKAI_SITE_KEEP_RELEASES
        )
    return LocalFolder(Path(settings.SITE_DIR))


def resolve(root: Path | SiteTarget | None) -> SiteTarget:
    if root is None:
        return default_target()
    if isinstance(root, (str, Path)):
        return LocalFolder(Path(root))
    return root
