#!/usr/bin/env bash
# Installs what authgear-migrate needs on Debian/Ubuntu (only what is missing), then builds.
# Usage: scripts/setup.sh [release|debug]   (default: debug)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libncurses-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev pkg-config tmux tzdata openssl socat)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$d/swift" ] && export PATH="$d:$PATH"
  done
fi
command -v swift >/dev/null 2>&1 || { echo "setup: Swift 6 is required (https://www.swift.org/install/linux/)" >&2; exit 1; }
