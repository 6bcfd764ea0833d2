#!/usr/bin/env bash
# Builds the release tarball for a Linux host without Swift:
#
#   dist/authgear-migrate-VERSION-linux-ARCH.tar.gz   (and .tar.gz.sha256 beside it)
#
# holding bin/authgear-migrate (release, Swift standard library and Foundation linked
# statically), its man page, bash/zsh/fish completions, README.md, samples/, INSTALL (the
# system libraries it still needs, with the apt line) and SHA256SUMS of every file in it.
#
# VERSION is BuildInfo.version (Sources/authgear-migrate/BuildInfo.swift), read back from the
# built binary's --version; the commit (and whether the tree had uncommitted changes) is baked
# in through a header in .build/build-info (see Sources/CBuildInfo/build_info.c), so the source
# tree is never modified and a new commit rebuilds only that C file and the executable's module.
#
# Usage: scripts/package.sh      Environment: DIST=dir (default dist, relative to the repository)
# Installs what it needs when missing (scripts/setup.sh, plus binutils for readelf/strip).
# Check the result with scripts/test-package.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

bash scripts/setup.sh
if ! command -v readelf >/dev/null 2>&1 || ! command -v strip >/dev/null 2>&1; then
  echo "package: installing binutils" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends binutils >/dev/null
fi
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
dist="${DIST:-dist}"

# --- 1. the commit, as a header only this build sees ------------------------------------------
info_dir="$root/.build/build-info"
header="$info_dir/build_info_values.h"
mkdir -p "$info_dir"
commit="" commit_date="" dirty=0 epoch=""
if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
  commit="$(git rev-parse HEAD)"
  commit_date="$(git show -s --format=%cs HEAD)"
  epoch="$(git show -s --format=%ct HEAD)"
  [ -z "$(git status --porcelain --untracked-files=no)" ] || dirty=1
else
  echo "package: not a git checkout: the binary will say no commit was recorded" >&2
fi
printf '// Written by scripts/package.sh: the source tree this build came from.\n#define AUTHGEAR_BUILD_COMMIT "%s"\n#define AUTHGEAR_BUILD_COMMIT_DATE "%s"\n#define AUTHGEAR_BUILD_TREE_DIRTY %d\n' \
  "$commit" "$commit_date" "$dirty" > "$header.new"
# Rewritten only when it changed: an unchanged header keeps its time and nothing is recompiled.
if cmp -s "$header.new" "$header"; then rm "$header.new"; else mv "$header.new" "$header"; fi

# --- 2. the release build ----------------------------------------------------------------------
build_flags=(-c release --static-swift-stdlib --product authgear-migrate
             -Xcc "-DAUTHGEAR_BUILD_INFO_HEADER=\"$header\"")
started=$SECONDS
echo "package: swift build ${build_flags[*]}" >&2
swift build "${build_flags[@]}"
build_seconds=$((SECONDS - started))
built="$(swift build "${build_flags[@]}" --show-bin-path)/authgear-migrate"

# Nothing from the Swift toolchain may be needed at run time.
toolchain_libs='/opt/swift|libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libXCTest|libTesting'
if ldd "$built" | grep -E "$toolchain_libs|not found" >&2; then
  echo "package: $built needs the libraries above (from the Swift toolchain, or missing)" >&2
  exit 1
fi

version_line="$("$built" --version)"
version="$(printf '%s\n' "$version_line" | awk 'NR == 1 { print $2 }')"
[[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || { echo "package: no version in \"$version_line\"" >&2; exit 1; }
arch="$(uname -m)"
name="authgear-migrate-$version-linux-$arch"

# --- 3. the tree of the tarball ----------------------------------------------------------------
stage_root="$root/.build/package"
stage="$stage_root/$name"
rm -rf "$stage_root"
mkdir -p "$stage/bin" "$stage/share/man/man1" "$stage/share/bash-completion/completions" \
         "$stage/share/zsh/site-functions" "$stage/share/fish/vendor_completions.d"
# DWARF debug info is most of the size; the symbol table stays, so crash backtraces name functions.
strip --strip-debug -o "$stage/bin/authgear-migrate" "$built"
bin="$stage/bin/authgear-migrate"

"$bin" --generate-completion-script bash > "$stage/share/bash-completion/completions/authgear-migrate"
"$bin" --generate-completion-script zsh > "$stage/share/zsh/site-functions/_authgear-migrate"
"$bin" --generate-completion-script fish > "$stage/share/fish/vendor_completions.d/authgear-migrate.fish"
bash scripts/package-manual.sh "$bin" "$stage/share/man/man1/authgear-migrate.1" "$commit_date"

cp README.md "$stage/README.md"
cp -R samples "$stage/samples"

# --- 4. INSTALL: what the host still needs, read off the binary ------------------------------
needed="$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
packages=()
lib_lines=""
for soname in $needed; do
  # "libx.so.1 => /lib/.../libx.so.1 (0x…)", or the loader's "/lib64/ld-linux-x86-64.so.2 (0x…)"
  path="$(ldd "$bin" | awk -v s="$soname" '$1 == s && $2 == "=>" { print $3 } $1 ~ ("/" s "$") { print $1 }' | head -1)"
  pkg=""
  for p in "$path" "$(readlink -f "$path")" "/usr$path"; do
    [ -f "$p" ] || continue
    pkg="$(dpkg-query -S "$p" 2>/dev/null | head -1 | cut -d: -f1 | cut -d, -f1 || true)"
    [ -z "$pkg" ] || break
  done
  lib_lines+="  $soname${pkg:+ ($pkg)}"$'\n'
  [ -z "$pkg" ] || [[ " ${packages[*]-} " == *" $pkg "* ]] || packages+=("$pkg")
done
glibc="$(objdump -T "$bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -1 | sed 's/GLIBC_//')"
. /etc/os-release
cat > "$stage/INSTALL" <<EOF
authgear-migrate $version for Linux $arch
$version_line

This build needs no Swift toolchain: the Swift standard library and Foundation are linked into
the binary. It still uses these system libraries (libcurl for HTTPS, ncursesw for the TUI,
SQLite for the journal, OpenSSL's libcrypto for token signing; the rest is the C library):

$lib_lines
On Debian or Ubuntu, install them with:

  sudo apt-get update && sudo apt-get install -y ${packages[*]}

These are the package names of $PRETTY_NAME, where this was built; other releases may
name them differently (Ubuntu 24.04: libcurl4t64, libssl3t64). It needs glibc $glibc or newer.
The TUI also needs a terminfo entry for \$TERM (ncurses-base, on every Debian/Ubuntu system).

Install (the binary and man page under /usr/local; the completions where bash and fish look):

  sha256sum -c SHA256SUMS
  sudo install -m 0755 bin/authgear-migrate /usr/local/bin/
  sudo install -D -m 0644 share/man/man1/authgear-migrate.1 /usr/local/share/man/man1/authgear-migrate.1
  sudo install -D -m 0644 share/bash-completion/completions/authgear-migrate /usr/share/bash-completion/completions/authgear-migrate
  sudo install -D -m 0644 share/zsh/site-functions/_authgear-migrate /usr/local/share/zsh/site-functions/_authgear-migrate
  sudo install -D -m 0644 share/fish/vendor_completions.d/authgear-migrate.fish /usr/share/fish/vendor_completions.d/authgear-migrate.fish

Or run it from this folder: ./bin/authgear-migrate --help. A rehearsal that never leaves the
machine (the built-in sandbox, then the connection check against it):

  ./bin/authgear-migrate validate samples/legacy-users.json
  ./bin/authgear-migrate sandbox --dir /tmp/agm-sandbox &
  set -a; . /tmp/agm-sandbox/sandbox.env; set +a
  ./bin/authgear-migrate check

README.md tells everything else.
EOF

(cd "$stage" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > SHA256SUMS)

# --- 5. the tarball: no time stamps, owners or order of its own (mtime = the commit's time) -----
mkdir -p "$dist"
tarball="$dist/$name.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mode='u+rwX,go+rX,go-w' \
    --mtime="@${epoch:-$(date +%s)}" -C "$stage_root" -cf - "$name" | gzip -n -9 > "$tarball.tmp"
mv "$tarball.tmp" "$tarball"
(cd "$dist" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

echo "package: $version_line" >&2
echo "package: release build $build_seconds s; binary $(stat -c %s "$bin") bytes (unstripped $(stat -c %s "$built"))" >&2
echo "package: wrote $tarball ($(stat -c %s "$tarball") bytes)" >&2
