"""docs/nginx.conf.example really works: nginx serves a built site with it, with the headers it promises."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from gongkai.portal.builder import build_site
from tests.procs import free_port, stop, wait_http

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs/nginx.conf.example"


def _nginx() -> str:
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(path).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("nginx missing: scripts/install-browser.sh installs it")
        pytest.skip("nginx missing: scripts/install-browser.sh installs it")
    return path


def _get(url: str) -> Any:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
    try:
        return opener.open(url, timeout=10)
    except urllib.error.HTTPError as exc:
        return exc


def test_the_example_serves_the_site_with_its_security_headers(sample: dict, site_dir: Path, tmp_path: Path) -> None:
    nginx = _nginx()
    build_site()
    (site_dir.resolve() / ".index.html.abc.tmp").write_text("half-written")
    ssl_dir, snippets = tmp_path / "ssl", tmp_path / "snippets"
    ssl_dir.mkdir()
    snippets.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(ssl_dir / "privkey.pem"),
            "-out",
            str(ssl_dir / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    text = EXAMPLE.read_text(encoding="utf-8")
    headers = [line.strip()[2:].strip() for line in text.splitlines() if line.strip().startswith("#     add_header")]
    assert len(headers) == 6
    (snippets / "gongkai-headers.conf").write_text("\n".join(headers) + "\n")
    plain, tls = free_port(), free_port()
    site = (
        text.replace("listen 80;", f"listen 127.0.0.1:{plain};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{tls} ssl http2;")
        .replace("/etc/ssl/gongkai", str(ssl_dir))
        .replace("include snippets/", f"include {snippets}/")
        .replace("root /srv/gongkai/var/site;", f"root {site_dir};")
        # No application behind it: nginx itself answers 502, with the site's Chinese page.
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{free_port()};")
    )
    (tmp_path / "site.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user} pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; daemon off;\n"
        f"events {{}}\nhttp {{ include /etc/nginx/mime.types; access_log off;\n"
        f"  client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path}; fastcgi_temp_path {tmp_path};\n"
        f"  uwsgi_temp_path {tmp_path}; scgi_temp_path {tmp_path};\n  include {tmp_path}/site.conf; }}\n"
    )
    proc = subprocess.Popen([nginx, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], start_new_session=True)
    try:
        base = f"https://127.0.0.1:{tls}"
        wait_http(f"http://127.0.0.1:{tls}/")  # a plain request to the TLS port gets a 400: it is up
        redirect = _get(f"http://127.0.0.1:{plain}/dongshan/")
        assert redirect.status == 301 and redirect.headers["Location"].startswith("https://")

        policy = sample["policy"]
        page = _get(f"{base}/dongshan/info/{policy.pk}/")
        assert page.status == 200 and policy.title in page.read().decode()
        h = page.headers
        assert (
            "script-src 'self'" in h["Content-Security-Policy"]
            and "frame-ancestors 'none'" in h["Content-Security-Policy"]
        )
        assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
        assert h["Strict-Transport-Security"].startswith("max-age=") and "geolocation=()" in h["Permissions-Policy"]
        assert h["Cache-Control"] == "public, max-age=300"

        assert _get(f"{base}/.index.html.abc.tmp").status == 404  # updates in progress are never served
        attachment = policy.attachments.get()
        csv = _get(base + attachment.file.url)
        assert csv.status == 200 and csv.headers["Content-Disposition"] == "attachment"
        assert "immutable" in csv.headers["Cache-Control"] and csv.headers["X-Content-Type-Options"] == "nosniff"

        # The application is down: the visitor gets a Chinese page that says the published site still works.
        down = _get(f"{base}/apply/")
        body = down.read().decode()
        assert down.status == 502 and "服务暂时不可用" in body and "已公开的政府信息不受影响" in body
        assert "Bad Gateway" not in body and "nginx" not in body
        assert down.headers["X-Frame-Options"] == "DENY"
        missing = _get(f"{base}/no/such/page/")
        assert missing.status == 404 and "页面不存在" in missing.read().decode()
        assert _get(f"{base}/50x.html").status == 404  # the error pages are not pages of their own
    finally:
        stop(proc)
