#!/usr/bin/env bash
# Sets everything up and runs the main job on the built-in defaults: a full rehearsal of a
# migration of the bundled sample (40 users, a dozen realistic defects) into the built-in
# sandbox, which this script starts and stops itself. Nothing leaves this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
swift build --product authgear-migrate
bin="$(swift build --show-bin-path)/authgear-migrate"
sample=samples/legacy-users.json
work="$(mktemp -d "${TMPDIR:-/tmp}/authgear-migrate-demo.XXXXXX")"
export XDG_STATE_HOME="$work/state"    # the demo's journal and edits stay in $work

"$bin" sandbox --dir "$work/sandbox" --record-latency 20 > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening" "$work/sandbox.log" 2>/dev/null && break; sleep 0.1; done
grep -q "listening" "$work/sandbox.log" || { cat "$work/sandbox.log" >&2; exit 2; }
set -a; . "$work/sandbox/sandbox.env"; set +a
echo "== $(cat "$work/sandbox.log")"

echo; echo "== authgear-migrate validate $sample"
status=0; "$bin" validate "$sample" --show 5 || status=$?
[ "$status" -le 1 ] || exit "$status"        # 1 = some records invalid: expected for this sample

echo; echo "== authgear-migrate import $sample --skip-invalid --yes --max-records 10"
"$bin" import "$sample" --skip-invalid --yes --max-records 10

echo; echo "== authgear-migrate status"
"$bin" status

echo; echo "== authgear-migrate import $sample --skip-invalid --yes   (again: every user already exists)"
"$bin" import "$sample" --skip-invalid --yes

echo; echo "== authgear-migrate retry --skipped --yes   (update the existing users with upsert)"
"$bin" retry --skipped --yes

echo; echo "== authgear-migrate report --outcome invalid   (what still needs fixing)"
"$bin" report --outcome invalid
echo; echo "Journal, edits and sandbox key are in $work"
