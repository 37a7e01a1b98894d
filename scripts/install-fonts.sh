#!/usr/bin/env bash
# Installs the CJK fonts generated PDFs embed (Debian's fonts-noto-cjk: Noto Serif/Sans CJK SC), then
# builds the GB2312 subsets once per installation with `gongkai fonts`, into $GONGKAI_FONT_DIR (default
# .venv/share/gongkai/fonts: every data folder of this checkout shares them). No request or document task
# ever builds them. Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

have_fonts() {
  fc-list 2>/dev/null | grep -qi 'Noto Serif CJK SC' && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK SC'
}

if ! have_fonts && [ ! -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # Refresh the package lists only if apt does not know the package yet.
  if ! apt-cache policy fonts-noto-cjk 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    $SUDO apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends fonts-noto-cjk
fi

GONGKAI=".venv/bin/gongkai"
if [ ! -x "$GONGKAI" ]; then
  GONGKAI="$(command -v gongkai || true)"
fi
if [ -z "$GONGKAI" ]; then
  echo "gongkai is not installed yet (make install); the font subsets are built by \`gongkai fonts\` afterwards" >&2
  exit 0
fi
# The subsets take about a minute per face the first time (a progress bar shows which); afterwards instant.
GONGKAI_ENV="${GONGKAI_ENV:-development}" "$GONGKAI" fonts
