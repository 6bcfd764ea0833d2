#!/usr/bin/env bash
# Regenerates the README screenshots (screenshots/*.png) by driving the TUI in a detached
# 120x36 tmux window against the built-in sandbox, which this script starts, seeds and stops.
# Nothing leaves this machine; the journal and edits live in a temporary XDG_STATE_HOME.
#
#   records-issues.png  records table, an invalid record selected, the inspector's problem
#   editor.png          the editor on that record, mid-edit with the value prompt open
#   progress.png        live progress of a multi-batch run (a generated 8,000-record sample)
#   review.png          failure review: server-side failures grouped by reason
#   skipped-upsert.png  the "re-run skipped users with upsert" confirmation
#   verify.png          the Verify screen after that run: totals and problems by kind
#   rollback.png        rollback from the Runs screen, waiting for the typed project id
#   bulk.png            a bulk operation's preview on every record (lowercase /email)
#
# Usage: scripts/screenshots.sh          (builds first; about 20 s after the build)
# Environment: BIN=path (use this binary instead of building), OUT=dir (default screenshots,
#   relative to the repository root),
#   SCALE=1|2 (default 2), KEEP=1 (keep the work directory and print it).
set -euo pipefail
[ -z "${BIN:-}" ] || BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
cd "$(dirname "$0")/.."

bash scripts/setup-screenshots.sh
if [ -z "${BIN:-}" ]; then
  bash scripts/setup.sh
  [ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
  swift build --product authgear-migrate
  BIN="$(swift build --show-bin-path)/authgear-migrate"
fi
out="${OUT:-screenshots}"
scale="${SCALE:-2}"
cols=120 rows=36
mkdir -p "$out"

work="$(mktemp -d "${TMPDIR:-/tmp}/authgear-migrate-shots.XXXXXX")"
sock=""    # the private tmux server of the current TUI session (one per session)
sandbox_pid=""
cleanup() {
  [ -z "$sock" ] || tmux -S "$sock" kill-server 2>/dev/null || true
  [ -z "$sandbox_pid" ] || kill "$sandbox_pid" 2>/dev/null || true
  if [ "${KEEP:-}" = 1 ]; then echo "screenshots: work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- the sandbox: a few ms per record, so a multi-batch run takes some seconds -------------
"$BIN" sandbox --dir "$work/sandbox" --record-latency 2 > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 100); do grep -q "listening" "$work/sandbox.log" 2>/dev/null && break; sleep 0.1; done
grep -q "listening" "$work/sandbox.log" || { cat "$work/sandbox.log" >&2; exit 2; }

# --- a generated sample for the progress shot, and the users it finds already there ---------
python3 - "$work/corp-users.json" "$work/corp-seed.json" 8000 <<'PY'
import json, sys
out, seed_out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
first = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger",
         "Radia", "Tim", "Hedy", "John", "Katherine", "Donald", "Mary", "Guido", "Sophie", "Niklaus"]
last = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Dijkstra", "Allen",
        "Perlman", "Lee", "Lamarr", "Knuth", "Ritchie", "Wirth", "McCarthy", "Johnson", "Keller", "Wilson", "Rossum"]
bcrypt = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
records, seed = [], []
for i in range(n):
    g, f = first[(i * 7) % len(first)], last[(i * 13 + i // 20) % len(last)]
    email = f"{g}.{f}{i}@corp.example.com".lower()
    r = {"email": email, "email_verified": True, "name": f"{g} {f}", "given_name": g, "family_name": f,
         "password": {"type": "bcrypt", "password_hash": bcrypt}}
    if i % 3 == 0:
        # +852 6x/9x numbers, never one of the bundled sample's (theirs have 0-3 as 5th digit)
        r["phone_number"] = f"+852{(61, 64, 94, 96, 97)[i % 5]}{8 + i % 2}{(i * 7919) % 100000:05d}"
        r["phone_number_verified"] = True
    invalid = i % 97 == 11 or i % 89 == 20
    if i % 97 == 11:
        r["email"] = email.replace("@", ".")               # invalid: no @
    if i % 89 == 20:
        r["phone_number"] = "5550100"                      # invalid: not E.164
    if i % 83 == 5 and not invalid:                        # already there: skipped
        seed.append({"ref": f"corp-{i}", "identities": [{"type": "login_id", "key": "email", "value": email}]})
    elif i % 150 == 30 and not invalid:                    # phone taken by someone else: fails at the server
        seed.append({"ref": f"corp-phone-{i}", "identities": [
            {"type": "login_id", "key": "email", "value": f"old{i}@corp.example.org"},
            {"type": "login_id", "key": "phone", "value": r["phone_number"]}]})
    records.append(r)
with open(out, "w") as fh:
    json.dump(records, fh, indent=1)
with open(seed_out, "w") as fh:
    json.dump(seed, fh)
PY
python3 scripts/seed-demo.py --env "$work/sandbox/sandbox.env" --extra-json "$work/corp-seed.json"

# --- tmux helpers ---------------------------------------------------------------------------
printf 'set -g status off\nset -g history-limit 0\n' > "$work/tmux.conf"
T() { tmux -S "$sock" "$@"; }
screen_text() { T capture-pane -p -t shot 2>/dev/null; }
keys() { T send-keys -t shot "$@"; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT (a fixed string).
wait_for() {
  local deadline=$((SECONDS + ${2:-20}))
  until screen_text | grep -qF -- "$1"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "screenshots: timed out waiting for \"$1\"; the screen was:" >&2
      screen_text >&2
      exit 1
    fi
    sleep 0.1
  done
}
# wait_for_re REGEX [SECONDS]: until the screen matches an extended regex.
wait_for_re() {
  local deadline=$((SECONDS + ${2:-20}))
  until screen_text | grep -qE -- "$1"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "screenshots: timed out waiting for /$1/; the screen was:" >&2
      screen_text >&2
      exit 1
    fi
    sleep 0.1
  done
}
# start_tui NAME FILE: a fresh TUI (own journal) on FILE, connection settings from sandbox.env.
start_tui() {
  sock="$work/tmux-$1.sock"    # a new server each time: no race with the last one exiting
  local envs=(-e "XDG_STATE_HOME=$work/state-$1" -e "TERM=xterm-256color" -e "LANG=C.UTF-8")
  while IFS= read -r line; do [ -n "$line" ] && envs+=(-e "$line"); done < "$work/sandbox/sandbox.env"
  T -f "$work/tmux.conf" new-session -d -s shot -x "$cols" -y "$rows" "${envs[@]}" "$BIN" tui "$2"
}
stop_tui() {
  T kill-server 2>/dev/null || true
}
# render ANS PNG SCALE TITLE
render() {
  python3 scripts/render-capture.py "$1" --width "$cols" --height "$rows" --scale "$3" --title "$4" \
    -o "$2" >/dev/null 2>"$work/render.err" || { cat "$work/render.err" >&2; exit 1; }
}
# shoot NAME TITLE: the screen as it is now -> $out/NAME.png (cursor drawn when it is visible).
shoot() {
  local ans="$work/$1.ans" png="$out/$1.png"
  T capture-pane -p -e -N -t shot > "$ans"
  read -r cx cy cflag < <(T display -p -t shot '#{cursor_x} #{cursor_y} #{cursor_flag}')
  [ "$cflag" = 1 ] && python3 - "$ans" "$cx" "$cy" <<'PY'
# Draws the cursor into the capture (tmux leaves it out): reverse video on the cell under it.
import re, sys, unicodedata
path, cx, cy = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = open(path, encoding="utf-8").read().split("\n")
if cy < len(lines):
    line, col, pos = lines[cy], 0, 0
    esc = re.compile(r"\x1b\[[0-9;:]*[A-Za-z]|\x1b[()][0-9A-Za-z]|[\x0e\x0f]")
    while pos < len(line) and col < cx:
        m = esc.match(line, pos)
        if m:
            pos = m.end()
            continue
        col += 2 if unicodedata.east_asian_width(line[pos]) in "WF" else 1
        pos += 1
    while pos < len(line) and esc.match(line, pos):
        pos = esc.match(line, pos).end()
    if pos < len(line):
        lines[cy] = line[:pos] + "\x1b[7m" + line[pos] + "\x1b[27m" + line[pos + 1:]
    else:
        lines[cy] = line + " " * (cx - col) + "\x1b[7m \x1b[0m"
    open(path, "w", encoding="utf-8").write("\n".join(lines))
PY
  render "$ans" "$png" "$scale" "$2"
  if [ "$(stat -c %s "$png")" -gt 400000 ] && [ "$scale" != 1 ]; then
    render "$ans" "$png" 1 "$2"            # README images stay under 400 KB
  fi
  echo "screenshots: $png ($(( $(stat -c %s "$png") / 1024 )) KB)" >&2
}

# --- 1. the bundled sample: records, editor, launch, review, upsert ---------------------------
sample=samples/legacy-users.json
title="authgear-migrate tui $sample"
start_tui legacy "$sample"
wait_for_re "40 records · 10 invalid"
for _ in 1 2 3 4 5; do keys j; done
wait_for "Record 5 · line 7"
wait_for "[format.email]"
shoot records-issues "$title"

keys Enter
wait_for "Record 5 · line 7 · INVALID"
keys Enter
wait_for "/email (text) ="
keys C-u
keys -l "margaret.hamilton5@example.com"
wait_for "/email (text) = margaret.hamilton5@example.com"
shoot editor "$title"
keys Escape                                   # cancel the prompt: the record stays as it is
wait_for "Enter edit  a add"
keys Escape
wait_for "Enter edit  / search"

keys L
wait_for "Import settings"
keys L
wait_for "Launch the import?"
keys y
wait_for_re "finished: .*v to review" 60
keys v
wait_for "Failed, by reason"
wait_for "InvariantViolated"
shoot review "$title"

keys Tab
wait_for "user already existed"
keys U
wait_for "skipped users with upsert?"
shoot skipped-upsert "$title"
keys Escape
wait_for " cancelled"                          # a key sent within ncurses' escape delay would read as Alt-key
keys V
wait_for "Verified run" 60
shoot verify "$title"
keys Escape
sleep 0.3
keys R
wait_for "Runs in the journal"
keys D
wait_for "Type the project id" 30
shoot rollback "$title"
keys Escape
sleep 0.3
keys Escape
wait_for "· Review ·"
sleep 0.3
keys Escape
wait_for "Enter edit  / search"
keys M
keys b
wait_for "Bulk operation on 40 marked records"
keys 5
keys Enter
wait_for_re "of 40 records change" 30
shoot bulk "$title"
keys Escape
sleep 0.3
keys Escape
stop_tui

# --- 2. a generated 8,000-record sample: progress mid-run --------------------------------------
title="authgear-migrate tui corp-users.json"
start_tui corp "$work/corp-users.json"
wait_for_re "8,?000 records · [0-9,]+ invalid" 60
keys L
wait_for "Import settings"
keys L
wait_for "Launch the import?"
keys y
wait_for "Importing ·"
# Wait until at least two batches have their outcomes (the server reports a job only when it is
# complete), while the run is still going.
deadline=$((SECONDS + 120))
until [ "$(screen_text | grep -cE ' completed  userimport_')" -ge 2 ]; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "screenshots: the run did not progress" >&2; screen_text >&2; exit 1; }
  sleep 0.1
done
screen_text | grep -qF "Importing ·" || { echo "screenshots: the run finished before the capture; raise --record-latency" >&2; exit 1; }
shoot progress "$title"
keys q
wait_for "An import is running"
keys y
stop_tui

echo "screenshots: wrote records-issues, editor, review, skipped-upsert, verify, rollback, bulk and progress PNGs to $out/" >&2
