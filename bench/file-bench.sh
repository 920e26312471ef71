#!/usr/bin/env bash
# Benchmark of the file module (mig-modules/src/test/java/mig/modules/file/bench/FileBench.java):
# a name regex over /usr against find(1), and SHA-256 of every file under /usr/lib against
# find | xargs sha256sum, each search in a child JVM with -Xmx64m. Prints wall times and peak RSS.
#
# usage: bench/file-bench.sh [--runs N] [--usr DIR] [--lib DIR]
# Builds offline (-o); drop -o once if Maven reports a missing artifact.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file="$PWD/mig-modules/target/file-bench.classpath"
mvn -B -q -o -pl mig-modules -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
classpath="mig-modules/target/test-classes:mig-modules/target/classes:$(cat "$cp_file")"
exec java -cp "$classpath" mig.modules.file.bench.FileBench "$@"
