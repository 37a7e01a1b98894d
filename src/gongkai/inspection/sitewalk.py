"""One streaming pass over a unit's folder of the built public site: every page's links and the 信息属性 table
of every entry page, one file at a time (spec §4.3 dead links and missing metadata).

Each HTML file is read, parsed with the standard library's ``html.parser`` and dropped before the next; only
the problems found are kept. Internal links are resolved against the page's URL and the target file is looked
up in the site folder; external links are collected, never fetched.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings

#: First path segments served by the application, not by the static site (docs/nginx.conf.example).
DYNAMIC_PREFIXES = ("apply", "messages", "search", "api", "staff", "admin", "oai", "subscribe")
_SKIP_SCHEMES = ("mailto", "tel", "javascript", "data", "sms")
_ENTRY_PAGE = re.compile(r"^/(?P<slug>[^/]+)/info/(?P<id>\d+)/$")
_RAW_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
#: Kept per kind of problem; the counts are always complete.
KEEP = 500


class SiteFolderError(ValueError):
    """The site folder is missing or is not a built site (the message is Chinese)."""


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (attribute, value)
        self.meta: dict[str, str] = {}
        self.has_meta = False
        self._in_meta = 0
        self._cell: str | None = None
        self._label = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append((name, value))
        if tag == "table":
            classes = (dict(attrs).get("class") or "").split()
            if self._in_meta:
                self._in_meta += 1
            elif "meta" in classes:
                self._in_meta = 1
                self.has_meta = True
        elif self._in_meta and tag in ("th", "td"):
            self._cell, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._in_meta:
            self._in_meta -= 1
        elif self._in_meta and tag == self._cell:
            text = "".join(self._text).strip()
            if tag == "th":
                self._label = text
            elif self._label:
                self.meta[self._label] = text
                self._label = ""
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell:
            self._text.append(data)


@dataclass
class SiteScan:
    pages: int = 0
    dead: list[dict[str, str]] = field(default_factory=list)
    dead_count: int = 0
    external: list[dict[str, str]] = field(default_factory=list)
    external_count: int = 0
    #: entry id → labels of the 信息属性 table that are missing or empty on its public page
    metadata_gaps: dict[int, list[str]] = field(default_factory=dict)


def check_folder(root: Path) -> None:
    if not root.exists():
        raise SiteFolderError(f"网站目录 {root} 不存在")
    if not root.is_dir():
        raise SiteFolderError(f"网站目录 {root} 不是文件夹")
    if not (root / "index.html").is_file():
        raise SiteFolderError(
            f"网站目录 {root} 不是已生成的公开网站（缺少首页 index.html），请先运行 gongkai build-site"
        )


def _html_files(folder: Path) -> Iterator[Path]:
    """Depth-first and lazily, one open directory listing per level: never the whole listing of a large site
    (50k entry folders under ``info/``) in memory at once."""
    stack = [os.scandir(folder)]
    try:
        while stack:
            item = next(stack[-1], None)
            if item is None:
                stack.pop().close()
                continue
            if item.is_dir(follow_symlinks=False):
                try:
                    stack.append(os.scandir(item.path))
                except OSError:
                    continue
            elif item.name.endswith(".html"):
                yield Path(item.path)
    finally:
        for it in stack:
            it.close()


def _page_url(root: Path, file: Path) -> str:
    rel = file.relative_to(root).as_posix()
    if rel.endswith("index.html"):
        rel = rel[: -len("index.html")]
    return "/" + rel


def _target_exists(root: Path, path: str, known: dict[str, bool]) -> bool:
    """Whether the site folder has the file a link's path names; ``known`` remembers every path looked up
    (the navigation repeats the same links on every page)."""
    if path in known:
        return known[path]
    rel = posixpath.normpath(unquote(path)).lstrip("/")
    if rel in ("", "."):
        rel = ""
    if rel.startswith(".."):
        known[path] = False
        return False
    if path.endswith("/") or not rel:
        target = root / rel / "index.html"
        exists = target.is_file()
    else:
        target = root / rel
        exists = target.is_file() or (target / "index.html").is_file()
    if len(known) < 200_000:
        known[path] = exists
    return exists


def _is_gov(host: str) -> bool:
    return host.endswith(".gov.cn") or host == "gov.cn"


def scan_unit_site(root: Path, unit_slug: str, entry_labels: tuple[str, ...]) -> SiteScan:
    """Walk ``root/unit_slug`` (the unit's pages): dead internal links, external links, metadata gaps."""
    check_folder(root)
    out = SiteScan()
    folder = root / unit_slug
    if not folder.is_dir():
        return out
    public = urlsplit(settings.GONGKAI_PUBLIC_URL)
    known: dict[str, bool] = {}
    for file in _html_files(folder):
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        out.pages += 1
        parser = _PageParser()
        parser.feed(text)
        parser.close()
        del text
        url = _page_url(root, file)
        seen: set[str] = set()
        for _attr, raw in parser.links:
            href = raw.strip()
            if not href or href.startswith("#") or href in seen:
                continue
            seen.add(href)
            parts = urlsplit(href)
            if parts.scheme in _SKIP_SCHEMES:
                continue
            if parts.scheme in ("http", "https") or href.startswith("//"):
                if parts.netloc != public.netloc:
                    out.external_count += 1
                    if len(out.external) < KEEP:
                        host = parts.hostname or ""
                        why = (
                            "IP 地址"
                            if _RAW_IP.match(host)
                            else ("非 gov.cn 网站" if not _is_gov(host) else "外部网站")
                        )
                        out.external.append({"page": url, "href": href, "why": why})
                    continue
                path = parts.path or "/"
            elif parts.scheme:
                continue
            else:
                path = urlsplit(urljoin(url, href)).path
            first = path.lstrip("/").split("/", 1)[0]
            if first in DYNAMIC_PREFIXES:
                continue
            if not _target_exists(root, path, known):
                out.dead_count += 1
                if len(out.dead) < KEEP:
                    out.dead.append({"page": url, "href": href})
        m = _ENTRY_PAGE.match(url)
        if m and entry_labels:
            missing = [
                label
                for label in entry_labels
                if not parser.has_meta or parser.meta.get(label, "").strip() in ("", "—", "-")
            ]
            if missing:
                out.metadata_gaps[int(m["id"])] = missing
    return out
