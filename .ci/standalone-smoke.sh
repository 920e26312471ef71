#!/usr/bin/env bash
# The README's demo, checked from the built artifacts: start bin/mig-standalone in a scratch HOME,
# run the README's investigation with bin/mig, check the printed line, stop it with Ctrl-C (SIGINT)
# and check that nothing is left running; then start it again and check it reuses its data.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch=$(mktemp -d /tmp/mig-smoke.XXXXXX)
export HOME="$scratch"
log="$scratch/standalone.out"
pid=""

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

start() {
  : > "$log"
  # job control on, so the background job does not inherit an ignored SIGINT (Ctrl-C must work)
  set -m
  "$root/bin/mig-standalone" --dir "$scratch/demo" > "$log" 2>&1 &
  pid=$!
  set +m
  for _ in $(seq 1 120); do
    grep -q "Press Ctrl-C to stop." "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "[smoke] mig-standalone exited early:"; cat "$log"; return 1; }
    sleep 0.5
  done
  echo "[smoke] mig-standalone not ready after 60 s:"; cat "$log"; return 1
}

stop() {
  kill -INT "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then echo "[smoke] mig-standalone did not stop on SIGINT"; return 1; fi
  grep -q "^stopped.$" "$log" || { echo "[smoke] no clean stop:"; cat "$log"; return 1; }
  if pgrep -f "$scratch/demo/pgdata" > /dev/null; then echo "[smoke] a PostgreSQL process was left behind"; return 1; fi
  pid=""
}

start
grep "ready in" "$log"
agent=$(sed -n 's/^  agent *\([^ ]*\) .*/\1/p' "$log")
fingerprint=$(sed -n 's/^  investigator .* \([0-9A-F]\{40\}\),.*/\1/p' "$log")
out=$(MIG_NO_COUNTDOWN=1 "$root/bin/mig" file -t all -path /usr/bin -name '^ls$' 2> "$scratch/mig.err")
echo "[smoke] mig printed: $out"
if ! printf '%s\n' "$out" | grep -Eq "^$agent /usr/bin/ls \[lastmodified:[^]]+, mode:-rwxr-xr-x, size:[0-9]+\] in search 's1'$"; then
  echo "[smoke] unexpected output; stderr was:"; cat "$scratch/mig.err"; exit 1
fi
stop
echo "[smoke] first run: investigation answered, platform stopped cleanly"

start
grep -q "$fingerprint" "$log" || { echo "[smoke] second start made a new investigator key"; cat "$log"; exit 1; }
MIG_NO_COUNTDOWN=1 "$root/bin/mig" file -t all -path /usr/bin -name '^ls$' 2>/dev/null | grep -q "/usr/bin/ls"
stop
echo "[smoke] second run reused the demo data ($fingerprint); 2 passed, 0 failed"
