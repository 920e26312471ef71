#!/usr/bin/env bash
# The examples of README.md and docs/ (docs/*.md, docs/modules/*.md), run against the built
# standalone and checked for what the text says they print. CI runs it after the standalone smoke
# test (.ci/run); locally: `mvn -q -DskipTests package && .ci/docs-examples.sh [file.md ...]`.
#
# What is an example: every line of a fenced block whose info string is `sh` (lines ending in `\`
# continue on the next; blank lines and lines starting with `#` are comments). Every other fenced
# block must say what it is with its info string (text, ini, json, nginx...): a block without one
# fails the check, so no command block escapes it. An HTML comment right before an `sh` block
# tells what its commands must do; without one, each must exit 0:
#
#   <!-- check: skip <reason> -->        the block cannot run here; the reason is printed and counted
#   <!-- check 2: skip <reason> -->      the same for its 2nd command
#   <!-- check 2: exit 6 -->             the 2nd command must exit 6 (default 0)
#   <!-- check 2: out <ERE> -->          its output (stdout and stderr) must match (grep -E); {agent}
#                                        stands for the demo agent's name (the host's name)
#   <!-- check 2: not <ERE> -->          ... must not match
#   <!-- check: before <shell> -->       set-up run once before the block (its exports are kept)
#   <!-- check: restart -->              restart the standalone before the block (after its set-up)
#   <!-- check: intree -->               the block runs in the source tree (for install recipes that copy
#                                        from it), not in the scratch folder
#   <!-- check: together -->             the block is one script (its commands share variables); the
#                                        block's rules (no number) apply to it as a whole
#
# Several rules may share one comment, one per line (`<!-- check` ... `2: exit 6` ... `-->`); there
# a rule for the whole block needs no `:` (`before ...`, `together`).
#
# How the examples meet this machine: the standalone runs in a scratch HOME (so ~/.migrc and
# ~/.mig-standalone are its own) on free ports; the tools are on the PATH as `mig`, `mig-console`...
# and `bin/` works too; commands run in a scratch folder. Before a command runs, these literals of
# the docs become this run's values: `localhost:1664` and `127.0.0.1:1664` the API's address,
# `-lp 1664` the API's port, `28090946682984` (the docs' sample action ID) the ID of an
# investigation this script launches first, `/opt/mig` a scratch install folder.
# MIG_NO_COUNTDOWN=1 and NO_COLOR=1 are set. Each command has MIG_DOCS_TIMEOUT seconds (default 240).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch=$(mktemp -d /tmp/mig-docs.XXXXXX)
timeout_s=${MIG_DOCS_TIMEOUT:-240}
# the client launchers' class-data archive (mig-client/launch) is kept where the user keeps it
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$HOME/.cache}
export HOME="$scratch/home" MIG_NO_COUNTDOWN=1 NO_COLOR=1 GNUPGHOME="$scratch/gnupg"
mkdir -p "$HOME" "$scratch/path" "$scratch/work" "$scratch/out"
mkdir -m 700 "$GNUPGHOME"
for t in "$root"/bin/mig*; do ln -s "$t" "$scratch/path/"; done
for d in bin conf packaging bench docs docker; do ln -s "$root/$d" "$scratch/work/$d"; done
export PATH="$scratch/path:$PATH"
log="$scratch/standalone.out"
pid=""

say() { printf '[docs] %s\n' "$*"; }

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  if [ -n "${pid2:-}" ] && kill -0 "$pid2" 2>/dev/null; then kill -KILL "$pid2" 2>/dev/null || true; fi
  gpgconf --kill gpg-agent 2>/dev/null || true # the examples' gpg started one for the scratch GNUPGHOME
  rm -rf "$scratch"
}
trap cleanup EXIT

start() { # [api port]: a restart keeps the API's port, which migrcs written since name
  : > "$log"
  set -m # so the background job does not inherit an ignored SIGINT
  "$root/bin/mig-standalone" --api-port "${1:-0}" --amqp-port 0 > "$log" 2>&1 &
  pid=$!
  set +m
  for _ in $(seq 1 240); do
    grep -q "Press Ctrl-C to stop." "$log" && break
    kill -0 "$pid" 2>/dev/null || { say "mig-standalone exited early:"; cat "$log"; return 1; }
    sleep 0.5
  done
  grep -q "Press Ctrl-C to stop." "$log" || { say "mig-standalone not ready after 120 s:"; cat "$log"; return 1; }
  api_port=$(sed -n 's#^  API *http://localhost:\([0-9]*\)/.*#\1#p' "$log")
  agent=$(sed -n 's/^  agent *\([^ ]*\) .*/\1/p' "$log")
}

stop() {
  kill -INT "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "mig-standalone did not stop on SIGINT"; return 1; fi
  pid=""
}

# One line per command: file, line, block, index, skip reason, exit, outs, nots, befores, restart,
# command (fields split by \x1f, lists by \x1e). Blocks without an info string: kind "U".
extract() {
  awk -v US=$'\x1f' -v RS_=$'\x1e' -v GS=$'\x1d' '
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
    function rule(line,    m, idx, r) {
      sub(/-->.*/, "", line); line = trim(line)
      if (line == "") return
      if (line ~ /^(together|restart|intree)$/ || line ~ /^(before|skip|exit|out|not)[ \t]/) { rules[++nrules] = US line; return }
      if (!match(line, /^[0-9]*[ \t]*:/)) { bad = bad FILENAME ":" FNR ": unreadable check rule: " line "\n"; return }
      idx = trim(substr(line, 1, RLENGTH - 1)); r = trim(substr(line, RLENGTH + 1))
      rules[++nrules] = idx US r
    }
    function flush_rules() { nrules = 0 }
    function emit(cmd, line,    i, idx, r, verb, arg, skip, code, outs, nots, befores, restart) {
      skip = ""; code = 0; outs = ""; nots = ""; befores = ""; restart = 0; intree = 0
      for (i = 1; i <= nb; i++) {
        split(brules[i], p, US); idx = p[1]; r = p[2]
        if (idx != "" && idx != cmdidx) continue
        verb = r; sub(/[ \t].*/, "", verb); arg = r; if (!sub(/^[^ \t]+[ \t]+/, "", arg)) arg = ""
        if (verb == "skip") skip = (arg == "" ? "no reason given" : arg)
        else if (verb == "exit") code = arg
        else if (verb == "out") outs = outs (outs == "" ? "" : RS_) arg
        else if (verb == "not") nots = nots (nots == "" ? "" : RS_) arg
        else if (verb == "before" && idx == "") befores = befores (befores == "" ? "" : RS_) arg
        else if (verb == "restart" && idx == "") restart = 1
        else if (verb == "together" && idx == "") continue
        else if (verb == "intree" && idx == "") intree = 1
        else bad = bad FILENAME ":" line ": unknown check rule: " r "\n"
      }
      print "C" US FILENAME US line US FILENAME ":" bstart US cmdidx US skip US code US outs US nots US befores US restart US intree US cmd
    }
    FNR == 1 { inblock = 0; incomment = 0; nrules = 0 }
    !inblock && /^[ \t]*<!--[ \t]*check([ \t:0-9]|$)/ {
      line = $0; sub(/^[ \t]*<!--[ \t]*check/, "", line); rule(line)
      incomment = ($0 !~ /-->/); next
    }
    incomment { rule($0); if ($0 ~ /-->/) incomment = 0; next }
    !inblock && /^[ \t]*```/ {
      indent = $0; sub(/```.*/, "", indent); info = trim(substr($0, length(indent) + 4))
      inblock = 1; bstart = FNR; cmdidx = 0; cont = ""; contline = 0
      issh = (info == "sh")
      if (info == "") print "U" US FILENAME US FNR
      if (!issh && nrules > 0) bad = bad FILENAME ":" FNR ": check rules before a block that is not sh\n"
      nb = 0; together = 0
      for (i = 1; i <= nrules; i++) { brules[++nb] = rules[i]; if (rules[i] == US "together") together = 1 }
      script = ""; scriptline = 0
      flush_rules(); next
    }
    inblock && /^[ \t]*```[ \t]*$/ {
      inblock = 0
      if (issh && together && script != "") { cmdidx = 1; emit(script, scriptline) }
      next
    }
    inblock && issh {
      line = $0; sub("^" indent, "", line)
      if (cont == "" && (line ~ /^[ \t]*$/ || line ~ /^[ \t]*#/)) next
      if (cont == "") contline = FNR
      if (line ~ /\\$/) { sub(/\\$/, "", line); cont = cont line; next }
      cmd = cont line; cont = ""; cmdidx++
      if (together) { script = script (script == "" ? "" : GS) cmd; if (!scriptline) scriptline = contline }
      else emit(cmd, contline)
      next
    }
    !inblock && nrules > 0 && $0 !~ /^[ \t]*$/ { bad = bad FILENAME ":" FNR ": check rules not followed by a block\n"; flush_rules() }
    END { if (bad != "") { printf "%s", bad > "/dev/stderr"; exit 3 } }
  ' "$@"
}

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  # the quickstart first: later examples use what it sets up (Bob, a second investigator)
  files=(README.md docs/quickstart.md $(ls docs/*.md | grep -v '^docs/quickstart.md$') docs/modules/*.md)
fi
extract "${files[@]}" > "$scratch/examples" || { say "the check rules above cannot be read"; exit 1; }
if grep -q $'^U\x1f' "$scratch/examples"; then
  say "fenced blocks without an info string (say sh for commands, which are run, or text/ini/json...):"
  grep $'^U\x1f' "$scratch/examples" | awk -F $'\x1f' '{print "  " $2 ":" $3}'
  exit 1
fi

t0=$(date +%s)
start || exit 1
say "standalone up on API port $api_port"
# the action the docs' sample ID stands for: one in which the (current) agent found something
sample_action() {
  local first
  first=$(mig file -t all -path /etc -name '^passwd$' 2>&1) || { say "the first investigation failed: $first"; return 1; }
  action_id=$(printf '%s\n' "$first" | sed -n 's/^Following action ID \([0-9]*\)\..*/\1/p')
  [ -n "$action_id" ] || { say "no action ID in: $first"; return 1; }
}
sample_action || exit 1

passed=0; failed=0; skipped=0; block=""
declare -A reasons=()
while IFS=$'\x1f' read -r kind file line blk idx skip code outs nots befores restart intree cmd; do
  [ "$kind" = C ] || continue
  where="$file:$line"
  if [ -n "$skip" ]; then
    skipped=$((skipped + 1)); reasons["$skip"]=$(( ${reasons["$skip"]:-0} + 1 ))
    say "skip $where: $cmd  ($skip)"
    continue
  fi
  if [ "$blk" != "$block" ]; then
    block=$blk
    if [ "$restart" = 1 ]; then
      # the agent comes back with a new ID: the sample action is made again for it
      stop && start "$api_port" && sample_action || exit 1
      say "standalone restarted (API port $api_port)"
    fi
    : > "$scratch/env"
    if [ -n "$befores" ]; then
      IFS=$'\x1e' read -r -a pre <<< "$befores"
      if ! (cd "$scratch/work" && bash -c "set -e; $(printf '%s\n' "${pre[@]}"); export -p") > "$scratch/env" 2> "$scratch/out/before" < /dev/null; then
        say "FAIL $blk: the set-up failed: $(cat "$scratch/out/before")"
        failed=$((failed + 1)); continue
      fi
    fi
  fi
  run=${cmd//$'\x1d'/$'\n'}
  cmd=${cmd//$'\x1d'/; }
  run=${run//localhost:1664/127.0.0.1:$api_port}
  run=${run//127.0.0.1:1664/127.0.0.1:$api_port}
  run=${run//-lp 1664/-lp $api_port}
  run=${run//28090946682984/$action_id}
  run=${run//\/opt\/mig/$scratch\/opt\/mig}
  out="$scratch/out/last"
  c0=$(date +%s)
  dir="$scratch/work"; [ "$intree" = 1 ] && dir=$root
  (cd "$dir" && timeout "$timeout_s" bash -c "source '$scratch/env'; $run") > "$out" 2>&1 < /dev/null
  rc=$?
  problem=""
  [ "$rc" = "$code" ] || problem="exit $rc, expected $code"
  if [ -n "$outs" ]; then
    IFS=$'\x1e' read -r -a want <<< "$outs"
    for re in "${want[@]}"; do re=${re//\{agent\}/$agent}; grep -Eq -- "$re" "$out" || problem="${problem:+$problem; }no output matches /$re/"; done
  fi
  if [ -n "$nots" ]; then
    IFS=$'\x1e' read -r -a unwanted <<< "$nots"
    for re in "${unwanted[@]}"; do re=${re//\{agent\}/$agent}; ! grep -Eq -- "$re" "$out" || problem="${problem:+$problem; }output matches /$re/"; done
  fi
  if [ -z "$problem" ]; then
    passed=$((passed + 1)); say "ok   $where ($(( $(date +%s) - c0 )) s): $cmd"
  else
    failed=$((failed + 1)); say "FAIL $where: $cmd"; say "     $problem; output:"; head -n 40 "$out" | sed 's/^/       /'; echo
  fi
done < "$scratch/examples"

# The banner tells the truth about ports (quickstart.md): a second platform started on the first
# one's API port must say it got another, and that the agent's stat socket port is held.
second="$scratch/second"
mkdir -p "$second"
set -m
"$root/bin/mig-standalone" --dir "$second" --migrc "$second/migrc" --api-port "$api_port" --amqp-port 0 > "$second.out" 2>&1 &
pid2=$!
set +m
for _ in $(seq 1 240); do grep -q "Press Ctrl-C to stop." "$second.out" && break; kill -0 "$pid2" 2>/dev/null || break; sleep 0.5; done
banner_ok=1
grep -q "^  API .*(port $api_port was taken, so another was picked; --api-port chooses)$" "$second.out" || banner_ok=0
grep -q "^  stat socket   127.0.0.1:51664 is held by another process" "$second.out" || banner_ok=0
kill -INT "$pid2" 2>/dev/null
for _ in $(seq 1 120); do kill -0 "$pid2" 2>/dev/null || break; sleep 0.5; done
kill -KILL "$pid2" 2>/dev/null || true
grep -q "ERROR" "$second/mig-standalone.log" && banner_ok=0
if [ "$banner_ok" = 1 ]; then
  passed=$((passed + 1)); say "ok   a second platform's banner says its API port was taken and the stat socket is held; it stopped without an ERROR"
else
  failed=$((failed + 1)); say "FAIL the second platform's banner or stop:"; sed 's/^/       /' "$second.out"; grep ERROR "$second/mig-standalone.log" | head -5
fi
stop || failed=$((failed + 1))
grep -q "ERROR" "$HOME/.mig-standalone/mig-standalone.log" && { say "the standalone logged errors:"; grep ERROR "$HOME/.mig-standalone/mig-standalone.log" | head; failed=$((failed + 1)); }

total=$((passed + failed + skipped))
say "$total examples in ${#files[@]} files: $passed ran as documented, $failed failed, $skipped skipped ($(( $(date +%s) - t0 )) s)"
for r in "${!reasons[@]}"; do say "  skipped ${reasons[$r]}: $r"; done
[ "$failed" -eq 0 ]
