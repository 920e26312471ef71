#!/usr/bin/env bash
# Footprint of the packaged agent (mig-agent/src/test/java/mig/agent/bench/AgentFootprint.java):
# packages an agent with compiled-in trust, runs it alone through the .deb's launcher (its JVM
# flags: packaging/agent/mig-agent), and prints RSS, CPU time and threads of the agent process over
# an idle window and during a SHA-256 search of every file under /usr.
#
# usage: bench/agent-footprint.sh [--idle 10m] [--warmup 30s] [--sample 5s] [--heartbeat 300s] [--usr /usr]
#                                 [--classlist FILE]  (records the classes the agent loads, for
#                                 packaging/agent/mig-agent.classlist: what an idle agent loads; no hashing run)
# Relay: RabbitMQ on 127.0.0.1 if it accepts guest, else an embedded broker (mig-testkit); the API
# is a stub inside the benchmark. Builds offline (-o); drop -o once if Maven reports a missing artifact.
# Builds in one reactor run (nothing is installed into ~/.m2): the packaged agent is made from the
# modules' target/ jars.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file="$PWD/mig-agent/target/footprint.classpath"
mvn -B -q -o -pl mig-agent -am package -DskipTests dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
exec java -cp "mig-agent/target/test-classes:mig-agent/target/classes:$(cat "$cp_file")" \
  -Dmig.agent.runtime.classpath="$PWD/mig-agent/target/runtime.classpath" \
  -Dlogback.configurationFile=bench/logback-quiet.xml mig.agent.bench.AgentFootprint "$@"
