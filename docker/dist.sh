#!/bin/sh
# Collects what the image runs from a tree built with `mvn -DskipTests package`:
#   <dest>/mig          -> /opt/mig: in the layout bin/<tool> expects (<module>/target/<module>-*.jar
#                          and <module>/target/lib), the launchers, each tool module's jar and runtime
#                          class path, conf/ and docs/. The five class paths share most of their jars,
#                          so each jar is stored once in lib/ and the class paths hold symbolic links
#                          to it (about 55 MB instead of 125 MB).
#   <dest>/embedded-pg  -> /tmp/embedded-pg: the embedded PostgreSQL's binaries, unpacked where zonky
#                          looks for them (java.io.tmpdir/embedded-pg/PG-<md5 of the archive>, ready
#                          once .exists is there), so a new container does not unpack 60 MB before it
#                          can start (9 s of a 25 s start, measured on a loaded machine). Left empty
#                          without jar/unzip and xz; the platform then unpacks them itself as before,
#                          as it does if a zonky upgrade changes that layout.
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
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)  # absolute: the unpacking below changes directory
mig=$dest/mig
mkdir -p "$mig/lib" "$dest/embedded-pg"
cp -r "$src/bin" "$src/conf" "$src/docs" "$src/README.md" "$mig/"
for m in mig-client mig-agent mig-api mig-scheduler mig-standalone; do
  jar=""
  for j in "$src/$m/target/$m"-*.jar; do
    case $j in *-sources.jar | *-tests.jar) ;; *) [ -f "$j" ] && jar=$j && break ;; esac
  done
  if [ -z "$jar" ] || [ ! -d "$src/$m/target/lib" ]; then
    echo "$0: $m is not built in $src; run: mvn -B -DskipTests package" >&2
    exit 1
  fi
  mkdir -p "$mig/$m/target/lib"
  cp "$jar" "$mig/$m/target/"
  for j in "$src/$m/target/lib"/*.jar; do
    name=$(basename "$j")
    [ -f "$mig/lib/$name" ] || cp "$j" "$mig/lib/$name"
    ln -s "../../../lib/$name" "$mig/$m/target/lib/$name"
  done
done
cp "$src/mig-client/launch" "$mig/mig-client/launch"

chmod 0777 "$dest/embedded-pg"  # as zonky makes it: any user may unpack there
for pgjar in "$mig/lib"/embedded-postgres-binaries-linux-*.jar; do
  if [ ! -f "$pgjar" ] || ! command -v xz > /dev/null; then break; fi
  work=$dest/embedded-pg/.unpack
  mkdir -p "$work"
  if command -v jar > /dev/null; then
    (cd "$work" && jar xf "$pgjar")
  elif command -v unzip > /dev/null; then
    unzip -q "$pgjar" -d "$work"
  else
    rm -rf "$work"
    break
  fi
  for txz in "$work"/*.txz; do
    pg=$dest/embedded-pg/PG-$(md5sum < "$txz" | cut -d' ' -f1)
    mkdir -p "$pg"
    xz -dc "$txz" | tar -x -C "$pg"
    touch "$pg/.exists"
  done
  rm -rf "$work"
done
