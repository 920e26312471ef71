#!/usr/bin/env bash
# Entry point of docker/Dockerfile: starts the MIG standalone platform in the background, waits
# until it says it is running, then
#   - runs the command given to `docker run` and stops the platform (`docker run --rm img mig ...`);
#   - or opens a shell with `mig` on the PATH (`docker run -it img`); leaving it stops the platform;
#   - or, with no terminal and no command (`docker run -d img`), keeps the platform running.
# SIGTERM (`docker stop`) or SIGINT stops the command or shell, then the platform, cleanly.
#
# MIG_STANDALONE_OPTS: extra options of mig-standalone (e.g. "--api-port 1665 --heartbeat 10").
set -euo pipefail

demo=${HOME}/.mig-standalone
console=$demo/console.log
platform=""
child=""
child_is_shell=""
shown=0

if ! mkdir -p "$demo" 2> /dev/null || [ ! -w "$demo" ]; then
  echo "mig: the demo folder $demo is not writable by $(id -un) (uid $(id -u)); mount a named volume" \
    "there (-v mig-demo:$demo) or a folder owned by uid $(id -u)" >&2
  exit 1
fi
if [ -f "$demo/investigator/secring.gpg" ]; then
  echo "reusing the demo data in $demo (investigator key, database, agent trust)"
else
  echo "new demo data in $demo (mount a named volume there to keep it: -v mig-demo:$demo)"
fi

# What the platform printed since the last call (its stopping lines, an error).
show_console() {
  [ -f "$console" ] || return 0
  tail -n "+$((shown + 1))" "$console"
  shown=$(wc -l < "$console")
}

stop_platform() {
  if [ -n "$platform" ] && kill -0 "$platform" 2> /dev/null; then
    kill -TERM "$platform" 2> /dev/null || true
    wait "$platform" 2> /dev/null || true
    show_console
  fi
  platform=""
}

# SIGTERM/SIGINT: end the command or shell (an interactive bash ignores SIGTERM but not SIGHUP),
# give it 3 s, then stop the platform: all well within `docker stop`'s 10 s.
on_signal() {
  trap - TERM INT
  if [ -n "$child" ] && kill -0 "$child" 2> /dev/null; then
    kill -"$([ -n "$child_is_shell" ] && echo HUP || echo TERM)" "$child" 2> /dev/null || true
    for _ in $(seq 1 30); do kill -0 "$child" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$child" 2> /dev/null || true
  fi
  stop_platform
  exit "$1"
}
# Ctrl-C on the container's terminal reaches the command too, which handles it (mig stops
# following its action, mig-console goes on); otherwise SIGINT stops everything like SIGTERM.
on_int() {
  if [ -t 0 ] && [ -n "$child" ] && kill -0 "$child" 2> /dev/null; then
    return
  fi
  on_signal 130
}
trap 'on_signal 143' TERM
trap on_int INT
trap stop_platform EXIT

echo "starting the MIG platform (embedded PostgreSQL and AMQP broker, API, scheduler, one agent)..."
# shellcheck disable=SC2086 # MIG_STANDALONE_OPTS is a list of options
mig-standalone ${MIG_STANDALONE_OPTS:-} > "$console" 2>&1 < /dev/null &
platform=$!
for _ in $(seq 1 1200); do
  grep -q '^Press Ctrl-C to stop' "$console" && break
  if ! kill -0 "$platform" 2> /dev/null; then
    show_console >&2
    echo "the MIG platform did not start (its output is above)" >&2
    platform=""
    exit 1
  fi
  sleep 0.1
done
if ! grep -q '^Press Ctrl-C to stop' "$console"; then
  show_console >&2
  echo "the MIG platform was not ready after 120 s (its output is above)" >&2
  exit 1
fi
# the platform's summary, without its hints for a terminal outside the container
sed -e '/^From another terminal/,$d' "$console"
shown=$(wc -l < "$console")

# Runs "$@" in the background (so a signal reaches on_signal at once) with the container's stdin.
# A background command of a script starts with SIGINT and SIGQUIT ignored, and so would everything
# the shell runs: Ctrl-C would not stop `mig` (its countdown went on); the subshell restores them.
run_child() {
  exec 3<&0
  (
    trap - INT QUIT
    exec "$@"
  ) <&3 3<&- &
  child=$!
  exec 3<&-
  local status=0
  while :; do
    wait "$child" && status=0 || status=$?
    # a status above 128 may be a trapped signal that interrupted wait, the child still running
    kill -0 "$child" 2> /dev/null || break
  done
  child=""
  return "$status"
}

if [ $# -gt 0 ]; then
  # a one-shot container is thrown away: no class-data archive for mig's next start
  export MIG_NO_CDS=${MIG_NO_CDS:-1}
  status=0
  run_child "$@" || status=$?
  exit "$status"
fi
if [ ! -t 0 ]; then
  echo "MIG is ready. No terminal, so the platform runs until the container is stopped; investigate with:"
  echo "  docker exec -it <container> mig file -t all -path /usr/bin -name '^ls$'"
  wait "$platform" || true
  show_console
  platform=""
  exit 1
fi
api_port=$(sed -n 's|^  API *http://localhost:\([0-9]*\)/.*|\1|p' "$console")
cat <<EOF
MIG is ready; \`mig\` is on the PATH and ~/.migrc points at this platform. Try:
  mig file -t all -path /usr/bin -name '^ls\$'
  mig file -t all -path /etc -content 'root' -name '^passwd\$'
  mig netstat -t all -lp ${api_port:-1664}
  mig help
Leave the shell (exit) to stop the platform.
EOF
child_is_shell=1
run_child bash -i || true  # not a login shell: /etc/profile would reset the PATH
