#!/usr/bin/env bash
# Latency of a whole investigation (POST of a signed action -> every result committed) through
# API, scheduler, broker and one local agent, on the test PostgreSQL and AMQP broker that
# mig-testkit finds (local services, else embedded). Prints median and p95.
# (mig-standalone/src/test/java/mig/standalone/bench/LatencyBench.java)
#
# usage: bench/latency-bench.sh [runs]     (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file="$PWD/mig-standalone/target/bench.classpath"
mvn -B -q -o install -DskipTests -pl mig-standalone -am >&2
mvn -B -q -o -pl mig-standalone test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
exec java -cp "mig-standalone/target/test-classes:mig-standalone/target/classes:$(cat "$cp_file")" \
  -Dlogback.configurationFile=bench/logback-quiet.xml mig.standalone.bench.LatencyBench "$@"
