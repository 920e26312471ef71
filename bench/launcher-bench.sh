#!/usr/bin/env bash
# Wall times through the shipped launchers (issue 12), each case run several times, interleaved
# with its reference so that both see the same machine load; prints every run, min/median/max, the
# ratio of medians, and `uptime` before and after (the machine is shared: report the load).
#
#   local-sha2   bin/mig file -t local -path $LIB -sha2 <sha256 of one file>   vs   find $LIB -type f | xargs sha256sum
#   platform     the same search through bin/mig-standalone, mig -nocountdown   vs   the same find | xargs
#   local-name   bin/mig file -t local -path /usr -name '<regex>'               (target 1.36 s: 0.8 x the original's 1.7 s)
#
# usage: bench/launcher-bench.sh [--runs N] [--lib DIR] [--skip-platform]
# Build first: mvn -q -o -DskipTests package (-pl mig-client,mig-standalone -am). The standalone runs
# with a private --dir, migrc and ports, and is stopped at the end.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=5
lib=/usr/lib/x86_64-linux-gnu
platform=1
name_re='^lib.*\.so\.[0-9]+$'
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --lib) lib=$2; shift 2 ;;
    --skip-platform) platform=0; shift ;;
    *) echo "usage: $0 [--runs N] [--lib DIR] [--skip-platform]" >&2; exit 2 ;;
  esac
done
sum=$(sha256sum "$(find "$lib" -type f -size +100k | head -n 1)" | cut -d' ' -f1)
export MIG_NO_COUNTDOWN=1

secs() { # command... -> prints the wall time in seconds
  local s e
  s=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  e=$(date +%s%N)
  awk -v d=$((e - s)) 'BEGIN { printf "%.2f", d / 1e9 }'
}

stats() { # name, times... -> min/median/max line; median on stdout of the last field
  local name=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v name="$name" '
    { v[NR] = $1 } END { n = NR; med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2;
      printf "  %-34s min %.2f  median %.2f  max %.2f s  (%s)\n", name, v[1], med, v[n], n " runs" }'
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { n = NR; print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'; }

hash_ref() { find "$lib" -type f -print0 | xargs -0 sha256sum; }

echo "machine: $(nproc) cores; $(java -version 2>&1 | head -n 1)"
echo "load before: $(uptime)"
echo "warming the page cache for $lib and /usr..."
hash_ref >/dev/null 2>&1 || true
find /usr >/dev/null 2>&1 || true

echo "local-sha2: mig file -t local -path $lib -sha2 $sum"
ours=() ref=()
for i in $(seq "$runs"); do
  ours+=("$(secs "$root/bin/mig" file -t local -path "$lib" -sha2 "$sum")")
  ref+=("$(secs hash_ref)")
  echo "  run $i: mig ${ours[-1]} s, find|xargs sha256sum ${ref[-1]} s"
done
stats "bin/mig file -t local -sha2" "${ours[@]}"
stats "find | xargs sha256sum" "${ref[@]}"
awk -v a="$(median "${ours[@]}")" -v b="$(median "${ref[@]}")" 'BEGIN { printf "  ratio of medians: %.2f (target <= 0.7)\n", a / b }'

echo "local-name: mig file -t local -path /usr -name '$name_re'"
names=()
for i in $(seq "$runs"); do
  names+=("$(secs "$root/bin/mig" file -t local -path /usr -name "$name_re")")
  echo "  run $i: ${names[-1]} s"
done
stats "bin/mig file -t local -name" "${names[@]}"
echo "  target: <= 1.36 s (0.8 x the original client's 1.7 s)"

if [ "$platform" = 1 ]; then
  dir=$(mktemp -d /tmp/mig-launcher-bench.XXXXXX)
  api_port=$((20000 + RANDOM % 20000))
  amqp_port=$((api_port + 1))
  echo "platform: bin/mig-standalone --dir $dir --api-port $api_port --amqp-port $amqp_port"
  HOME=$dir "$root/bin/mig-standalone" --dir "$dir/demo" --api-port "$api_port" --amqp-port "$amqp_port" \
    --migrc "$dir/migrc" >"$dir/standalone.log" 2>&1 &
  sa=$!
  trap 'kill $sa 2>/dev/null || true; wait $sa 2>/dev/null || true; rm -rf "$dir"' EXIT
  for _ in $(seq 300); do
    grep -q ' is running ' "$dir/standalone.log" 2>/dev/null && break
    kill -0 $sa 2>/dev/null || { cat "$dir/standalone.log" >&2; exit 1; }
    sleep 1
  done
  mig_all() { HOME=$dir "$root/bin/mig" file -c "$dir/migrc" -nocountdown -t all -path "$lib" -sha2 "$sum"; }
  mig_all >/dev/null 2>&1 || true # first action: warms the agent's JIT like any later one would
  plat=() ref=()
  for i in $(seq "$runs"); do
    plat+=("$(secs mig_all)")
    ref+=("$(secs hash_ref)")
    echo "  run $i: mig -t all ${plat[-1]} s, find|xargs sha256sum ${ref[-1]} s"
  done
  stats "mig file -t all (standalone)" "${plat[@]}"
  stats "find | xargs sha256sum" "${ref[@]}"
  awk -v a="$(median "${plat[@]}")" -v b="$(median "${ref[@]}")" 'BEGIN { printf "  ratio of medians: %.2f (target <= 1.0)\n", a / b }'
fi
echo "load after: $(uptime)"
