#!/usr/bin/env bash
# Builds a MIG agent with its trust compiled in (docs/agent.md): the ACL, the investigators'
# public keys and the built-in settings go inside the agent's jar, so that nobody who controls the
# relay, the API or /etc/mig can change whom the agent obeys.
#
# usage: packaging/agent/build-agent.sh TRUST_DIR [OUT_DIR]
#   TRUST_DIR  acl.cfg, agentkeys/ (one armoured public key per file), optional mig-agent.cfg
#              (built-in settings, the original's format) and build.cfg ([build] name, trustfromdisk);
#              packaging/agent/example/ is one
#   OUT_DIR    default: target/mig-agent-<trust folder name> under the source tree
# Writes OUT_DIR/mig-agent.jar (one runnable jar: java -jar mig-agent.jar -S), OUT_DIR/deb/ (the
# .deb tree: jar, /usr/sbin/mig-agent launcher, systemd unit, /var/lib/mig) and, where dpkg-deb
# exists, OUT_DIR/mig-agent_<version>_all.deb. Needs `mvn -q -DskipTests package` first.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  sed -n '6,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
trust=$1
out=${2:-$root/target/mig-agent-$(basename "$(readlink -f "$trust")")}
jar=$(ls "$root"/mig-agent/target/mig-agent-*.jar 2>/dev/null | grep -v -- '-sources\|-tests' | head -n 1 || true)
if [ -z "$jar" ] || [ ! -d "$root/mig-agent/target/lib" ]; then
  echo "build-agent.sh: the agent is not built yet; run: (cd $root && mvn -q -DskipTests package)" >&2
  exit 2
fi
mkdir -p "$out"
rm -rf "$out/deb" "$out/mig-agent.jar"
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$java_bin" -cp "$jar:$root/mig-agent/target/lib/*" mig.agent.build.AgentPackager \
  --trust "$trust" --out "$out" --unit "$root/conf/mig-agent.service" --launcher "$here/mig-agent"
if command -v dpkg-deb >/dev/null; then
  rm -f "$out"/mig-agent_*.deb
  dpkg-deb --root-owner-group --build "$out/deb" "$out" >&2
  echo "deb:      $(ls "$out"/mig-agent_*.deb)"
else
  echo "dpkg-deb not found: build the package elsewhere with dpkg-deb --root-owner-group --build $out/deb" >&2
fi
