#!/usr/bin/env bash
# Checks conf/setup-mig.sh and the sample configuration for real, on this machine's PostgreSQL and
# RabbitMQ, under scratch names that it removes afterwards (database migcheck_<n>, owner
# migadmin_check_<n>, vhost mig-check-<n>, relay users scheduler-check-<n> and agent-check-<n>):
#
#  1. setup-mig.sh runs twice: the second run changes nothing and applies no migration;
#  2. the roles have the original's rights: migapi cannot read the scheduler's private key nor
#     create tables; migscheduler reads investigators;
#  3. the agent's relay user cannot read mig.agt.results nor bind a queue to toschedulers, and can
#     declare, bind and read a queue of its own;
#  4. the real deployment works: the first investigator is registered through the API with
#     authentication off (docs/deployment.md), then mig-scheduler, mig-api and mig-agent run from
#     conf/'s samples with the made-up passwords, and `mig file -t all -path /usr/bin -name '^ls$'`
#     finds /usr/bin/ls.
#
#  5. docs/api.md's recipes: a token made with gpg, an API key;
#  6. docs/operations.md's backup and restore: pg_dump, then pg_restore into a database made by
#     setup-mig.sh, keeps the investigators and the rights.
#
# usage: conf/test-setup-mig.sh    (after mvn -DskipTests package; needs psql, pg_dump, pg_restore,
#        rabbitmqctl, gpg, curl and python3; the PostgreSQL superuser is reached through the libpq
#        variables, by default PGHOST=127.0.0.1 PGUSER=postgres; RABBITMQCTL as for setup-mig.sh)
#
# The roles migapi, migscheduler and migreadonly are cluster-wide and fixed by the schema's grants:
# if they exist already, their passwords are put back as they were at the end.
# shellcheck disable=SC2015 # "A && pass || fail": pass and log always succeed
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
export MIG_HOME=${MIG_HOME:-$(dirname "$here")}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
export PSQL=${PSQL:-psql}
export RABBITMQCTL=${RABBITMQCTL:-rabbitmqctl}
read -r -a psql_cmd <<< "$PSQL"
read -r -a rabbitmqctl_cmd <<< "$RABBITMQCTL"

n=$(date +%s)$$
work=$(mktemp -d /tmp/mig-setup-check.XXXXXX)
export MIG_DB_NAME=migcheck_$n MIG_DB_ADMIN=migadmin_check_$n MIG_MQ_VHOST=mig-check-$n
export MIG_MQ_SCHEDULER_USER=scheduler-check-$n MIG_MQ_AGENT_USER=agent-check-$n
export MIG_SECRETS=$work/secrets.env
export GNUPGHOME=$work/gnupg
pids=()
passes=0
failures=0

log() { printf '[check] %s\n' "$*"; }
pass() { printf '[check] ok: %s\n' "$*"; passes=$((passes + 1)); }
fail() { printf '[check] FAILED: %s\n' "$*"; failures=$((failures + 1)); }
sql() { "${psql_cmd[@]}" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The shared roles' state before we touch them: name|existed|password hash.
saved_roles=$(sql -d postgres -c "SELECT r, (a.rolname IS NOT NULL), coalesce(a.rolpassword, '')
  FROM unnest(ARRAY['migapi','migscheduler','migreadonly']) r LEFT JOIN pg_authid a ON a.rolname = r")

cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null; done
  sql -d postgres -c "DROP DATABASE IF EXISTS \"$MIG_DB_NAME\"" > /dev/null
  sql -d postgres -c "DROP DATABASE IF EXISTS \"${MIG_DB_NAME}_restored\"" > /dev/null
  sql -d postgres -c "DROP ROLE IF EXISTS \"$MIG_DB_ADMIN\"" > /dev/null
  while IFS='|' read -r role existed hash; do
    if [ "$existed" = t ] && [ -z "$hash" ]; then
      sql -d postgres -c "ALTER ROLE $role PASSWORD NULL" > /dev/null
    elif [ "$existed" = t ]; then
      sql -d postgres -c "ALTER ROLE $role PASSWORD '$hash'" > /dev/null
    else
      sql -d postgres -c "DROP ROLE IF EXISTS $role" > /dev/null
    fi
  done <<< "$saved_roles"
  "${rabbitmqctl_cmd[@]}" -q delete_vhost "$MIG_MQ_VHOST" > /dev/null 2>&1
  "${rabbitmqctl_cmd[@]}" -q delete_user "$MIG_MQ_SCHEDULER_USER" > /dev/null 2>&1
  "${rabbitmqctl_cmd[@]}" -q delete_user "$MIG_MQ_AGENT_USER" > /dev/null 2>&1
  gpgconf --homedir "$GNUPGHOME" --kill gpg-agent 2> /dev/null
  if [ "$failures" -eq 0 ]; then rm -rf "$work"; else log "logs kept in $work"; fi
}
trap cleanup EXIT

# --- 1. setup, twice ---------------------------------------------------------------------------
log "first run of setup-mig.sh (database $MIG_DB_NAME, vhost $MIG_MQ_VHOST)"
"$here/setup-mig.sh" > "$work/setup-1.log" 2>&1 || { cat "$work/setup-1.log"; fail "setup-mig.sh"; exit 1; }
grep -q 'migrations applied' "$work/setup-1.log" && pass "schema applied: $(grep -o 'schema version.*' "$work/setup-1.log")" \
  || fail "first run applied no schema"
"$here/setup-mig.sh" > "$work/setup-2.log" 2>&1 || { cat "$work/setup-2.log"; fail "second setup-mig.sh"; exit 1; }
grep -q '(0 migrations applied)' "$work/setup-2.log" && grep -q "vhost $MIG_MQ_VHOST exists" "$work/setup-2.log" \
  && grep -q 'passwords read from' "$work/setup-2.log" && pass "second run: nothing new, same passwords" \
  || fail "second run was not a no-op: $(cat "$work/setup-2.log")"
# shellcheck source=/dev/null
. "$MIG_SECRETS"

# --- 2. database rights --------------------------------------------------------------------------
as() { # role, then psql arguments: a login over TCP with the role's password, as the services do
  local role=$1 pw
  shift
  case $role in migapi) pw=$MIG_DB_API_PASSWORD ;; *) pw=$MIG_DB_SCHEDULER_PASSWORD ;; esac
  PGPASSWORD=$pw psql -X -q -At -h "${MIG_DB_HOST:-127.0.0.1}" -p "${MIG_DB_PORT:-5432}" -U "$role" \
    -d "$MIG_DB_NAME" "$@" 2>&1
}
[[ $(as migapi -c 'SELECT privatekey FROM investigators') == *"permission denied"* ]] \
  && pass "migapi cannot read investigators.privatekey" || fail "migapi reads privatekey"
[[ $(as migapi -c 'CREATE TABLE intruder (i int)') == *"permission denied"* ]] \
  && pass "migapi cannot create tables" || fail "migapi creates tables"
[[ $(as migscheduler -c 'SELECT count(*) FROM investigators') =~ ^[0-9]+$ ]] \
  && pass "migscheduler reads investigators" || fail "migscheduler cannot read investigators"

# --- 3. relay rights -----------------------------------------------------------------------------
cat > "$work/AgentRightsProbe.java" <<'EOF'
import com.rabbitmq.client.*;
import java.util.function.Consumer;

/** Tries, as the agent's relay user, what an agent may and may not do; prints one line each. */
public class AgentRightsProbe {
    interface Step { void run(Channel ch) throws Exception; }

    public static void main(String[] a) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(a[0]);
        try (Connection c = f.newConnection()) {
            String own = "mig.agt.linux.probe" + System.nanoTime();
            report(c, "declare, bind and consume its own queue", true, ch -> {
                ch.queueDeclare(own, true, false, true, null);
                ch.queueBind(own, "toagents", own);
                ch.basicConsume(own, true, (t, d) -> { }, t -> { });
            });
            report(c, "publish to toschedulers", true, ch -> {
                ch.confirmSelect();
                ch.basicPublish("toschedulers", "mig.agt.results", null, "{}".getBytes());
                ch.waitForConfirmsOrDie(5000);
            });
            report(c, "consume mig.agt.results", false, ch -> ch.basicConsume("mig.agt.results", true, (t, d) -> { }, t -> { }));
            report(c, "bind a queue to toschedulers", false, ch -> ch.queueBind(own, "toschedulers", "mig.agt.results"));
            report(c, "declare mig.agt.heartbeats", false, ch -> ch.queueDeclare("mig.agt.heartbeats", true, false, false, null));
        }
    }

    static void report(Connection c, String what, boolean allowed, Step step) throws Exception {
        Channel ch = c.createChannel();
        String outcome;
        try {
            step.run(ch);
            outcome = "allowed";
        } catch (Exception e) {
            outcome = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()).contains("ACCESS_REFUSED")
                    ? "refused" : "error " + e;
        }
        System.out.println((outcome.equals(allowed ? "allowed" : "refused") ? "ok: " : "WRONG: ") + "agent may "
                + (allowed ? "" : "not ") + what + " (" + outcome + ")");
        if (ch.isOpen()) ch.abort();
    }
}
EOF

# --- 4. the deployment, from the samples ---------------------------------------------------------
api_port=$(free_port)
api="http://127.0.0.1:$api_port/api/v1/"
sed -e "s/port = 1664/port = $api_port/" -e "s|\"http://localhost:1664\"|\"http://127.0.0.1:$api_port\"|" \
    -e "s/dbname = \"mig\"/dbname = \"$MIG_DB_NAME\"/" -e "s/CHANGEME-migapi-password/$MIG_DB_API_PASSWORD/" \
    "$here/api.cfg" > "$work/api.cfg"
sed -e 's/enabled = on/enabled = off/' "$work/api.cfg" > "$work/api-bootstrap.cfg"
sed -e "s/dbname = \"mig\"/dbname = \"$MIG_DB_NAME\"/" -e "s/CHANGEME-migscheduler-password/$MIG_DB_SCHEDULER_PASSWORD/" \
    -e "s/user  = \"scheduler\"/user  = \"$MIG_MQ_SCHEDULER_USER\"/" -e "s/CHANGEME-scheduler-relay-password/$MIG_MQ_SCHEDULER_PASSWORD/" \
    -e "s/vhost = \"mig\"/vhost = \"$MIG_MQ_VHOST\"/" "$here/scheduler.cfg" > "$work/scheduler.cfg"

wait_for() { # file, text, seconds
  for _ in $(seq 1 $(($3 * 10))); do grep -q "$2" "$1" 2> /dev/null && return 0; sleep 0.1; done
  return 1
}

log "investigator key (gpg, RSA 2048)"
mkdir -m 700 "$GNUPGHOME"
gpg --batch -q --pinentry-mode loopback --passphrase '' --quick-gen-key 'MIG Check <check@mig.invalid>' rsa2048 sign 1d 2> /dev/null
fpr=$(gpg --with-colons --fingerprint check@mig.invalid 2> /dev/null | awk -F: '/^fpr/ {print $10; exit}')
gpg --armor --export "$fpr" > "$work/investigator.asc" 2> /dev/null
gpg --batch --pinentry-mode loopback --passphrase '' --armor --export-secret-keys "$fpr" > "$work/secret.asc" 2> /dev/null

log "bootstrap: API with authentication off, register the investigator"
"$MIG_HOME/bin/mig-api" -c "$work/api-bootstrap.cfg" > "$work/api-bootstrap.log" 2>&1 &
pids+=($!)
wait_for "$work/api-bootstrap.log" 'MIG API listening' 60 || { cat "$work/api-bootstrap.log"; fail "API did not start"; exit 1; }
grep -q 'could not bring the database schema' "$work/api-bootstrap.log" \
  && fail "migapi could not check the schema: $(grep 'could not bring' "$work/api-bootstrap.log")" \
  || pass "mig-api as migapi starts without a schema warning"
code=$(curl -s -o "$work/create.json" -w '%{http_code}' -F 'name=MIG Check' \
  -F 'permissions={"search":true,"action":true,"action_create":true,"command":true,"agent":true,"dashboard":true,"investigator":true,"investigator_create":true,"investigator_update":true}' \
  -F "publickey=@$work/investigator.asc" "${api}investigator/create/")
[ "$code" = 201 ] && pass "investigator registered (201)" || fail "investigator/create answered $code: $(cat "$work/create.json")"
kill "${pids[-1]}"; wait "${pids[-1]}" 2> /dev/null || true; unset 'pids[-1]'

log "mig-scheduler, mig-api (authentication on) and mig-agent"
"$MIG_HOME/bin/mig-scheduler" -c "$work/scheduler.cfg" > "$work/scheduler.log" 2>&1 &
pids+=($!)
"$MIG_HOME/bin/mig-api" -c "$work/api.cfg" > "$work/api.log" 2>&1 &
pids+=($!)
wait_for "$work/scheduler.log" 'mig-scheduler started' 60 || { cat "$work/scheduler.log"; fail "scheduler did not start"; exit 1; }
wait_for "$work/api.log" 'MIG API listening' 60 || { cat "$work/api.log"; fail "API did not start"; exit 1; }

java -cp "$MIG_HOME/mig-scheduler/target/lib/*" "$work/AgentRightsProbe.java" \
  "amqp://$MIG_MQ_AGENT_USER:$MIG_MQ_AGENT_PASSWORD@127.0.0.1:5672/$MIG_MQ_VHOST" > "$work/probe.log" 2>&1 || true
grep -qE '^(ok|WRONG):' "$work/probe.log" || fail "relay rights probe: $(cat "$work/probe.log")"
while read -r line; do
  case $line in ok:*) pass "${line#ok: }" ;; WRONG:*) fail "${line#WRONG: }" ;; esac
done < "$work/probe.log"

mkdir -p "$work/agent/agentkeys" "$work/agent-run"
cp "$work/investigator.asc" "$work/agent/agentkeys/"
sed "s/E60892BB9BD89A69F759A1A0A3D652173B763E8F/$fpr/" "$here/acl.cfg" > "$work/agent/acl.cfg"
cat > "$work/agent/mig-agent.cfg" <<EOF
[agent]
    relay = "amqp://$MIG_MQ_AGENT_USER:$MIG_MQ_AGENT_PASSWORD@127.0.0.1:5672/$MIG_MQ_VHOST"
    api = "$api"
    heartbeatfreq = "30s"
    moduletimeout = "60s"
    discoverpublicip = on
    tags = "environment:setup-check"
EOF
"$MIG_HOME/bin/mig-agent" -c "$work/agent/mig-agent.cfg" -rundir "$work/agent-run" > "$work/agent.log" 2>&1 &
pids+=($!)
online=0
for _ in $(seq 1 300); do
  online=$(sql -d "$MIG_DB_NAME" -c "SELECT count(*) FROM agents WHERE status = 'online'")
  [ "$online" -gt 0 ] && break
  sleep 0.1
done
[ "$online" -gt 0 ] && pass "agent online" || { cat "$work/agent.log"; fail "agent did not come online"; exit 1; }

sed -e "s|https://api.mig.example.net/api/v1/|$api|" -e "s/E60892BB9BD89A69F759A1A0A3D652173B763E8F/$fpr/" \
    -e "s|;secretkey = \"~/.mig/secret.asc\"|secretkey = \"$work/secret.asc\"|" "$here/migrc" > "$work/migrc"
log "mig file -t all -path /usr/bin -name '^ls\$'"
MIG_NO_COUNTDOWN=1 "$MIG_HOME/bin/mig" file -c "$work/migrc" -t all -path /usr/bin -name '^ls$' > "$work/mig.out" 2> "$work/mig.err" || true
sed 's/^/  | /' "$work/mig.out"
grep -q ' /usr/bin/ls \[lastmodified:' "$work/mig.out" && pass "the agent found /usr/bin/ls" \
  || fail "no finding; stderr: $(cat "$work/mig.err")"

# --- 5. docs/api.md's recipes ----------------------------------------------------------------------
ts=$(date -u +%Y-%m-%dT%H:%M:%SZ)
nonce=$RANDOM$RANDOM
sig=$(printf '1;%s;%s\n' "$ts" "$nonce" | gpg --armor --detach-sign -u "$fpr" 2> /dev/null \
      | sed '1,/^$/d; /^-----END/d' | tr -d '\n')
code=$(curl -s -o "$work/dashboard.json" -w '%{http_code}' -H "X-PGPAUTHORIZATION: 1;$ts;$nonce;$sig" "${api}dashboard")
[ "$code" = 200 ] && pass "a token made with gpg as docs/api.md shows is accepted" \
  || fail "GET /dashboard with a gpg token answered $code: $(cat "$work/dashboard.json")"
inv_id=$(sql -d "$MIG_DB_NAME" -c "SELECT id FROM investigators WHERE pgpfingerprint = '$fpr'")
curl -s -o "$work/apikey.json" -H "X-PGPAUTHORIZATION: 1;$ts;$nonce;$sig" \
  --data "id=$inv_id&apikey=active" "${api}investigator/update/"
key=$(grep -o '"apikey":"[A-Za-z0-9]*"' "$work/apikey.json" | cut -d'"' -f4 || true)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-MIGAPIKEY: $key" "${api}search?type=agent&target=status='online'")
[ -n "$key" ] && [ "$code" = 200 ] && pass "an API key issued by investigator/update/ reads" \
  || fail "API key: issued '$key', search answered $code"

# --- 6. docs/operations.md's backup and restore ---------------------------------------------------
pg_dump -Fc -d "$MIG_DB_NAME" -f "$work/mig.dump"
MIG_DB_NAME=${MIG_DB_NAME}_restored "$here/setup-mig.sh" postgres > "$work/setup-restore.log" 2>&1 \
  || fail "setup-mig.sh postgres for the restore: $(cat "$work/setup-restore.log")"
pg_restore -d "${MIG_DB_NAME}_restored" "$work/mig.dump" > "$work/restore.log" 2>&1 \
  || fail "pg_restore: $(cat "$work/restore.log")"
count() {
  sql -d "$1" -c "SELECT (SELECT count(*) FROM investigators) || ' investigators, schema version '
                         || (SELECT max(version::int) FROM flyway_schema_history WHERE success)"
}
[ "$(count "$MIG_DB_NAME")" = "$(count "${MIG_DB_NAME}_restored")" ] \
  && pass "restored: $(count "${MIG_DB_NAME}_restored")" || fail "restore differs: $(count "${MIG_DB_NAME}_restored")"
[[ $(MIG_DB_NAME=${MIG_DB_NAME}_restored as migapi -c 'SELECT privatekey FROM investigators') == *"permission denied"* ]] \
  && pass "restored: migapi still cannot read privatekey" || fail "restored: migapi reads privatekey"

log "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
