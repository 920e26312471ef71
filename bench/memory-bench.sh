#!/usr/bin/env bash
# Wall time of memory searches over every process of this machine (content with and without a
# literal, bytes, name only) (mig.modules.memory.bench.MemoryBench). Run as root to read every
# process. Arguments go to the program: [repeats] [threads].
# Builds offline (-o); drop -o once if Maven reports a missing artifact.
set -euo pipefail
cd "$(dirname "$0")/.."
classpath_file="$PWD/mig-modules/target/bench.classpath"
mvn -B -q -o -pl mig-modules -am test-compile dependency:build-classpath -Dmdep.outputFile="$classpath_file" >&2
exec java -cp "mig-modules/target/test-classes:mig-modules/target/classes:$(cat "$classpath_file")" \
    mig.modules.memory.bench.MemoryBench "$@"
