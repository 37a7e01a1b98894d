"""Backup and restore: database, uploaded files, the built public site, and a SHA-256 manifest.

Layout of a backup folder::

    manifest.json          format, time, database kind, the SHA-256 of every other file, and the audit
                           chain's head at the time (an anchor, see core/anchors.py)
    db/gongkai.sqlite3     SQLite: a copy made with SQLite's online backup API (consistent, no writer blocked)
    db/postgres.dump       PostgreSQL with pg_dump on PATH: a custom-format dump (one snapshot transaction)
    db/data.xml            PostgreSQL without pg_dump: Django ``dumpdata`` inside one REPEATABLE READ transaction
    media/…                uploaded files (read through the storage API: the media folder or the S3 bucket)
    site/…                 the built public site (the release SITE_DIR points at); empty when the site is
                           published to a bucket (GONGKAI_SITE_TARGET=s3): restore builds a new release there

The site keeps serving throughout: the database copy reads one snapshot, and the site is copied under the
builder's lock so a rebuild cannot swap the folder mid-copy. ``restore`` checks every hash first and refuses a
damaged or incomplete backup before touching anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from gongkai.core import anchors
from gongkai.portal.builder import build_site
from gongkai.portal.writer import site_lock, swap_in
from gongkai.search.backends import get_backend

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup cannot be written or restored; the message is Chinese and says why."""


#: Called at the end of each step with its Chinese description and the seconds it took.
Progress = Callable[[str, float], None]


def _quiet(step: str, seconds: float) -> None:
    pass


def _size(path: Path) -> str:
    total = sum(p.stat().st_size for p in _walk(path)) if path.is_dir() else path.stat().st_size
    return f"{total / 1048576:.1f} MB"


class _Steps:
    """Times each step and reports it: ``with steps("数据库"):`` … → progress("1/4 数据库（12.3 MB）", 0.4)."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def run(self, name: str, fn: Callable[[], Any], size_of: Path | None = None) -> Any:
        started = time.monotonic()
        out = fn()
        self.done += 1
        detail = f"（{_size(size_of)}）" if size_of is not None and size_of.exists() else ""
        self.progress(f"{self.done}/{self.total} {name}{detail}", time.monotonic() - started)
        return out


@dataclass
class Result:
    folder: Path
    files: int
    database: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, _dirs, files in os.walk(root):
        for name in sorted(files):
            yield Path(dirpath) / name


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库类型：{vendor}")
    return vendor


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    env["PGDATABASE"] = str(s["NAME"])
    return env


def _dump_database(db_dir: Path) -> str:
    engine = _engine()
    connection.ensure_connection()
    if engine == "sqlite":
        target = sqlite3.connect(db_dir / "gongkai.sqlite3")
        try:
            # The online backup API copies a consistent snapshot even while others write (WAL mode).
            connection.connection.backup(target)
        finally:
            target.close()
        return "sqlite"
    if shutil.which("pg_dump"):
        run = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(db_dir / "postgres.dump")],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if run.returncode == 0:
            return "pg_dump"
        # A pg_dump older than the server refuses to run; dumpdata below still gives a faithful copy.
        (db_dir / "postgres.dump").unlink(missing_ok=True)
    with transaction.atomic():
        # One snapshot for every table, so rows written meanwhile do not split the copy.
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # Every table with its primary keys as they are: restore flushes and reloads the exact rows. XML, not
        # JSON: Django's JSON encoder cuts times to milliseconds, which would break the audit chain's hashes.
        # The search index is left out: its text vectors are not model fields (restore rebuilds it).
        call_command("dumpdata", format="xml", exclude=["search"], output=str(db_dir / "data.xml"), verbosity=0)
    return "dumpdata"


def _local_media() -> bool:
    try:
        default_storage.path("")
    except NotImplementedError:  # object storage (GONGKAI_MEDIA_STORAGE=s3)
        return False
    return True


def _stored_names(folder: str = "") -> Iterator[str]:
    """Every file name in the default storage, through the storage API (works for a bucket as for a folder)."""
    dirs, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}{name}"
    for sub in dirs:
        yield from _stored_names(f"{folder}{sub}/")


def _copy_media(dst: Path) -> None:
    if _local_media():
        _copy_tree(Path(settings.MEDIA_ROOT), dst)
        return
    dst.mkdir(parents=True)
    for name in _stored_names():
        target = dst / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out, 1024 * 1024)


def _restore_media(src: Path) -> None:
    """Put the backup's files back under the same names; files stored since the backup are removed."""
    if _local_media():
        _replace_dir(src, Path(settings.MEDIA_ROOT))
        return
    wanted = {p.relative_to(src).as_posix(): p for p in _walk(src)}
    for name, path in wanted.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(path, "rb") as fh:
            saved = default_storage.save(name, File(fh))
        if saved != name:
            raise BackupError(f"文件 {name} 未能按原名恢复（存储返回 {saved}）")
    for name in list(_stored_names()):
        if name not in wanted:
            default_storage.delete(name)


def _copy_tree(src: Path, dst: Path) -> None:
    if src.exists():
        # symlinks=False: SITE_DIR is a link to the current release; the backup holds the files themselves.
        shutil.copytree(src.resolve(), dst, symlinks=False)
    else:
        dst.mkdir(parents=True)


def backup(out: Path | str, progress: Progress = _quiet) -> Result:
    """Write a backup into ``out`` (new or empty); ``progress`` hears of each of the four steps as it ends."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"备份目录 {out} 不是空的；请指定一个新目录，以免覆盖已有备份")
    out.mkdir(parents=True, exist_ok=True)
    (out / "db").mkdir()
    steps = _Steps(4, progress)
    # The audit chain's head, before the copy (which holds at least these rows): into the anchor file and the
    # manifest, so a later rollback to an older state is seen by `gongkai audit verify` (core/anchors.py).
    anchor = anchors.write()
    kind = steps.run("数据库", lambda: _dump_database(out / "db"), out / "db")
    steps.run("上传的文件", lambda: _copy_media(out / "media"), out / "media")
    site = Path(settings.SITE_DIR)

    def copy_site() -> None:
        if settings.GONGKAI_SITE_TARGET == "s3":
            # The bucket's site is made from the database and the files alone: restore builds it again.
            (out / "site").mkdir()
            return
        with site_lock(site):
            _copy_tree(site, out / "site")

    steps.run("公开网站", copy_site, out / "site")
    files = steps.run("校验值清单", lambda: {p.relative_to(out).as_posix(): _sha256(p) for p in _walk(out)})
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": kind,
        "files": files,
        "audit_anchor": json.loads(anchor.line()),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return Result(out, len(files), kind)


def verify(folder: Path | str) -> dict[str, Any]:
    """The manifest, if every file it lists is present and unchanged and nothing else was added."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files: dict[str, str] = manifest["files"]
        kind = manifest["database"]
    except FileNotFoundError as exc:
        raise BackupError(f"备份已损坏：{folder} 中没有清单文件 {MANIFEST}，拒绝恢复") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"备份已损坏：清单文件 {MANIFEST} 无法读取，拒绝恢复") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式版本 {manifest.get('format')} 不受支持（应为 {FORMAT}），拒绝恢复")
    problems: list[str] = []
    for rel, expected in sorted(files.items()):
        path = folder / rel
        if ".." in Path(rel).parts or not path.is_file():
            problems.append(f"缺少文件 {rel}")
        elif _sha256(path) != expected:
            problems.append(f"文件 {rel} 的 SHA-256 校验值不符")
    present = {p.relative_to(folder).as_posix() for p in _walk(folder)} - {MANIFEST}
    problems += [f"清单之外多出文件 {rel}" for rel in sorted(present - set(files))]
    if kind not in ("sqlite", "pg_dump", "dumpdata"):
        problems.append(f"未知的数据库备份类型 {kind}")
    if problems:
        shown = "；".join(problems[:5]) + (f"；等共 {len(problems)} 处" if len(problems) > 5 else "")
        raise BackupError(f"备份已损坏，拒绝恢复：{shown}")
    return manifest


def _restore_database(folder: Path, kind: str) -> None:
    engine = _engine()
    if kind == "sqlite" and engine != "sqlite":
        raise BackupError("这是 SQLite 数据库的备份，当前使用的是 PostgreSQL，不能直接恢复")
    if kind in ("pg_dump", "dumpdata") and engine != "postgresql":
        raise BackupError("这是 PostgreSQL 数据库的备份，当前使用的是 SQLite，不能直接恢复")
    if kind == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(folder / "db" / "gongkai.sqlite3")
        try:
            source.backup(connection.connection)  # replaces every page of the live database in one step
        finally:
            source.close()
        return
    if kind == "pg_dump":
        if not shutil.which("pg_restore"):
            raise BackupError("恢复 pg_dump 备份需要 pg_restore 命令，但系统中没有找到")
        connection.close()
        run = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "-d",
                str(connection.settings_dict["NAME"]),
                str(folder / "db" / "postgres.dump"),
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise BackupError(f"pg_restore 失败，数据库未改动：{run.stderr.strip()[:500]}")
        return
    with transaction.atomic():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        call_command("loaddata", str(folder / "db" / "data.xml"), verbosity=0)
    # The copy has no search index (dumpdata cannot carry the vectors): build it from the restored entries.
    get_backend().clear()  # empty after the flush already; on PostgreSQL this records the vectors' format
    call_command("reindex", verbosity=0)


def _replace_dir(src: Path, target: Path) -> None:
    """Put ``src``'s content at ``target``, moving the old folder aside only once the new one is in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-restore-", dir=target.parent))
    shutil.rmtree(staging)
    shutil.copytree(src, staging)
    old = target.parent / f".{target.name}-before-restore"
    if old.exists():
        shutil.rmtree(old)
    if target.exists() or target.is_symlink():
        os.replace(target, old)
    os.replace(staging, target)


def restore(folder: Path | str, progress: Progress = _quiet) -> dict[str, Any]:
    """Check every hash, then restore database, files and site; ``progress`` hears of each step as it ends."""
    folder = Path(folder)
    steps = _Steps(4, progress)
    manifest: dict[str, Any] = steps.run("校验备份", lambda: verify(folder))
    steps.run("数据库", lambda: _restore_database(folder, manifest["database"]), folder / "db")
    steps.run("上传的文件", lambda: _restore_media(folder / "media"), folder / "media")
    site = Path(settings.SITE_DIR)

    def swap_site() -> None:
        if settings.GONGKAI_SITE_TARGET == "s3":
            build_site()  # a new release in the bucket from the restored database and files
            return
        with site_lock(site):
            # Same atomic symlink swap as a site build: a visitor sees the old site or the restored one.
            build = Path(tempfile.mkdtemp(prefix="restore-", dir=site.parent))
            shutil.rmtree(build)
            shutil.copytree(folder / "site", build)
            swap_in(build, site)

    steps.run("公开网站", swap_site, folder / "site")
    return manifest
