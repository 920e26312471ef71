#!/usr/bin/env bash
# A private three-node RabbitMQ cluster on this machine, for the relay-cluster measurements and the
# node-loss run (docs/operations.md, "The relay as a RabbitMQ cluster"). It never touches the
# system's broker (rabbit@localhost on 5672): the nodes are rabbit-a@localhost, rabbit-b@localhost
# and rabbit-c@localhost, AMQP on BASE_PORT, +1, +2 (default 5681-5683) and Erlang distribution on
# BASE_PORT+20000.. (25681-25683), management off, their data, logs, configuration and Erlang
# cookie in a private temporary folder (HOME is overridden so the cookie is theirs). Each node gets
# the vhost "mig" and the users "scheduler" and "agent" (password "mig") with the permissions
# conf/setup-mig.sh gives, plus guest for the measuring tools. Everything is stopped at the end,
# also on Ctrl-C or error (trap), and every wait is bounded.
#
# usage: bench/rabbit-cluster.sh memory [N] [kinds]  broker memory for N (10000) classic, then quorum,
#                                                 agent queues, from rabbitmq-diagnostics memory_breakdown
#        bench/rabbit-cluster.sh nodeloss [agents] [actions] [fleet]   the node-loss run
#                                                 (mig.bench.cluster.NodeLoss): real mig-agent JVMs (6
#                                                 by default), or with "fleet" simulated agents
#        bench/rabbit-cluster.sh shell            starts the cluster and waits for Ctrl-C (to try things)
#        bench/rabbit-cluster.sh fleet [bench/fleet.sh options]   the fleet benchmark with node a as
#                                                 its relay (vhosts made there with rabbitmqctl)
# Environment: BASE_PORT (5681), NODES=1 starts node a alone (default 3), RABBIT_DIR (/tmp): where
# the nodes' data, logs and configuration go (a note is printed when that is an ext4 without a
# journal, where the broker pays for each file it creates), CQ_VERSION (2): the
# classic queue version of the nodes (classic_queue.default_version), RABBIT_CONF: more lines for
# each node's rabbitmq.conf (e.g. "queue_index_embed_msgs_below = 0"), KEEP=1 keeps the temporary
# folder. Each node may open 65,536 files when the user may raise the hard limit, else as many as
# it allows (RabbitMQ's production checklist asks for at least 50,000; the hard limit is 20,000
# here, too few for 20,000 agents, and the system broker runs
# with 1,024: classic queues version 2 keep their files open, and 5,000 of them failed with emfile
# there).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-shell}
BASE_PORT=${BASE_PORT:-5681}
nodes=(a b c)
[[ ${NODES:-3} == 1 ]] && nodes=(a)
dir=$(mktemp -d "${RABBIT_DIR:-/tmp}/mig-rabbit-cluster.XXXXXX")
pids=()

log() { printf '[rabbit-cluster] %s\n' "$*" >&2; }

# Classic queues version 2 create a file per queue for a message and delete it once the message is
# acked: with one queue per agent, thousands of files per action. On an ext4 without a journal (the
# root filesystem of some VMs, this machine's included) every new inode is checked against the
# recently deleted ones, and perf showed that scan taking 28 % of the broker's CPU in a 10,000-agent
# action (docs/performance.md, session 7). Say so when the nodes' data would land on one.
warn_unjournaled() {
  local src fstype dev
  read -r src fstype < <(findmnt -n -o SOURCE,FSTYPE -T "$1" 2>/dev/null) || return 0
  [[ $fstype == ext4 ]] || return 0
  dev=$(basename "$(readlink -f "$src")")
  compgen -G "/proc/fs/jbd2/$dev-*" > /dev/null && return 0
  log "note: $1 is on $src, an ext4 without a journal: each file RabbitMQ creates pays a scan of the"
  log "  recently deleted inodes (a slower broker than a production relay's); RABBIT_DIR=<a folder on a"
  log "  journaled filesystem or tmpfs> moves the nodes' data (docs/performance.md, session 7)"
}
warn_unjournaled "$dir"

# rabbitmq-server reads /etc/rabbitmq/rabbitmq-env.conf, which names the system node: point every
# command at our own (empty) env file and configuration instead.
node_env() {
  local n=$1 i=$2
  export HOME=$dir
  export RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf
  export RABBITMQ_NODENAME=rabbit-$n@localhost
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$((BASE_PORT + i))
  export RABBITMQ_DIST_PORT=$((BASE_PORT + 20000 + i))
  export RABBITMQ_CONFIG_FILE=$dir/$n/rabbitmq
  export RABBITMQ_MNESIA_BASE=$dir/$n/mnesia
  export RABBITMQ_LOG_BASE=$dir/$n/log
  export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/$n/enabled_plugins
  export RABBITMQ_ENABLED_PLUGINS=""
  export ERL_EPMD_ADDRESS=127.0.0.1
  export ERL_CRASH_DUMP=$dir/erl_crash.dump
  export ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

ctl() { # ctl <node letter> <rabbitmqctl args...>
  local n=$1; shift
  (node_env "$n" 0; /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "rabbit-$n@localhost" "$@")
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for n in "${nodes[@]}"; do
    ctl "$n" stop >/dev/null 2>&1 &
  done
  wait_or_kill=$((SECONDS + 30))
  for p in "${pids[@]}"; do
    while kill -0 "$p" 2>/dev/null && ((SECONDS < wait_or_kill)); do sleep 0.5; done
    kill -0 "$p" 2>/dev/null && kill -9 -- "-$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $dir"; else rm -rf "$dir"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

printf '' > "$dir/rabbitmq-env.conf"
head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$dir/.erlang.cookie"
chmod 400 "$dir/.erlang.cookie"

# RabbitMQ's production checklist asks for at least 50,000 open files; classic queues version 2 keep
# their files open, so 20,000 agents fail with emfile under a hard limit of 20,000 (this machine's,
# which its sandbox does not let even root raise). Raise the hard limit to 65,536 when we may
# (CAP_SYS_RESOURCE), else use what the hard limit allows.
raise_open_files() {
  local hard
  hard=$(ulimit -Hn)
  if [[ $hard != unlimited ]] && ((hard < 65536)); then ulimit -Hn 65536 2>/dev/null || true; fi
  ulimit -n "$(ulimit -Hn)"
}

start_node() {
  local n=$1 i=$2
  mkdir -p "$dir/$n"
  printf '[].\n' > "$dir/$n/enabled_plugins"
  cat > "$dir/$n/rabbitmq.conf" <<EOF
listeners.tcp.local = 127.0.0.1:$((BASE_PORT + i))
loopback_users = none
vm_memory_high_watermark.relative = 0.2
disk_free_limit.absolute = 50MB
classic_queue.default_version = ${CQ_VERSION:-2}
${RABBIT_CONF:-}
EOF
  # a node of an earlier run may still be exiting: wait (bounded) for its ports to be free
  for _ in $(seq 60); do
    ss -ltn "( sport = :$((BASE_PORT + i)) or sport = :$((BASE_PORT + 20000 + i)) )" | grep -q LISTEN || break
    sleep 1
  done
  # setsid: its own process group, so cleanup can end the node and its epmd-registered children
  (node_env "$n" "$i"; raise_open_files; cd "$dir/$n" && exec setsid /usr/lib/rabbitmq/bin/rabbitmq-server > "$dir/$n/stdout.log" 2>&1) &
  pids+=($!)
}

for i in "${!nodes[@]}"; do start_node "${nodes[$i]}" "$i"; done
for n in "${nodes[@]}"; do
  # await_startup fails at once while the node is not registered yet: retry, bounded by 120 s
  deadline=$((SECONDS + 120))
  until ctl "$n" await_startup --timeout 10 >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { log "node rabbit-$n did not start; see $dir/$n"; KEEP=1; exit 1; }
    sleep 1
  done
done
for n in "${nodes[@]:1}"; do
  ctl "$n" stop_app
  ctl "$n" join_cluster rabbit-a@localhost
  ctl "$n" start_app
done
log "cluster up: $(ctl a cluster_status --formatter json | grep -o '"running_nodes":\[[^]]*\]')"

# The vhost and users of conf/setup-mig.sh (the users and permissions are cluster-wide).
ctl a add_vhost mig
for u in scheduler agent; do ctl a add_user "$u" mig >/dev/null; done
ctl a set_permissions -p mig scheduler '^(toagents|toschedulers|mig\.agt\.(heartbeats|results))$' \
  '^(toagents|toschedulers|mig\.agt\.(heartbeats|results))$' '^(toagents|toschedulers|mig\.agt\.(heartbeats|results))$'
ctl a set_permissions -p mig agent '^mig\.agt\.(?!heartbeats$|results$)[^.]+$' \
  '^(toschedulers|mig\.agt\.(?!heartbeats$|results$)[^.]+)$' '^(toagents|mig\.agt\.(?!heartbeats$|results$)[^.]+)$'
ctl a set_permissions -p mig guest '.*' '.*' '.*'
# ctl.sh <a|b|c> <rabbitmqctl args>: for the node-loss run, which stops a node itself
{
  printf '#!/usr/bin/env bash\n'
  printf 'export HOME=%q RABBITMQ_CONF_ENV_FILE=%q ERL_EPMD_ADDRESS=127.0.0.1 ERL_CRASH_DUMP=%q\n' "$dir" "$dir/rabbitmq-env.conf" "$dir/erl_crash.dump"
  printf 'exec /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "rabbit-$1@localhost" "${@:2}"\n'
} > "$dir/ctl.sh"
chmod +x "$dir/ctl.sh"
uris=$(for i in "${!nodes[@]}"; do printf 'amqp://guest:guest@127.0.0.1:%d/mig,' $((BASE_PORT + i)); done)
uris=${uris%,}

jar() {
  mvn -B -q -o package -Dmaven.test.skip=true -pl mig-bench -am >&2
  ls mig-bench/target/mig-bench-*.jar | grep -v -- '-sources\|-tests' | head -n 1
}

memory_mb() { # total memory of the three nodes, MB (rabbitmq-diagnostics memory_breakdown)
  local total=0 v
  for n in "${nodes[@]}"; do
    v=$(ctl "$n" status --formatter json | grep -o '"total":{[^}]*}' | grep -o '"erlang":[0-9]*' | cut -d: -f2)
    total=$((total + v))
  done
  echo $((total / 1024 / 1024))
}

breakdown() {
  for n in "${nodes[@]}"; do
    log "rabbit-$n: $(ctl "$n" status --formatter json | grep -o '"total":{[^}]*}')"
    (node_env "$n" 0; /usr/lib/rabbitmq/bin/rabbitmq-diagnostics -q -n "rabbit-$n@localhost" memory_breakdown --unit MB) \
      | sort -k2 -n -r -t: | head -n 6 | sed 's/^/    /' >&2
  done
}

case $mode in
  memory)
    count=${2:-10000}
    j=$(jar)
    cp="$j:mig-bench/target/lib/*"
    for kind in ${3:-classic quorum}; do
      sleep 5
      before=$(memory_mb)
      java -cp "$cp" -Dlogback.configurationFile=bench/logback-quiet.xml mig.bench.cluster.QueueMemory "$uris" "$kind" "$count" declare
      sleep 10
      after=$(memory_mb)
      breakdown
      printf 'queues=%d kind=%s cluster_memory_before=%dMB after=%dMB per_10000=%dMB\n' "$count" "$kind" \
        "$before" "$after" $(( (after - before) * 10000 / count ))
      java -cp "$cp" -Dlogback.configurationFile=bench/logback-quiet.xml mig.bench.cluster.QueueMemory "$uris" "$kind" "$count" delete
    done
    ;;
  nodeloss)
    j=$(jar)
    java -Xmx1g -cp "$j:mig-bench/target/lib/*" -Dlogback.configurationFile=bench/logback-quiet.xml \
      -Dmig.cluster.dir="$dir" mig.bench.cluster.NodeLoss "$uris" "${2:-6}" "${3:-3}" ${4:+"$4"}
    ;;
  fleet)
    # The testkit makes the benchmark's vhost with rabbitmqctl: point it at node a.
    (node_env a 0; export PATH=/usr/lib/rabbitmq/bin:$PATH RABBITMQ_NODENAME=rabbit-a@localhost \
      MIG_TEST_AMQP_URL="amqp://guest:guest@127.0.0.1:$BASE_PORT/"
     log "relay: node a of ${#nodes[@]}, $MIG_TEST_AMQP_URL, classic queues version ${CQ_VERSION:-2}"
     bench/fleet.sh "${@:2}")
    ;;
  shell)
    log "relay URIs: $uris ; rabbitmqctl: HOME=$dir RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf rabbitmqctl -n rabbit-a@localhost ...; Ctrl-C stops"
    sleep infinity &
    pids+=($!)
    wait $!
    ;;
  *) log "unknown mode '$mode' (memory|nodeloss|fleet|shell)"; exit 2 ;;
esac
