"""Writing pages into the site folder: one file at a time atomically, with precompressed twins.

A reader (nginx, a CDN pull) sees either the old file or the new one, never a partial write: each file is
written to a temporary name in the same folder and renamed over the old one (``os.replace`` is atomic on
one file system). Files whose bytes did not change are left alone, so their ETag and mtime stay stable.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import brotli

from . import paths
from .render import Rendered

COMPRESSIBLE = (".html", ".xml", ".txt", ".css", ".js", ".svg", ".json")
#: Below this size compression saves less than the extra request header costs.
MIN_COMPRESS = 256


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; False (and no write) when the file already holds exactly it."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True


def write_with_twins(path: Path, data: bytes) -> list[Path]:
    """Write a file and, for text types, its ``.gz`` and ``.br`` twins (nginx gzip_static / brotli_static)."""
    changed: list[Path] = []
    if atomic_write(path, data):
        changed.append(path)
    if path.suffix in COMPRESSIBLE and len(data) >= MIN_COMPRESS:
        gz = Path(f"{path}.gz")
        br = Path(f"{path}.br")
        # Only recompress when the page changed (or a twin is missing): compression is the costly part.
        if changed or not gz.exists() or not br.exists():
            # mtime=0 keeps the gzip bytes identical for identical input.
            if atomic_write(gz, gzip.compress(data, compresslevel=9, mtime=0)):
                changed.append(gz)
            # Quality 5 compresses within a few per cent of 11 at a small fraction of the time.
            if atomic_write(br, brotli.compress(data, quality=5)):
                changed.append(br)
    return changed


def write_page(root: Path, page: Rendered) -> list[Path]:
    return write_with_twins(paths.file_for(root, page.url), page.body)


def remove_page(root: Path, url: str) -> list[Path]:
    target = paths.file_for(root, url)
    removed = []
    for p in (target, Path(f"{target}.gz"), Path(f"{target}.br")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            removed.append(p)
    return removed


def link_or_copy(src: Path, dst: Path) -> bool:
    """Put an attachment into the site: a hard link when on the same disk (free), else a copy."""
    if dst.exists() and dst.stat().st_size == src.stat().st_size:
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.link(src, tmp)
    except OSError:
        shutil.copy2(src, tmp)
    os.replace(tmp, dst)
    return True


@contextlib.contextmanager
def site_lock(site_dir: Path) -> Iterator[None]:
    """Serialises full builds and incremental updates of one site folder (across processes).

    Without it an update written into the old folder while a full build runs would vanish at the swap.
    """
    lock_path = site_dir.parent / f".{site_dir.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def swap_in(build_dir: Path, target: Path) -> None:
    """Make ``target`` show ``build_dir`` in one atomic step.

    ``target`` is a symlink to a release folder; a new link is made beside it and renamed over it, so a
    request sees the old site or the new one. A plain folder left by an older version is moved aside once.
    """
    releases = target.parent / f".{target.name}-releases"
    releases.mkdir(parents=True, exist_ok=True)
    release = releases / build_dir.name
    os.replace(build_dir, release)
    old_release: Path | None = None
    if target.is_symlink():
        old_release = target.resolve()
    elif target.exists():
        legacy = releases / f"legacy-{os.getpid()}"
        os.replace(target, legacy)
        old_release = legacy
    link_tmp = target.parent / f".{target.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    os.symlink(os.path.relpath(release, target.parent), link_tmp)
    os.replace(link_tmp, target)
    # Keep the previous release for a quick rollback; older ones go.
    for old in releases.iterdir():
        if old not in (release, old_release) and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def is_built(site_dir: Path) -> bool:
    return (site_dir / "index.html").exists()
