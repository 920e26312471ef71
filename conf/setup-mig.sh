#!/usr/bin/env bash
# Prepares PostgreSQL and RabbitMQ for MIG for Java, the way the original MIG's demo and docs do,
# and may be run again at any time (every step checks before it creates; passwords are kept in a
# secrets file and re-applied):
#
#   postgres  roles migadmin (owner), migapi, migscheduler (logins) and migreadonly (NOLOGIN, used
#             to evaluate targets), and the database "mig" owned by migadmin. The tables and the
#             grants of the original's schema come from mig-api's migrations (step "schema").
#   schema    applies mig-api's migrations as migadmin: runs bin/mig-api once on a loopback port
#             with a temporary configuration, waits for "at schema version", stops it. Run it again
#             after every upgrade (docs/operations.md).
#   rabbitmq  the vhost "mig" and two users with the permissions of the original (spec §5), made
#             tighter: the scheduler declares the exchanges and reads results and heartbeats; an
#             agent may only declare, bind and read its own mig.agt.<queueloc> queue (never
#             mig.agt.results nor mig.agt.heartbeats) and publish to toschedulers.
#   all       postgres, schema (when bin/mig-api is built) and rabbitmq. The default.
#
# usage: setup-mig.sh [all|postgres|schema|rabbitmq]...
#
# Run it as root on the database and relay host, or point it elsewhere:
#   PSQL          how to run psql as a PostgreSQL superuser (default "psql"; e.g. "sudo -u postgres
#                 psql", or set PGHOST/PGPORT/PGUSER as for any libpq tool)
#   RABBITMQCTL   how to run rabbitmqctl (default "rabbitmqctl"; needs the broker's Erlang cookie)
#   MIG_SECRETS   file holding the passwords (default /etc/mig/setup-secrets.env, else
#                 ./mig-secrets.env when /etc/mig is not writable); read if it exists, else
#                 written (mode 0600) with random passwords. Copy them into api.cfg,
#                 scheduler.cfg and mig-agent.cfg (the script prints where).
#   MIG_DB_NAME (mig), MIG_DB_ADMIN (migadmin), MIG_DB_HOST (127.0.0.1), MIG_DB_PORT (5432): the
#                 database, its owner, and where mig-api reaches it in step "schema".
#   MIG_MQ_VHOST (mig), MIG_MQ_SCHEDULER_USER (scheduler), MIG_MQ_AGENT_USER (agent)
#   MIG_MQ_DELETE_GUEST=yes  also delete RabbitMQ's guest user, as the original demo does
#   MIG_HOME      where MIG for Java is installed or built (default: the folder above this script)
#
# The role names migapi, migscheduler and migreadonly are fixed: the schema's grants name them.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
MIG_HOME=${MIG_HOME:-$(dirname "$here")}
MIG_DB_NAME=${MIG_DB_NAME:-mig}
MIG_DB_ADMIN=${MIG_DB_ADMIN:-migadmin}
MIG_DB_HOST=${MIG_DB_HOST:-127.0.0.1}
MIG_DB_PORT=${MIG_DB_PORT:-5432}
MIG_MQ_VHOST=${MIG_MQ_VHOST:-mig}
MIG_MQ_SCHEDULER_USER=${MIG_MQ_SCHEDULER_USER:-scheduler}
MIG_MQ_AGENT_USER=${MIG_MQ_AGENT_USER:-agent}
MIG_MQ_DELETE_GUEST=${MIG_MQ_DELETE_GUEST:-no}
read -r -a psql_cmd <<< "${PSQL:-psql}"
read -r -a rabbitmqctl_cmd <<< "${RABBITMQCTL:-rabbitmqctl}"

log() { printf '[setup-mig] %s\n' "$*"; }
die() { printf '[setup-mig] error: %s\n' "$*" >&2; exit 1; }

# Names end up in SQL identifiers, rabbitmqctl arguments and regexes: keep them plain.
for pair in "MIG_DB_NAME=$MIG_DB_NAME" "MIG_DB_ADMIN=$MIG_DB_ADMIN" "MIG_MQ_VHOST=$MIG_MQ_VHOST" \
    "MIG_MQ_SCHEDULER_USER=$MIG_MQ_SCHEDULER_USER" "MIG_MQ_AGENT_USER=$MIG_MQ_AGENT_USER"; do
  [[ ${pair#*=} =~ ^[a-z][a-z0-9_-]{0,62}$ ]] ||
    die "${pair%%=*}='${pair#*=}' must be lower-case letters, digits, '_' or '-', starting with a letter"
done

# --- secrets -------------------------------------------------------------------------------------

secrets_file() {
  if [ -n "${MIG_SECRETS:-}" ]; then
    printf '%s\n' "$MIG_SECRETS"
  elif [ -w /etc/mig ] || { [ ! -e /etc/mig ] && [ -w /etc ]; }; then
    printf '%s\n' /etc/mig/setup-secrets.env
  else
    printf '%s\n' "$PWD/mig-secrets.env"
  fi
}

# 32 letters and digits: safe in a URI (the agent's relay), in SQL and in gcfg without quoting.
random_password() {
  local p=''
  while [ ${#p} -lt 32 ]; do
    p+=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  done
  printf '%s\n' "${p:0:32}"
}

load_secrets() {
  SECRETS=$(secrets_file)
  if [ -f "$SECRETS" ]; then
    # shellcheck source=/dev/null
    . "$SECRETS"
    log "passwords read from $SECRETS"
  fi
  local changed=no var
  for var in MIG_DB_ADMIN_PASSWORD MIG_DB_API_PASSWORD MIG_DB_SCHEDULER_PASSWORD \
      MIG_MQ_SCHEDULER_PASSWORD MIG_MQ_AGENT_PASSWORD; do
    if [ -z "${!var:-}" ]; then
      printf -v "$var" '%s' "$(random_password)"
      changed=yes
    fi
    [[ ${!var} =~ ^[A-Za-z0-9._~-]{12,128}$ ]] ||
      die "$var in $SECRETS must be 12-128 letters, digits or . _ ~ - (it goes into URIs)"
  done
  if [ "$changed" = yes ]; then
    mkdir -p "$(dirname "$SECRETS")"
    (umask 077 && cat > "$SECRETS" <<EOF
# Passwords of MIG's database roles and relay users, made by conf/setup-mig.sh. Keep this file
# private; setup-mig.sh re-applies these values every time it runs.
MIG_DB_ADMIN_PASSWORD=$MIG_DB_ADMIN_PASSWORD
MIG_DB_API_PASSWORD=$MIG_DB_API_PASSWORD
MIG_DB_SCHEDULER_PASSWORD=$MIG_DB_SCHEDULER_PASSWORD
MIG_MQ_SCHEDULER_PASSWORD=$MIG_MQ_SCHEDULER_PASSWORD
MIG_MQ_AGENT_PASSWORD=$MIG_MQ_AGENT_PASSWORD
EOF
    )
    log "passwords written to $SECRETS (mode 0600)"
  fi
}

# --- PostgreSQL ----------------------------------------------------------------------------------

psql_run() { # database, then the SQL on stdin, which may use :db, :admin and the :*_pw variables
  # Passwords go in on stdin, not the command line (where ps would show them); they are checked to
  # be letters, digits and . _ ~ - so the quoting below holds.
  { printf '\\set %s '\''%s'\''\n' admin_pw "$MIG_DB_ADMIN_PASSWORD" api_pw "$MIG_DB_API_PASSWORD" \
      scheduler_pw "$MIG_DB_SCHEDULER_PASSWORD"
    cat
  } | "${psql_cmd[@]}" -X -q -v ON_ERROR_STOP=1 -d "$1" -v db="$MIG_DB_NAME" -v admin="$MIG_DB_ADMIN"
}

setup_postgres() {
  log "PostgreSQL: roles $MIG_DB_ADMIN, migapi, migscheduler, migreadonly and database $MIG_DB_NAME"
  psql_run postgres <<'SQL'
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I', r) FROM unnest(ARRAY[:'admin', 'migapi', 'migscheduler', 'migreadonly']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE :"admin" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD :'admin_pw';
ALTER ROLE migapi WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD :'api_pw';
ALTER ROLE migscheduler WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD :'scheduler_pw';
ALTER ROLE migreadonly WITH NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT;
-- migapi and migscheduler evaluate targets after SET ROLE migreadonly; the owner needs the admin
-- option to apply the same grant from the schema's migration (PostgreSQL 16 and later insist).
GRANT migreadonly TO migapi, migscheduler;
GRANT migreadonly TO :"admin" WITH ADMIN OPTION;
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'admin', 'UTF8')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"admin";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO migapi, migscheduler;
SQL
  psql_run "$MIG_DB_NAME" <<'SQL'
SET client_min_messages = warning;
-- Only the owner creates objects: the services may never change the schema.
ALTER SCHEMA public OWNER TO :"admin";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO migapi, migscheduler, migreadonly;
SQL
  log "PostgreSQL ready: database $MIG_DB_NAME owned by $MIG_DB_ADMIN"
}

# --- schema (mig-api's migrations, as the owner) -------------------------------------------------

setup_schema() {
  local launcher="$MIG_HOME/bin/mig-api"
  [ -x "$launcher" ] || die "$launcher not found: build MIG for Java first (mvn -DskipTests package) or set MIG_HOME"
  local work pid status=1
  work=$(mktemp -d)
  chmod 700 "$work"
  cat > "$work/api.cfg" <<EOF
; temporary: apply the schema as the database owner, then stop
[server]
    ip = "127.0.0.1"
    port = 0
[postgres]
    host = "$MIG_DB_HOST"
    port = $MIG_DB_PORT
    dbname = "$MIG_DB_NAME"
    user = "$MIG_DB_ADMIN"
    password = "$MIG_DB_ADMIN_PASSWORD"
    maxconn = 2
EOF
  log "schema: running mig-api's migrations on $MIG_DB_NAME as $MIG_DB_ADMIN"
  "$launcher" -c "$work/api.cfg" > "$work/mig-api.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if grep -q 'at schema version' "$work/mig-api.log"; then status=0; break; fi
    if grep -qE 'could not bring the database schema|FATAL|cannot use the database' "$work/mig-api.log"; then break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    sed 's/^/  mig-api: /' "$work/mig-api.log" >&2
    rm -rf "$work"
    die "the migrations did not complete (mig-api's output above)"
  fi
  log "schema: $(grep -o 'at schema version.*' "$work/mig-api.log" | head -n 1)"
  rm -rf "$work"
  # Let the services' own start-up check ("is the schema current?") read the migration history.
  psql_run "$MIG_DB_NAME" <<'SQL'
SET client_min_messages = warning;
GRANT SELECT ON flyway_schema_history TO migapi, migscheduler;
SQL
}

# --- RabbitMQ ------------------------------------------------------------------------------------

mq() { "${rabbitmqctl_cmd[@]}" -q "$@"; }

mq_user() { # name, password (on stdin, never on the command line)
  if mq --no-table-headers list_users | cut -f1 | grep -qxF "$1"; then
    printf '%s\n' "$2" | mq change_password "$1" > /dev/null
    log "RabbitMQ: user $1 exists, password set"
  else
    printf '%s\n' "$2" | mq add_user "$1" > /dev/null
    log "RabbitMQ: user $1 created"
  fi
}

setup_rabbitmq() {
  local vhost=$MIG_MQ_VHOST
  if mq --no-table-headers list_vhosts name | grep -qxF "$vhost"; then
    log "RabbitMQ: vhost $vhost exists"
  else
    mq add_vhost "$vhost"
    log "RabbitMQ: vhost $vhost created"
  fi
  mq_user "$MIG_MQ_SCHEDULER_USER" "$MIG_MQ_SCHEDULER_PASSWORD"
  mq_user "$MIG_MQ_AGENT_USER" "$MIG_MQ_AGENT_PASSWORD"
  # configure / write / read regexes. The original's, less the removed workers (toworkers).
  mq set_permissions -p "$vhost" "$MIG_MQ_SCHEDULER_USER" \
    '^(toagents|toschedulers|mig\.agt\..*)$' \
    '^(toagents|mig\.agt\.(heartbeats|results))$' \
    '^(toagents|toschedulers|mig\.agt\.(heartbeats|results))$'
  # An agent's own queue is mig.agt.<os>.<random uid>: any mig.agt.* name but the scheduler's two.
  # The uid is the secret that keeps agents out of each other's queues, as in the original.
  local own='mig\.agt\.(?!(heartbeats|results)$)[^.]+\..+'
  mq set_permissions -p "$vhost" "$MIG_MQ_AGENT_USER" "^$own\$" "^(toschedulers|$own)\$" "^(toagents|$own)\$"
  log "RabbitMQ: permissions of $MIG_MQ_SCHEDULER_USER and $MIG_MQ_AGENT_USER on vhost $vhost set"
  if [ "$MIG_MQ_DELETE_GUEST" = yes ] && mq --no-table-headers list_users | cut -f1 | grep -qxF guest; then
    mq delete_user guest
    log "RabbitMQ: user guest deleted"
  fi
}

summary() {
  cat <<EOF
[setup-mig] done. Put these in the configuration files (passwords in $SECRETS):
  /etc/mig/api.cfg        [postgres] dbname = "$MIG_DB_NAME", user = "migapi", password = MIG_DB_API_PASSWORD
  /etc/mig/scheduler.cfg  [postgres] dbname = "$MIG_DB_NAME", user = "migscheduler", password = MIG_DB_SCHEDULER_PASSWORD
                          [mq] vhost = "$MIG_MQ_VHOST", user = "$MIG_MQ_SCHEDULER_USER", pass = MIG_MQ_SCHEDULER_PASSWORD
  mig-agent.cfg           [agent] relay = "amqp://$MIG_MQ_AGENT_USER:<MIG_MQ_AGENT_PASSWORD>@<relay host>:5672/$MIG_MQ_VHOST"
EOF
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(all)
for step in "${steps[@]}"; do
  case $step in
    all|postgres|schema|rabbitmq) ;;
    -h|--help|help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown step '$step'; use all, postgres, schema or rabbitmq" ;;
  esac
done
load_secrets
for step in "${steps[@]}"; do
  case $step in
    postgres) setup_postgres ;;
    schema) setup_schema ;;
    rabbitmq) setup_rabbitmq ;;
    all)
      setup_postgres
      if [ -x "$MIG_HOME/bin/mig-api" ] && ls "$MIG_HOME"/mig-api/target/mig-api-*.jar > /dev/null 2>&1; then
        setup_schema
      else
        log "schema: skipped, MIG for Java is not built in $MIG_HOME; run '$0 schema' once it is"
      fi
      setup_rabbitmq
      ;;
  esac
done
summary
