#!/usr/bin/env bash
# Installs what the public-site browser tests and benchmarks need: Debian's Chromium, nginx and wrk,
# and axe-core from the npm registry into var/node (served to the page locally, never from a CDN).
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
# CJK fonts, so screenshots show Chinese text instead of boxes.
fc-list 2>/dev/null | grep -qi 'noto sans cjk\|wqy' || need_apt+=(fonts-noto-cjk)

if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if [ ! -f var/node/node_modules/axe-core/axe.min.js ]; then
  mkdir -p var/node
  npm install --silent --no-audit --no-fund --prefix var/node axe-core@4
fi
echo "browser tools ready: $(chromium --version 2>/dev/null || echo 'chromium ?'), axe-core $(node -p "require('./var/node/node_modules/axe-core/package.json').version" 2>/dev/null || echo '?')"
