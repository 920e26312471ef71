#!/bin/sh
# Collects what the image runs from a tree built with `mvn -DskipTests package` into <dest>, in the
# layout bin/<tool> expects (<module>/target/<module>-*.jar and <module>/target/lib): the launchers,
# each tool module's jar and runtime class path, conf/ and docs/. The five class paths share most of
# their jars, so each jar is stored once in <dest>/lib and the class paths hold symbolic links to it
# (about 55 MB instead of 125 MB).
#
# Used by docker/Dockerfile's Maven stage, and by docker/build-and-test.sh to make docker/dist/ from
# jars built on the host (the image's DIST=prebuilt build).
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 <built source tree> <destination>" >&2
  exit 2
fi
src=$1
dest=$2
rm -rf "$dest"
mkdir -p "$dest/lib"
cp -r "$src/bin" "$src/conf" "$src/docs" "$src/README.md" "$dest/"
for m in mig-client mig-agent mig-api mig-scheduler mig-standalone; do
  jar=""
  for j in "$src/$m/target/$m"-*.jar; do
    case $j in *-sources.jar | *-tests.jar) ;; *) [ -f "$j" ] && jar=$j && break ;; esac
  done
  if [ -z "$jar" ] || [ ! -d "$src/$m/target/lib" ]; then
    echo "$0: $m is not built in $src; run: mvn -B -DskipTests package" >&2
    exit 1
  fi
  mkdir -p "$dest/$m/target/lib"
  cp "$jar" "$dest/$m/target/"
  for j in "$src/$m/target/lib"/*.jar; do
    name=$(basename "$j")
    [ -f "$dest/lib/$name" ] || cp "$j" "$dest/lib/$name"
    ln -s "../../../lib/$name" "$dest/$m/target/lib/$name"
  done
done
cp "$src/mig-client/launch" "$dest/mig-client/launch"
