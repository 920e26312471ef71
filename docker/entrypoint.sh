#!/usr/bin/env bash
# Entry point of docker/Dockerfile: starts the MIG standalone platform in the background, waits
# until it says it is running, then opens a shell with `mig` on the PATH (or runs the command given
# to `docker run`). Leaving the shell stops the platform cleanly and ends the container.
#
# MIG_STANDALONE_OPTS: extra options of mig-standalone (e.g. "--heartbeat 10").
set -euo pipefail

demo=${HOME}/.mig-standalone
console=$demo/console.log
mkdir -p "$demo"

# shellcheck disable=SC2086 # MIG_STANDALONE_OPTS is a list of options
mig-standalone ${MIG_STANDALONE_OPTS:-} > "$console" 2>&1 &
platform=$!

stop() {
  if kill -0 "$platform" 2> /dev/null; then
    echo "stopping the MIG platform..."
    kill -TERM "$platform" 2> /dev/null || true
    wait "$platform" 2> /dev/null || true
  fi
}
trap stop EXIT
trap 'exit 143' TERM INT

echo "starting the MIG platform (embedded PostgreSQL and AMQP broker, API, scheduler, one agent)..."
for _ in $(seq 1 1200); do
  grep -q ' is running ' "$console" && break
  if ! kill -0 "$platform" 2> /dev/null; then
    cat "$console" >&2
    echo "the MIG platform did not start (its output is above)" >&2
    exit 1
  fi
  sleep 0.1
done
if ! grep -q ' is running ' "$console"; then
  cat "$console" >&2
  echo "the MIG platform was not ready after 120 s (its output is above)" >&2
  exit 1
fi
sed -e '/^From another terminal/,$d' "$console"

if [ $# -gt 0 ]; then
  "$@"
  exit
fi
cat <<'EOF'
MIG is ready; `mig` is on the PATH and ~/.migrc points at this platform. Try:
  mig file -t all -path /usr/bin -name '^ls$'
  mig file -t all -path /etc -content 'root' -name '^passwd$'
  mig netstat -t all -lp 1664
  mig help
Leave the shell (exit) to stop the platform.
EOF
bash || true  # not a login shell: /etc/profile would reset the PATH
