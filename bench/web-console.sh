#!/usr/bin/env bash
# The web console's figures (docs/web-console.md): first load of the dashboard (target < 300 ms)
# and the delay from a result's commit in PostgreSQL to the progress shown in the page (target
# < 100 ms), measured in headless chromium (bench/web-console.mjs drives it through chromedriver).
# Starts bin/mig-standalone in a scratch folder on a free port and stops it at the end.
# Needs: a build (mvn -q -DskipTests package), node, chromium, chromedriver, psql.
# Usage: bench/web-console.sh [runs]   (default 5)
# MIG_BENCH_COLD_BROWSER=1: measure right after the browser is launched (see bench/web-console.mjs);
# MIG_BENCH_DETAIL=1: print the last run's resource timings.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-5}
for tool in node chromium chromedriver psql; do
  command -v "$tool" >/dev/null || { echo "bench/web-console.sh needs $tool" >&2; exit 2; }
done
dir=$(mktemp -d /tmp/mig-web-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
amqp=$(free_port)
export HOME=$dir/home
mkdir -p "$HOME"
"$root/bin/mig-standalone" --dir "$dir/standalone" --api-port "$port" --amqp-port "$amqp" >"$dir/out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 240); do grep -q "is running" "$dir/out" && break; kill -0 $pid 2>/dev/null || { cat "$dir/out"; exit 1; }; sleep 0.5; done
grep -q "is running" "$dir/out" || { echo "the standalone did not start:"; cat "$dir/out"; exit 1; }
pgport=$(sed -n 's/.*embedded PostgreSQL on port \([0-9]*\).*/\1/p' "$dir/out")
pgpass=$(sed -n 's/^migadmin=//p' "$dir/standalone/pg-credentials")
echo "web console figures on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(chromium --version 2>/dev/null)"
MIG_BENCH_TMP="$dir" node "$root/bench/web-console.mjs" "http://127.0.0.1:$port/ui/" "$dir/standalone/investigator/secring.gpg" \
  "postgresql://migadmin:$pgpass@127.0.0.1:$pgport/mig" "$runs"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
