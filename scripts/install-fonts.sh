#!/usr/bin/env bash
# Installs the CJK fonts generated PDFs embed (Debian's fonts-noto-cjk: Noto Serif/Sans CJK SC), then
# builds the GB2312 subsets once into $GONGKAI_DATA_DIR/fonts (default ./var/fonts) so the first PDF a
# user asks for does not pay for it. Idempotent: each step is skipped when its result is already there.
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

PY=".venv/bin/python"
[ -x "$PY" ] || PY="python3"
# The subsets take about a minute per face the first time; afterwards this is instant.
DJANGO_SETTINGS_MODULE=gongkai.settings GONGKAI_ENV="${GONGKAI_ENV:-development}" "$PY" - <<'PY'
import django

django.setup()
from gongkai.documents.fonts import FACES, ensure_face

for face in FACES:
    print(f"{face.role}: {ensure_face(face)}")
PY
