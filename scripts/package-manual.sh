#!/usr/bin/env bash
# Writes the man page of a built authgear-migrate with swift-argument-parser's own
# `generate-manual` tool (the one its GenerateManual plugin runs), built offline from the
# checkout SwiftPM resolved for this package, so the page follows every command's --help.
#
# Why not `swift package generate-manual`: the plugin first builds every product in release
# without --static-swift-stdlib, a second full release build (about as long as the first, 20
# minutes on this machine under load). Its tool alone builds in under a minute.
#
# Usage: scripts/package-manual.sh BINARY OUTPUT.1 [YYYY-MM-DD]   (the date on the page;
#        default today). Run after a build (the checkout must exist: .build/checkouts).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 BINARY OUTPUT.1 [YYYY-MM-DD]" >&2; exit 2; }
binary="$1" output="$2" date="${3:-}"
[ -n "$date" ] || date="$(date +%Y-%m-%d)"
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

checkout=.build/checkouts/swift-argument-parser
[ -d "$checkout" ] || { echo "package-manual: $checkout is missing (build the package first)" >&2; exit 1; }
tool_root=.build/generate-manual
revision="$(git -C "$checkout" rev-parse HEAD)"
# A copy of the checkout at its resolved revision (the checkout itself stays SwiftPM's).
if [ "$(cat "$tool_root/revision" 2>/dev/null)" != "$revision" ]; then
  rm -rf "$tool_root/src"
  mkdir -p "$tool_root/src"
  git -C "$checkout" archive "$revision" | tar -x -C "$tool_root/src"
  echo "$revision" > "$tool_root/revision"
fi
swift build --package-path "$tool_root/src" --scratch-path "$tool_root/build" --product generate-manual >&2
tool="$(swift build --package-path "$tool_root/src" --scratch-path "$tool_root/build" --show-bin-path)/generate-manual"

pages="$(mktemp -d)"
trap 'rm -rf "$pages"' EXIT
"$tool" "$binary" --date "$date" --output-directory "$pages"
page="$pages/$(basename "$binary").1"
[ -s "$page" ] || { echo "package-manual: generate-manual wrote no $page" >&2; exit 1; }
# mdoc wants .Pp, not an empty line, between paragraphs (groff warns on each empty line).
sed 's/^[[:space:]]*$/.Pp/' "$page" > "$output"
