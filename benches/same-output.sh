#!/usr/bin/env bash
# Checks that a change leaves the built site byte for byte as it was: builds the sample handbook
# and generated handbooks of 1,000 and 10,000 pages with the binary of a base commit and with the
# working tree's, and compares the two outputs with `diff -r`.
#
# usage: benches/same-output.sh [BASE] [N...]     (BASE: a commit, default HEAD; N: default 1000 10000)
#
# BASE_BIN=PATH uses that binary as the base instead of building BASE, which is then not read
# (give one all the same to name sizes: `BASE_BIN=old benches/same-output.sh - 1000`).
# The base is built into target/same-output-base, which is kept for the next run.
# HANDBOOKS="DIR..." compares those handbooks too: real ones, such as copies of the corpora in
# ../shared/corpora with a handbook.toml whose [[mounts]] README.md's examples show.
# Needs python3 and ../shared/bench/gen_corpus.py beside the project. Works in /dev/shm when it
# exists (the disk of CI machines is slow for many small files). Exits 1 when an output differs,
# 2 when a build fails (with that build's messages).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-HEAD}; shift || true
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
gen="$here/../shared/bench/gen_corpus.py"
tmp=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/same-output.XXXXXX")
trap 'git -C "$here" worktree remove --force "$tmp/base-src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

if [ -n "${BASE_BIN:-}" ]; then
  old=$(realpath "$BASE_BIN")
else
  echo "building $base (release)…"
  git -C "$here" worktree add --detach "$tmp/base-src" "$base" >/dev/null 2>&1
  (cd "$tmp/base-src" && cargo build --release --locked --quiet --target-dir "$here/target/same-output-base")
  old="$here/target/same-output-base/release/handbook"
fi
echo "building the working tree (release)…"
(cd "$here" && cargo build --release --locked --quiet)
new="$here/target/release/handbook"

status=0
compare() { # NAME ROOT [BUILD ARGS...]
  local name=$1 root=$2; shift 2
  local which bin
  for which in old new; do
    bin=$old; [ $which = new ] && bin=$new
    if ! "$bin" --root "$root" build --output "$tmp/$name-$which" "$@" >"$tmp/$name-$which.log" 2>&1; then
      echo "FAILED: the $which binary's build of $name:"; tail -20 "$tmp/$name-$which.log"; exit 2
    fi
  done
  if diff -r "$tmp/$name-old" "$tmp/$name-new" >"$tmp/$name.diff"; then
    echo "same: $name ($(find "$tmp/$name-new" -type f | wc -l) files)"
  else
    echo "DIFFERENT: $name ($(grep -c '^diff\|^Only' "$tmp/$name.diff") files differ), e.g.:"; head -20 "$tmp/$name.diff"; status=1
  fi
}
# The sample handbook, in the working tree, so that both binaries read its one git history.
compare sample "$here" --base-url https://handbook.example.com/
for n in "${sizes[@]}"; do
  python3 "$gen" "$n" "$tmp/hb$n" --format handbook >/dev/null 2>&1
  compare "generated-$n" "$tmp/hb$n" --base-url https://handbook.example.com/
done
for dir in ${HANDBOOKS:-}; do
  compare "$(basename "$dir")" "$dir" --base-url https://handbook.example.com/
done
exit $status
