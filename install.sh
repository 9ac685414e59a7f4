#!/usr/bin/env bash
# Install siting from this folder: the system libraries it uses, then .venv with the package
# and its test tools (pip install -e ".[test]").
#
# System libraries (Debian/Ubuntu package names):
#   libpango-1.0-0 libpangoft2-1.0-0  Pango, for WeasyPrint's PDF (siting report)
#   libharfbuzz-subset0               HarfBuzz font subsetting, for WeasyPrint's PDF
#   chromium                          headless browser for the browser tests (skipped without)
# As root, or with passwordless sudo, on Debian/Ubuntu the missing ones are installed with
# apt-get; elsewhere, or without the rights, the script says what to install and goes on.
#
# Usage: ./install.sh [--system-only | --no-system]
#   PYTHON=python3.12 ./install.sh   picks the interpreter of .venv (default python3)
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium"
system=1
venv=1
case "${1:-}" in
  --system-only) venv=0 ;;
  --no-system) system=0 ;;
  "") ;;
  *) echo "usage: $0 [--system-only | --no-system]" >&2; exit 2 ;;
esac

say() { echo "install.sh: $*" >&2; }

missing_packages() {
  local p out=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || out="$out $p"
  done
  echo "${out# }"
}

install_system() {
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system: install Pango (>= 1.44, with PangoFT2), HarfBuzz" \
        "(with its subset library) and Chromium with your package manager; without them" \
        "'siting report' needs --no-pdf and the PDF and browser tests are skipped"
    return 0
  fi
  local missing sudo=""
  missing=$(missing_packages)
  if [ -z "$missing" ]; then
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      say "missing system packages: $missing"
      say "install them as root with: apt-get install $missing"
      say "(going on without them: 'siting report' needs --no-pdf; those tests are skipped)"
      return 0
    fi
  fi
  say "installing system packages: $missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
  local p available="" unavailable=""
  for p in $missing; do
    if apt-cache show "$p" >/dev/null 2>&1; then
      available="$available $p"
    else
      unavailable="$unavailable $p"
    fi
  done
  if [ -n "$available" ]; then
    # shellcheck disable=SC2086  # one word per package
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $available >/dev/null \
      || say "apt-get install$available failed: install them by hand"
  fi
  if [ -n "$unavailable" ]; then
    say "not in this system's package lists:$unavailable (on Ubuntu, chromium is a snap:" \
        "snap install chromium, then link it to /usr/bin/chromium for the browser tests)"
  fi
}

if [ "$system" = 1 ]; then
  install_system
fi
if [ "$venv" = 1 ]; then
  PYTHON=${PYTHON:-python3}
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "siting needs Python >= 3.11; $PYTHON is $("$PYTHON" --version 2>&1 || echo missing)." \
        "Run: PYTHON=/path/to/python3.11 ./install.sh"
    exit 1
  fi
  "$PYTHON" -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[test]"
fi
