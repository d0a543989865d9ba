#!/usr/bin/env bash
# Instructions one build runs (user space, every thread), counted by valgrind's callgrind: unlike
# wall time, the count barely moves from run to run (0.2%) on a noisy machine, so a change of 1%
# shows. Kernel work (writing files) is not counted: measure that with benches/vs-hugo.py.
#
# usage: benches/instructions.sh BIN [N] [OUT]    (N: pages, default 1000; OUT: callgrind file)
# Builds once to warm the output folder, then once under callgrind (about 20 s a binary at 1,000
# pages), and prints `BIN: COUNT instructions`. `callgrind_annotate OUT` (add --inclusive=yes,
# or a source file) shows where they go. Needs valgrind, python3 and ../shared beside the project.
set -euo pipefail
bin=$(realpath "${1:?usage: benches/instructions.sh BIN [N] [OUT]}"); n=${2:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/instructions.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=${3:-$work/callgrind.out}
python3 "$here/../shared/bench/gen_corpus.py" "$n" "$work/hb" --format handbook >/dev/null 2>&1
if ! "$bin" --root "$work/hb" build --output "$work/out" >"$work/build.log" 2>&1; then
  echo "the build failed:" >&2; tail -20 "$work/build.log" >&2; exit 1
fi
if ! valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" --root "$work/hb" build \
  --output "$work/out" >/dev/null 2>"$work/valgrind.log"; then
  echo "the build under callgrind failed:" >&2; tail -20 "$work/valgrind.log" >&2; exit 1
fi
echo "$bin: $(sed -n 's/^summary: //p' "$out") instructions"
