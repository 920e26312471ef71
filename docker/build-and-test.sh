#!/usr/bin/env bash
# Builds the demo image of docker/Dockerfile with podman and checks it for real, as a new user would:
#   1. podman (with buildah, runc, mmdebstrap) from the distribution's packages if it is missing;
#   2. the base images: the Dockerfile's public defaults if a registry answers, else made from
#      Debian's packages (a JRE 17, and for DIST=maven a JDK 17 with Maven), kept for the next run;
#   3. the image; its size is printed;
#   4. `run --rm IMAGE mig file -t all -path /usr/bin -name '^ls$'`: the finding is checked;
#   5. `run -d` on a named volume: the time from `run` to ready is printed, the API is called from
#      the host (the public heartbeat, then an investigation signed on the host with the demo's key);
#   6. `podman stop`: the platform must stop cleanly (SIGTERM, its "stopped." line) within 10 s;
#   7. a second `run -d` on the same volume must say it reuses the data, with the same investigator
#      and the first run's action still in the database; stopped again;
#   8. a demo folder the container's user may not write: a clear error, not a crash.
# Containers, the volume and the image are removed at the end (MIG_DOCKER_KEEP_IMAGE=1 keeps the
# image as localhost/mig-java:latest); the base images are kept on purpose: making them costs two or
# three minutes each.
#
# Containers use the host's network (this machine kind forbids making network namespaces for them),
# so the platform's API listens on the host's loopback: its port is MIG_DOCKER_API_PORT (default
# 16641, not the usual 1664 that other demos may hold; if taken, the platform picks a free one and
# the script reads it from the platform's summary).
#
# Environment:
#   MIG_DOCKER_DIST=prebuilt  (default) jars built here with Maven, copied in; no Maven in the image
#   MIG_DOCKER_DIST=maven     the Dockerfile's default multi-stage build: Maven runs in the image
#   MIG_DOCKER_SKIP_MAVEN=1   prebuilt: the tree is built already (CI after mvn verify)
#   MIG_DOCKER_CA_CERTS       maven: certificate authorities Maven must trust (default: the host's
#                             local ones, /usr/local/share/ca-certificates/*.crt)
#   MIG_DOCKER_RUN_BASE, MIG_DOCKER_BUILD_BASE  use these base images as they are
#   MIG_PODMAN_OPTS           podman's global options (default: --runtime runc --cgroup-manager
#                             cgroupfs, what works in this project's sandbox)
# Exit status: 0 all checks passed, 1 a check failed, 2 podman is not available.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

dist_mode=${MIG_DOCKER_DIST:-prebuilt}
api_port=${MIG_DOCKER_API_PORT:-16641}
# names of this run's own, so that two runs on one machine do not remove each other's
image=localhost/mig-java:test-$$
volume=mig-test-demo-$$
name=mig-test-$$
suite=bookworm
jre_base=localhost/mig-base-jre17:$suite
jdk_base=localhost/mig-base-jdk17-maven:$suite
finding_re="/usr/bin/ls \[lastmodified:[^]]+, mode:-rwxr-xr-x, size:[0-9]+\] in search 's1'$"

log() { printf '[docker] %s\n' "$*"; }
fail() { printf '[docker] FAILED: %s\n' "$*"; exit 1; }
now() { date +%s.%N; }
plain() { sed 's/\x1b\[[0-9;]*m//g'; }  # mig colours its output even without a terminal
load() { cut -d' ' -f1-3 /proc/loadavg; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

case $dist_mode in
  prebuilt | maven) ;;
  *) echo "MIG_DOCKER_DIST must be prebuilt or maven, got '$dist_mode'" >&2; exit 2 ;;
esac
case $api_port in
  '' | *[!0-9]*) echo "MIG_DOCKER_API_PORT must be a port number, got '$api_port'" >&2; exit 2 ;;
esac

# --- 1. podman ---
if ! command -v podman > /dev/null || ! command -v mmdebstrap > /dev/null || ! command -v runc > /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    log "installing podman, buildah, runc and mmdebstrap from the distribution"
    t=$(now)
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc mmdebstrap > /dev/null; }; then
      echo "[docker] could not install podman" >&2
      exit 2
    fi
    log "installed in $(since "$t") s"
  fi
fi
command -v podman > /dev/null || { echo "[docker] podman is not available (apt-get install podman buildah runc mmdebstrap)" >&2; exit 2; }

scratch=$(mktemp -d /tmp/mig-docker.XXXXXX)
# no default ulimits: this sandbox forbids containers to set rlimits
printf '[containers]\ndefault_ulimits = []\n' > "$scratch/containers.conf"
export CONTAINERS_CONF=$scratch/containers.conf
read -r -a podman_opts <<< "${MIG_PODMAN_OPTS:---runtime runc --cgroup-manager cgroupfs}"
pm() { podman "${podman_opts[@]}" "$@"; }

cleanup() {
  pm rm -f -t 0 "$name" > /dev/null 2>&1 || true
  pm volume rm -f "$volume" > /dev/null 2>&1 || true
  if [ -n "${MIG_DOCKER_KEEP_IMAGE:-}" ] && pm image exists "$image"; then
    pm tag "$image" localhost/mig-java:latest && log "kept the image as localhost/mig-java:latest"
  fi
  pm rmi -f "$image" > /dev/null 2>&1 || true
  rm -rf "$scratch" "$root/docker/dist" "$root/docker/ca"
}
trap cleanup EXIT
log "$(podman --version), $(runc --version | head -n 1); $(nproc) cores, load average $(load)"

# --- 2. base images ---
# $1 image to make, $2 packages; a Debian root file system from the distribution's packages
make_base() {
  log "making $1 from Debian $suite's packages ($2)"
  local t
  t=$(now)
  mmdebstrap --quiet --variant=apt --include="$2" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' "$suite" "$scratch/base.tar" \
    || { log "mmdebstrap failed"; return 1; }
  pm import -q --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' "$scratch/base.tar" "$1" > /dev/null || { log "podman import failed"; return 1; }
  rm -f "$scratch/base.tar"
  log "made $1 in $(since "$t") s"
}
# $1 public image, $2 local image, $3 packages: prints the base image to use
pick_base() {
  if pm image exists "$1" || timeout 120 podman "${podman_opts[@]}" pull -q "$1" > /dev/null 2>&1; then
    echo "$1"
  else
    pm image exists "$2" || make_base "$2" "$3" >&2 || return 1
    echo "$2"
  fi
}
run_base=${MIG_DOCKER_RUN_BASE:-$(pick_base docker.io/library/eclipse-temurin:17-jre "$jre_base" openjdk-17-jre-headless,passwd)} \
  || fail "no base image"
build_args=(--build-arg "RUN_BASE=$run_base" --build-arg "DIST=$dist_mode")
if [ "$dist_mode" = maven ]; then
  build_base=${MIG_DOCKER_BUILD_BASE:-$(pick_base docker.io/library/maven:3.9-eclipse-temurin-17 "$jdk_base" openjdk-17-jdk-headless,maven,xz-utils)} \
    || fail "no base image for the Maven stage"
  build_args+=(--build-arg "BUILD_BASE=$build_base")
  log "bases: $build_base (Maven stage), $run_base"
else
  build_args+=(--build-arg "BUILD_BASE=$run_base")
  log "base: $run_base"
fi

# --- 3. the image ---
t=$(now)
if [ "$dist_mode" = prebuilt ]; then
  if [ -z "${MIG_DOCKER_SKIP_MAVEN:-}" ]; then
    log "building the jars on the host (mvn -B -q -DskipTests package)"
    mvn -B -q -DskipTests package
  fi
  sh docker/dist.sh "$root" "$root/docker/dist"
fi
if [ "$dist_mode" = maven ]; then
  # the host's own certificate authorities (a TLS-inspecting proxy's), for Maven in the build only
  mkdir -p docker/ca
  for ca in ${MIG_DOCKER_CA_CERTS:-/usr/local/share/ca-certificates/*.crt}; do
    [ -f "$ca" ] && cp "$ca" docker/ca/ && log "Maven stage trusts $ca"
  done
fi
log "podman build (DIST=$dist_mode)"
pm build --layers=false --network host -f docker/Dockerfile --ignorefile docker/Dockerfile.dockerignore "${build_args[@]}" \
  -t "$image" . > "$scratch/build.log" 2>&1 || { tail -n 40 "$scratch/build.log"; fail "podman build failed"; }
size=$(pm image inspect --format '{{.Size}}' "$image")
base_size=$(pm image inspect --format '{{.Size}}' "$run_base")
log "built $image in $(since "$t") s: $((size / 1000000)) MB ($((base_size / 1000000)) MB of it the base $run_base)"

# --- 4. one investigation, then exit ---
log "podman run --rm $image mig file -t all -path /usr/bin -name '^ls\$'"
t=$(now)
out=$(pm run --rm --network host -e MIG_NO_COUNTDOWN=1 -e "MIG_STANDALONE_OPTS=--api-port $api_port" \
  "$image" mig file -t all -path /usr/bin -name '^ls$' 2>&1 | plain) || { printf '%s\n' "$out"; fail "the one-shot run failed"; }
printf '%s\n' "$out" | sed 's/^/    /'
printf '%s\n' "$out" | grep -Eq "^[^ ]+ $finding_re" || fail "no finding /usr/bin/ls in the output above"
printf '%s\n' "$out" | grep -q '^stopped\.$' || fail "the platform did not say it stopped"
log "one-shot run: finding checked, platform stopped; $(since "$t") s from run to exit"

# $1 what; waits for the detached container's "MIG is ready", prints the seconds since $2
await_ready() {
  for _ in $(seq 1 300); do
    if pm logs "$name" 2>&1 | grep -q '^MIG is ready'; then since "$2"; return 0; fi
    [ "$(pm inspect --format '{{.State.Running}}' "$name")" = true ] || { pm logs "$name"; fail "$1: the container ended"; }
    sleep 0.2
  done
  pm logs "$name"; fail "$1: not ready after 60 s"
}
# $1 what; podman stop, checks the clean stop, prints the seconds it took
stop_checked() {
  local t code
  t=$(now)
  pm stop -t 10 "$name" > /dev/null
  local took
  took=$(since "$t")
  code=$(pm inspect --format '{{.State.ExitCode}}' "$name")
  pm logs "$name" 2>&1 | tail -n 3 | sed 's/^/    /'
  [ "$code" = 143 ] || fail "$1: exit code $code after podman stop, expected 143 (SIGTERM handled); 137 means killed"
  pm logs "$name" 2>&1 | grep -q '^stopped\.$' || fail "$1: the platform did not say it stopped"
  awk -v s="$took" 'BEGIN { exit !(s < 10) }' || fail "$1: podman stop took $took s"
  log "$1: podman stop -> platform stopped cleanly (exit 143, \"stopped.\") in $took s"
  pm rm "$name" > /dev/null
}
run_detached() {
  pm run -d --name "$name" --network host -v "$volume:/home/mig/.mig-standalone" \
    -e "MIG_STANDALONE_OPTS=--api-port $api_port" "$image" > /dev/null
}

# --- 5. detached on a named volume, the API called from the host ---
log "podman run -d -v $volume:/home/mig/.mig-standalone $image"
t=$(now)
run_detached
ready=$(await_ready "first run" "$t")
logs=$(pm logs "$name" 2>&1)
printf '%s\n' "$logs" | sed 's/^/    /'
printf '%s\n' "$logs" | grep -q '^new demo data' || fail "first run: no 'new demo data' line"
log "first run: ready to investigate $ready s after podman run ($(printf '%s\n' "$logs" | grep -o 'ready in [0-9.]* s') inside; load average $(load))"
port=$(printf '%s\n' "$logs" | sed -n 's|^  API *http://localhost:\([0-9]*\)/api/v1/$|\1|p')
fingerprint=$(printf '%s\n' "$logs" | sed -n 's/^  investigator .* \([0-9A-F]\{40\}\),.*/\1/p')
{ [ -n "$port" ] && [ -n "$fingerprint" ]; } || fail "first run: no API port or investigator in the summary"
beat=$(curl -fsS "http://127.0.0.1:$port/api/v1/heartbeat") || fail "GET /api/v1/heartbeat from the host failed"
printf '%s\n' "$beat" | grep -q 'gatorz say hi' || fail "unexpected heartbeat: $beat"
log "from the host: GET http://127.0.0.1:$port/api/v1/heartbeat -> gatorz say hi"
# an investigation signed on the host with the demo investigator's key, read from the volume
keys=$(pm volume inspect --format '{{.Mountpoint}}' "$volume")/investigator
printf '[api]\n    url = "http://127.0.0.1:%s/api/v1/"\n[gpg]\n    home = "%s"\n    keyid = "%s"\n[targets]\n    macro = all:status='"'"'online'"'"'\n' \
  "$port" "$keys" "$fingerprint" > "$scratch/migrc"
host=$(HOME=$scratch MIG_NO_COUNTDOWN=1 MIG_NO_CDS=1 bin/mig file -c "$scratch/migrc" -t all -path /usr/bin -name '^ls$' 2>&1 | plain) \
  || { printf '%s\n' "$host"; fail "the investigation from the host failed"; }
printf '%s\n' "$host" | sed 's/^/    /'
printf '%s\n' "$host" | grep -Eq "^[^ ]+ $finding_re" || fail "no finding from the host's investigation"
action=$(printf '%s\n' "$host" | sed -n 's/.*Following action ID \([0-9]*\)\..*/\1/p')
[ -n "$action" ] || fail "no action ID in the output of the host's investigation"
log "from the host: bin/mig file through the container's API (action $action) -> the container's agent found /usr/bin/ls"

# --- 6. podman stop ---
stop_checked "first run"

# --- 7. the same volume again ---
t=$(now)
run_detached
ready2=$(await_ready "second run" "$t")
logs=$(pm logs "$name" 2>&1)
printf '%s\n' "$logs" | grep -q '^reusing the demo data' || { printf '%s\n' "$logs"; fail "second run: no 'reusing the demo data' line"; }
printf '%s\n' "$logs" | grep -q "$fingerprint" || { printf '%s\n' "$logs"; fail "second run: a new investigator key"; }
found=$(printf 'search action where investigatorname=%%Demo%%\nexit\n' | pm exec -i "$name" mig-console -q 2>&1 \
  | sed 's/\x1b\[[0-9;]*m//g' | grep -E "(^|[^0-9])$action([^0-9]|$)" || true)
[ -n "$found" ] || fail "second run: action $action of the first run is not in the database (mig-console search action)"
printf '    %s\n' "$found"
log "second run: ready in $ready2 s, same investigator $fingerprint, action $action of the first run found by mig-console"
stop_checked "second run"

# --- 8. a demo folder the container's user may not write ---
mkdir -m 0755 "$scratch/not-writable"
out=$(pm run --rm --network host -v "$scratch/not-writable:/home/mig/.mig-standalone" "$image" true 2>&1) \
  && { printf '%s\n' "$out"; fail "a demo folder uid 10001 may not write: the container did not refuse it"; }
printf '    %s\n' "$out"
printf '%s\n' "$out" | grep -q 'is not writable by mig' || fail "no clear error for a demo folder uid 10001 may not write"
log "a demo folder uid 10001 may not write (root's, mode 755): the container says so and exits"

log "image $((size / 1000000)) MB; ready $ready s after run (first start), $ready2 s (second), load average $(load); all checks passed"
