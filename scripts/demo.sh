#!/usr/bin/env bash
# Sets everything up and runs the main job on the built-in defaults: a whole rehearsal of a
# migration of the bundled sample (40 users, a dozen realistic defects) into the built-in
# sandbox, which this script starts, seeds with a few existing users, and stops. Nothing
# leaves this machine.
#
# On a terminal it opens the TUI on the sample: fix the invalid records (Enter on an `err`
# row), press L to launch, watch the live progress, press v to review what failed or was
# skipped, r to retry a group, U to re-run skipped users with upsert, q to quit.
# Without a terminal (or with --headless) it runs the same rehearsal with the headless
# commands: validate, import, status, retry --skipped, report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
swift build --product authgear-migrate
bin="$(swift build --show-bin-path)/authgear-migrate"
sample=samples/legacy-users.json
work="$(mktemp -d "${TMPDIR:-/tmp}/authgear-migrate-demo.XXXXXX")"
export XDG_STATE_HOME="$work/state"    # the demo's journal, edits and log stay in $work

"$bin" sandbox --dir "$work/sandbox" --record-latency 20 > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening" "$work/sandbox.log" 2>/dev/null && break; sleep 0.1; done
grep -q "listening" "$work/sandbox.log" || { cat "$work/sandbox.log" >&2; exit 2; }
set -a; . "$work/sandbox/sandbox.env"; set +a
# Existing users: some records will be skipped ("user exists"), a few fail at the server.
python3 scripts/seed-demo.py --env "$work/sandbox/sandbox.env" > /dev/null
echo "== $(cat "$work/sandbox.log") (seeded with 8 existing users)"

if [ "${1:-}" != "--headless" ] && [ -t 0 ] && [ -t 1 ]; then
  "$bin" tui "$sample"
  echo "Journal, edits, TUI log and sandbox key are in $work"
  exit 0
fi

echo; echo "== authgear-migrate validate $sample"
status=0; "$bin" validate "$sample" --show 5 || status=$?
[ "$status" -le 1 ] || exit "$status"        # 1 = some records invalid: expected for this sample

echo; echo "== authgear-migrate import $sample --skip-invalid --yes --max-records 10"
status=0; "$bin" import "$sample" --skip-invalid --yes --max-records 10 || status=$?
[ "$status" -le 1 ] || exit "$status"        # 1 = some records failed at the server: expected here

echo; echo "== authgear-migrate status"
"$bin" status

echo; echo "== authgear-migrate retry --skipped --yes   (update the existing users with upsert)"
status=0; "$bin" retry --skipped --yes || status=$?
[ "$status" -le 1 ] || exit "$status"        # 1 = the run still has the failed records: expected here

echo; echo "== authgear-migrate report --outcome failed   (what the server refused, and why)"
"$bin" report --outcome failed
echo; echo "== authgear-migrate report --outcome invalid   (what still needs fixing)"
"$bin" report --outcome invalid
echo; echo "Journal, edits and sandbox key are in $work"
