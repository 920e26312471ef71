#!/usr/bin/env bash
# What the memory scan's literal pre-filter is worth (mig.modules.memory.PrefilterBench): content
# regexes over ~96 MiB of shared libraries in 68 KiB windows, with and without the pre-filter.
# Builds offline (-o); drop -o once if Maven reports a missing artifact.
set -euo pipefail
cd "$(dirname "$0")/.."
classpath_file="$PWD/mig-modules/target/bench.classpath"
mvn -B -q -o -pl mig-modules -am test-compile dependency:build-classpath -Dmdep.outputFile="$classpath_file" >&2
echo "load: $(uptime)"
exec java -cp "mig-modules/target/test-classes:mig-modules/target/classes:$(cat "$classpath_file")" \
    mig.modules.memory.PrefilterBench "$@"
