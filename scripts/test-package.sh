#!/usr/bin/env bash
# Checks the release tarball as a host without Swift uses it: unpacked into a temporary folder,
# every command run in a bare environment (env -i PATH=/usr/bin:/bin):
#   - the tarball matches its .sha256, holds every file INSTALL promises, SHA256SUMS lists and
#     matches every file in it;
#   - ldd: every library is found and none comes from the Swift toolchain (/opt/swift,
#     libswift*, libFoundation*, libdispatch, ...); where this runs as root, --version also runs
#     with the toolchain's folder hidden (an empty tmpfs mounted over it in a private namespace);
#   - --version names the version of the tarball's name and the commit (EXPECT_COMMIT, default
#     the checkout's HEAD when this is a git checkout);
#   - validate on the bundled samples (JSON, and CSV with its mapping) finds the 10 invalid
#     records; the man page and the completions are what they claim to be;
#   - a sandbox on a loopback port in the background, then check (every step passes) and an
#     import of the sample's valid records into it, with a journal in the temporary folder.
# Prints one line per check, then "test-package: PASS" or "test-package: FAIL" and the counts.
# Exit status 0 when every check passed, 1 otherwise.
#
# Usage: scripts/test-package.sh [TARBALL]   (default: the newest dist/authgear-migrate-*.tar.gz)
set -uo pipefail
cd "$(dirname "$0")/.."

tarball="${1:-$(ls -t dist/authgear-migrate-*-linux-*.tar.gz 2>/dev/null | head -1)}"
[ -n "$tarball" ] && [ -f "$tarball" ] || { echo "test-package: FAIL: no tarball (run scripts/package.sh)"; exit 1; }
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"
name="$(basename "$tarball" .tar.gz)"
version="${name#authgear-migrate-}"; version="${version%-linux-*}"
expect_commit="${EXPECT_COMMIT-$(git rev-parse HEAD 2>/dev/null || true)}"

work="$(mktemp -d "${TMPDIR:-/tmp}/authgear-migrate-package.XXXXXX")"
sandbox_pid=""
cleanup() {
  [ -z "$sandbox_pid" ] || { kill "$sandbox_pid" 2>/dev/null; wait "$sandbox_pid" 2>/dev/null; }
  rm -rf "$work"
}
trap cleanup EXIT

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/      /' | head -40; }
# bare CMD...: runs CMD in the unpacked folder with nothing but PATH in its environment.
bare() { (cd "$pkg" && env -i PATH=/usr/bin:/bin "$@"); }

echo "test-package: $tarball"

# --- the tarball and its files -------------------------------------------------------------------
if [ -f "$tarball.sha256" ]; then
  if out="$(cd "$(dirname "$tarball")" && sha256sum -c "$(basename "$tarball").sha256" 2>&1)"; then
    ok "tarball matches $(basename "$tarball").sha256"
  else fail "tarball does not match its .sha256" "$out"; fi
fi
tar -xzf "$tarball" -C "$work" || { fail "unpack $tarball"; echo "test-package: FAIL"; echo "package: $passed passed, $failed failed"; exit 1; }
pkg="$work/$name"
bin=./bin/authgear-migrate

missing=""
for f in bin/authgear-migrate share/man/man1/authgear-migrate.1 share/bash-completion/completions/authgear-migrate \
         share/zsh/site-functions/_authgear-migrate share/fish/vendor_completions.d/authgear-migrate.fish \
         README.md INSTALL SHA256SUMS samples/legacy-users.json samples/legacy-users.csv samples/legacy-users.mapping.json; do
  [ -s "$pkg/$f" ] || missing+="$f "
done
[ -x "$pkg/bin/authgear-migrate" ] || missing+="(bin/authgear-migrate not executable) "
if [ -z "$missing" ]; then ok "$name/ holds the binary, man page, completions, README, INSTALL, samples, SHA256SUMS"
else fail "missing from the tarball: $missing"; fi

if out="$(bare sha256sum -c --strict SHA256SUMS 2>&1)"; then
  listed="$(cut -d' ' -f3- "$pkg/SHA256SUMS" | LC_ALL=C sort)"
  present="$(cd "$pkg" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort)"
  if [ "$listed" = "$present" ]; then ok "SHA256SUMS matches all $(printf '%s\n' "$present" | wc -l) files"
  else fail "SHA256SUMS does not list exactly the files in the tarball" "$(diff <(echo "$listed") <(echo "$present"))"; fi
else fail "sha256sum -c SHA256SUMS" "$out"; fi

# --- no library from the Swift toolchain ---------------------------------------------------------
toolchain_libs='/opt/swift|libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libXCTest|libTesting'
swift_bin="$(command -v swift 2>/dev/null || true)"
toolchain_dir=""
[ -z "$swift_bin" ] || toolchain_dir="$(cd "$(dirname "$(readlink -f "$swift_bin")")/../.." && pwd)"
[ -n "$toolchain_dir" ] && [ "$toolchain_dir" != / ] && [ "$toolchain_dir" != /usr ] && toolchain_libs+="|^[^ ]* => $toolchain_dir/"
libs="$(bare ldd "$bin" 2>&1)"
bad="$(printf '%s\n' "$libs" | sed 's/^[[:space:]]*//' | grep -E "$toolchain_libs|not found")"
if [ -z "$bad" ] && printf '%s\n' "$libs" | grep -q 'libc.so'; then
  ok "ldd: $(printf '%s\n' "$libs" | wc -l) libraries, all from the system: $(printf '%s\n' "$libs" | awk '{print $1}' | sed 's/\.so.*//' | tr '\n' ' ')"
else fail "ldd shows libraries from the Swift toolchain or missing ones" "${bad:-$libs}"; fi

hide=""
for d in /opt/swift "$toolchain_dir"; do
  [ -n "$d" ] && [ -d "$d" ] && [ "$d" != / ] && [ "$d" != /usr ] && [[ " $hide" != *" $d "* ]] && hide+="$d "
done
if [ -n "$hide" ] && [ "$(id -u)" -eq 0 ] && unshare --mount --propagation private true 2>/dev/null; then
  script='for d in '"$hide"'; do mount -t tmpfs -o size=1m none "$d" || exit 97; done
          [ -z "$(ls -A '"${hide%% *}"')" ] || exit 98
          cd "$1" && exec env -i PATH=/usr/bin:/bin sh -c "./bin/authgear-migrate --version
            ./bin/authgear-migrate validate samples/legacy-users.json > /dev/null; echo validate status \$?"'
  out="$(unshare --mount --propagation private sh -c "$script" sh "$pkg" 2>&1)"; status=$?
  if [ "$status" -eq 0 ] && [[ "$out" == "authgear-migrate $version (commit "* ]] && [[ "$out" == *"validate status 1" ]]; then
    ok "with ${hide% } hidden (an empty tmpfs over it): --version and validate run ($(head -1 <<<"$out"))"
  else fail "with ${hide% } hidden: --version and validate (status $status)" "$out"; fi
else
  echo "note  the toolchain's folder was not hidden for a run (needs root and unshare); ldd above is the check"
fi

# --- --version ----------------------------------------------------------------------------------
out="$(bare "$bin" --version 2>&1)"; status=$?
want="authgear-migrate $version (commit "
if [ "$status" -eq 0 ] && [[ "$out" == "$want"* ]] && [[ "$out" =~ \(commit\ [0-9a-f]{40} ]] &&
   { [ -z "$expect_commit" ] || [[ "$out" == *"commit $expect_commit"* ]]; }; then
  ok "--version: $out"
else fail "--version printed \"$out\" (status $status), expected \"$want${expect_commit:-<40 hex>}…\""; fi

# --- validate on the bundled samples -------------------------------------------------------------
out="$(bare "$bin" validate samples/legacy-users.json --show 3 2>&1)"; status=$?
if [ "$status" -eq 1 ] && grep -q '40 records' <<<"$out" && grep -qE 'with errors +10$' <<<"$out"; then
  ok "validate samples/legacy-users.json: 40 records, 10 with errors (status 1)"
else fail "validate samples/legacy-users.json (status $status, expected 1 and 40 records, 10 with errors)" "$out"; fi
out="$(bare "$bin" validate samples/legacy-users.csv --mapping samples/legacy-users.mapping.json --json 2>&1)"; status=$?
if [ "$status" -eq 0 ] && grep -q '"records":12,"valid":12,' <<<"$out"; then
  ok "validate samples/legacy-users.csv --mapping …: $(grep '"summary"' <<<"$out")"
else fail "validate samples/legacy-users.csv --mapping (status $status, expected 0 and 12 valid records)" "$out"; fi

# --- man page and completions -------------------------------------------------------------------
man="$pkg/share/man/man1/authgear-migrate.1"
if grep -q '^\.Dt AUTHGEAR-MIGRATE 1' "$man" && grep -q 'validate' "$man" && grep -q 'sandbox' "$man"; then
  if command -v groff >/dev/null 2>&1; then
    text="$(groff -mandoc -Tutf8 -P-cbou "$man" 2>"$work/groff.err")"
    if grep -q 'NAME' <<<"$text" && grep -q 'SYNOPSIS' <<<"$text" && [ ! -s "$work/groff.err" ]; then
      ok "man page renders without a warning ($(wc -l <<<"$text") lines with groff -mandoc)"
    else fail "man page does not render cleanly" "$(head -20 "$work/groff.err")"; fi
  else ok "man page is an mdoc page naming every command (groff not installed: not rendered)"; fi
else fail "man page lacks its header or commands" "$(head -5 "$man")"; fi
comp="$pkg/share/bash-completion/completions/authgear-migrate"
if bash -n "$comp" && grep -q 'validate' "$comp" && grep -q '^#compdef authgear-migrate' "$pkg/share/zsh/site-functions/_authgear-migrate" &&
   grep -qE "^complete -c '?authgear-migrate'? " "$pkg/share/fish/vendor_completions.d/authgear-migrate.fish"; then
  ok "completions: bash (parses with bash -n), zsh (#compdef), fish (complete -c)"
else fail "completions"; fi

# --- a sandbox in the background on a loopback port, then check and an import against it ---------
(cd "$pkg" && exec env -i PATH=/usr/bin:/bin "$bin" sandbox --host 127.0.0.1 --port 0 --dir "$work/sandbox" --record-latency 0) \
  > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 300); do
  grep -q 'listening' "$work/sandbox.log" 2>/dev/null && break
  kill -0 "$sandbox_pid" 2>/dev/null || break
  sleep 0.1
done
if grep -q 'sandbox listening on http://127.0.0.1:' "$work/sandbox.log" && [ -f "$work/sandbox/sandbox.env" ]; then
  ok "sandbox: $(grep 'listening' "$work/sandbox.log")"
  settings=()
  while IFS= read -r line; do [ -n "$line" ] && settings+=("$line"); done < "$work/sandbox/sandbox.env"
  out="$(bare "${settings[@]}" "$bin" check 2>&1)"; status=$?
  if [ "$status" -eq 0 ]; then ok "check against the sandbox: every step passed"
  else fail "check against the sandbox (status $status)" "$out"; fi
  out="$(bare "${settings[@]}" "$bin" import samples/legacy-users.json --skip-invalid --yes \
           --journal "$work/journal.sqlite" 2>&1)"; status=$?
  if [ "$status" -eq 0 ] && [ -s "$work/journal.sqlite" ]; then
    ok "import samples/legacy-users.json --skip-invalid into the sandbox: $(grep -iE 'inserted' <<<"$out" | tail -1 | sed 's/^[[:space:]]*//')"
  else fail "import into the sandbox (status $status)" "$out"; fi
else
  fail "sandbox did not start" "$(cat "$work/sandbox.log")"
fi

if [ "$failed" -eq 0 ]; then echo "test-package: PASS ($name works in a bare environment)"
else echo "test-package: FAIL ($failed of $((passed + failed)) checks failed)"; fi
echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
