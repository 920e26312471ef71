#!/usr/bin/env bash
# Wall time of a netstat query on this machine: first run in a fresh JVM, then warm runs
# (mig.modules.netstat.bench.NetstatBench). Arguments go to the program: [warm runs] [parameters JSON].
# Builds offline (-o); drop -o once if Maven reports a missing artifact.
set -euo pipefail
cd "$(dirname "$0")/.."
classpath_file="$PWD/mig-modules/target/bench.classpath"
mvn -B -q -o -pl mig-modules -am test-compile dependency:build-classpath -Dmdep.outputFile="$classpath_file" >&2
exec java -cp "mig-modules/target/test-classes:mig-modules/target/classes:$(cat "$classpath_file")" \
    mig.modules.netstat.bench.NetstatBench "$@"
