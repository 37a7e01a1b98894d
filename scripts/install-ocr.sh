#!/usr/bin/env bash
# Installs what the screening OCR needs: Debian's Tesseract 5 with the Simplified Chinese model
# (tesseract-ocr, tesseract-ocr-chi-sim; English comes with tesseract-ocr). Scanned attachments are read by
# `tesseract` in the task worker; without it they stay "需人工审查". Idempotent: skipped when both are there.
set -euo pipefail

have_ocr() {
  command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx 'chi_sim'
}

if ! have_ocr; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # Refresh the package lists only if apt does not know the package yet.
  if ! apt-cache policy tesseract-ocr-chi-sim 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    $SUDO apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-chi-sim
fi
echo "OCR ready: $(tesseract --version 2>/dev/null | head -1), languages: $(tesseract --list-langs 2>/dev/null | tail -n +2 | tr '\n' ' ')"
