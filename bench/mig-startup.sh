#!/usr/bin/env bash
# Wall time of `mig --help`, the start-up a person feels on every command (target: under 0.4 s on
# a 2-core machine; the original is a Go binary). Runs each variant N times (default 20) after one
# warm-up run, and prints min / median / mean / max in seconds:
#   launch+cds   mig-client/launch with its AppCDS archive (the archive is recorded on the first run)
#   launch       the same without AppCDS (MIG_NO_CDS=1)
#   bin/mig      bin/mig as it is in the tree
#   go           the original Go client, when MIG_GO_CLIENT names its binary (never built here)
# Usage: bench/mig-startup.sh [runs]     (build first: mvn -q -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-20}
launch=$root/mig-client/launch
main=mig.client.cli.MigMain

measure() { # name, command...
  local name=$1; shift
  "$@" >/dev/null 2>&1 || true # warm-up (page cache, and the AppCDS recording on a first run)
  local t=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    t+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | awk -v name="$name" -v n="$runs" '
    { v[NR] = $1; sum += $1 }
    END { med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2;
          printf "%-12s runs=%-3d min=%.3f  median=%.3f  mean=%.3f  max=%.3f s\n",
                 name, n, v[1] / 1e6, med / 1e6, sum / n / 1e6, v[n] / 1e6 }'
}

cache=${XDG_CACHE_HOME:-$HOME/.cache}/mig
if ! ls "$cache"/mig-client*.jsa >/dev/null 2>&1; then
  "$launch" "$main" --help >/dev/null
  echo "recording the AppCDS archive in $cache (first run)..."
  for _ in $(seq 60); do ls "$cache"/mig-client*.jsa >/dev/null 2>&1 && break; sleep 1; done
fi
echo "mig --help wall time on $(nproc) cores, $(java -version 2>&1 | head -n 1)"
measure "launch+cds" "$launch" "$main" --help
MIG_NO_CDS=1 measure "launch" "$launch" "$main" --help
measure "bin/mig" "$root/bin/mig" --help
if [ -n "${MIG_GO_CLIENT:-}" ] && [ -x "$MIG_GO_CLIENT" ]; then
  measure "go" "$MIG_GO_CLIENT" help
fi
