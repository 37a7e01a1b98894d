#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432; start the local cluster if it is stopped.
# Under CI (CI=true) an unreachable server is a failure, never a skip.
set -u
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || python3 - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(2)
try:
    s.connect(("127.0.0.1", 5432))
except OSError:
    sys.exit(1)
PY
}
# The RUM index (word positions in the index) makes phrase search fast; it is a separate package for the
# local server's major version. Search works without it (GIN only), so a failed install is only a warning
# here; under CI the test suite itself insists on RUM (tests/search/test_pg_index.py).
install_rum() {
  [ -d /etc/postgresql ] || return 0
  for v in $(ls /etc/postgresql); do
    [ -f "/usr/share/postgresql/$v/extension/rum.control" ] && continue
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "postgresql-$v-rum" >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
             --no-install-recommends "postgresql-$v-rum" >/dev/null 2>&1; } \
        || echo "警告：未能安装 postgresql-$v-rum，检索将只用 GIN 索引" >&2
    fi
  done
}
install_rum
if ready; then exit 0; fi
echo "PostgreSQL 未运行，尝试启动本机集群…" >&2
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for v in $(ls /etc/postgresql); do pg_ctlcluster --skip-systemctl-redirect "$v" main start 2>&1 || true; done
fi
for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
echo "错误：无法连接 PostgreSQL（127.0.0.1:5432）。测试套件必须在 SQLite 和 PostgreSQL 上都运行。" >&2
exit 1
