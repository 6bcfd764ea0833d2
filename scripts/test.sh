#!/usr/bin/env bash
# Sets everything up (system packages when missing), runs the whole XCTest suite, then builds
# the release tarball once (scripts/package.sh) and checks it as a host without Swift would use
# it (scripts/test-package.sh). The exit status is non-zero when either part failed.
# PACKAGE=0 skips the tarball (a quicker local run; CI always builds and checks it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
# XCTest only: its closing line is XCTest's own verdict (see PLATFORM.md).
swift build --build-tests
xctest=0
swift test --skip-build --disable-swift-testing || xctest=$?
[ "${PACKAGE:-1}" != 0 ] || { [ "$xctest" -eq 0 ] || echo "test.sh: XCTest FAILED (status $xctest)"; exit "$xctest"; }

package=0
{ bash scripts/package.sh && bash scripts/test-package.sh; } || package=$?
if [ "$xctest" -ne 0 ] || [ "$package" -ne 0 ]; then
  echo "test.sh: FAILED:$([ "$xctest" -eq 0 ] || echo " XCTest (status $xctest)")$([ "$package" -eq 0 ] || echo " package (status $package)")"
  exit 1
fi
