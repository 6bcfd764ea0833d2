#!/usr/bin/env bash
# Installs what scripts/render-capture.py needs, only what is missing: the fonts, tmux, and a
# Python venv with Pillow at .venv-screenshots/ (git-ignored). Safe to run again.
# Usage: scripts/setup-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
updated=""
apt_install() {
  echo "setup-screenshots: installing $*" >&2
  [ -n "$updated" ] || { $sudo apt-get update -qq; updated=1; }
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

packages=(fonts-dejavu-core fonts-wqy-microhei tmux)
command -v python3 >/dev/null 2>&1 || packages+=(python3 python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

venv=.venv-screenshots
if ! "$venv/bin/python" -c 'import PIL' >/dev/null 2>&1; then
  echo "setup-screenshots: creating $venv with Pillow" >&2
  rm -rf "$venv"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    # Debian's python3 makes venvs only with python3-venv (it ships ensurepip's wheels).
    rm -rf "$venv"
    apt_install python3-venv
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check Pillow
fi
for f in /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf \
         /usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf \
         /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
         /usr/share/fonts/truetype/wqy/wqy-microhei.ttc; do
  [ -f "$f" ] || { echo "setup-screenshots: missing font $f" >&2; exit 1; }
done
echo "setup-screenshots: ready ($("$venv/bin/python" -c 'import PIL; print("Pillow", PIL.__version__)') in $venv)" >&2
