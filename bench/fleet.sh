#!/usr/bin/env bash
# The fleet simulator (mig-bench, mig.bench.fleet.FleetMain): N simulated agents in this JVM against
# the real API and scheduler (child JVMs) and broker, on a fresh database and vhost of the local
# PostgreSQL and RabbitMQ (the embedded ones when none answers). For one action targeting every
# agent it prints the time until every command reached its agent and every result was committed,
# the API's and scheduler's CPU and RSS, and the heartbeats taken meanwhile; writes fleet.tsv and
# fleet.png (time to all results vs N) to mig-bench/results/. See docs/performance.md.
#
# usage: bench/fleet.sh [--agents 100,1000,5000] [--runs 2] [--warmup 1000] [--heartbeat 30s] [--workers 4]
#                       [--jvm-opts "<API and scheduler JVM options>"] [--out <dir>]
# Builds offline (-o); drop -o once if Maven reports a missing artifact.
set -euo pipefail
cd "$(dirname "$0")/.."
# package, not install: the jars and target/lib of this worktree are what runs, ~/.m2 stays untouched.
mvn -B -q -o package -DskipTests -pl mig-bench -am >&2
jar=$(ls mig-bench/target/mig-bench-*.jar | grep -v -- '-sources\|-tests' | head -n 1)
exec java -XX:+UseSerialGC -Xms256m -Xmx2g -cp "$jar:mig-bench/target/lib/*" \
  -Dlogback.configurationFile=bench/logback-quiet.xml mig.bench.fleet.FleetMain "$@"
