#!/usr/bin/env bash
# Compares our `mig file -t local` with the original's on the same tree and queries: prints SAME or
# the diff for each. The original client is not part of this project: build it locally from
# github.com/mozilla/mig (GOPATH mode, `go build ./client/mig`) and pass its path.
#
# usage: bench/compare-original-file.sh /path/to/original/mig
set -euo pipefail
set -f  # queries hold regexes such as .* : no globbing
cd "$(dirname "$0")/.."
orig=${1:?usage: $0 /path/to/original/mig}
tree=$(mktemp -d /tmp/mig-cmp.XXXXXX)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/a/b/c"
echo "hello world" > "$tree/a/one.txt"
echo "root:x:0:0" > "$tree/a/b/passwd"
printf 'line1\nsecret=42\n' > "$tree/a/b/c/conf.ini"
head -c 20000 /dev/zero | tr '\0' 'x' > "$tree/a/big.bin"
gzip -c "$tree/a/one.txt" > "$tree/a/one.txt.gz"
chmod 600 "$tree/a/b/passwd"
touch -d '2020-01-01' "$tree/a/b/c/conf.ini"
ln -s ../one.txt "$tree/a/b/link-one"
h=$(sha256sum "$tree/a/one.txt" | cut -d' ' -f1)
m=$(md5sum /usr/bin/ls | cut -d' ' -f1)
queries=(
  "-path $tree -name txt$"
  "-path $tree -content secret=[0-9]+"
  "-path $tree -size >10k"
  "-path $tree -size <1k -name ^one"
  "-path $tree -mode ^-rw-------$"
  "-path $tree -mtime >90d"
  "-path $tree -sha2 $h"
  "-path /usr/bin -md5 $m"
  "-path $tree -name ^one -content hello -matchany"
  "-path $tree -name ^passwd$ -mismatch name -maxdepth 3"
  "-path $tree -content hello -decompress -name gz$"
  "-path /etc -name ^hostname$"
  "-path /usr/bin -name ^ls$ -returnsha256"
  "-path $tree -maxdepth 2 -name .*"
)
same=0; diff=0
for q in "${queries[@]}"; do
  # shellcheck disable=SC2086
  ours=$(bin/mig file -t local $q 2>&1 | sort)
  # shellcheck disable=SC2086
  theirs=$("$orig" file -t local $q 2>&1 | sort)
  if [ "$ours" == "$theirs" ]; then
    same=$((same + 1)); echo "SAME ($(printf '%s\n' "$ours" | grep -c . || true) lines)  mig file -t local $q"
  else
    diff=$((diff + 1)); echo "DIFF  mig file -t local $q"; diff <(echo "$theirs") <(echo "$ours") || true
  fi
done
echo "$same same, $diff different"
