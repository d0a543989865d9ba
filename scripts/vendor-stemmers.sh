#!/usr/bin/env bash
# Regenerates themes/default/stemmers/: the browser side of the search stemmers.
#
# The site stems words at build time with the crate rust-stemmers (Rust code the
# Snowball compiler generated from the .sbl files in its algorithms/ folder) and in
# the browser with JavaScript. So that both stem every word identically, the
# JavaScript is the official Snowball compiler's JS output of those very same .sbl
# files, not of the (newer) ones that ship with Snowball itself.
#
# Usage:
#   scripts/vendor-stemmers.sh SNOWBALL_SRC_DIR RUST_STEMMERS_DIR
#
#   SNOWBALL_SRC_DIR   Snowball's source tree (2.2.0 was used), e.g. from Debian:
#                        # a deb-src entry for bookworm (Types: deb-src, same URIs
#                        # and suites as /etc/apt/sources.list.d/debian.sources), then
#                        apt-get update
#                        cd /tmp && apt-get source snowball      # 2.2.0-2 -> /tmp/snowball-2.2.0
#                      The compiler is built there (`make snowball`) if it is missing.
#                      Needs a C compiler and make.
#   RUST_STEMMERS_DIR  The unpacked crate, e.g.
#                        ~/.cargo/registry/src/index.crates.io-*/rust-stemmers-1.2.0
#                      (present once `cargo fetch` has run for a project depending on it).
#
# Minifying uses terser, pinned in tests/e2e/package.json; install it first with
#   npm ci --prefix tests/e2e          (PUPPETEER_SKIP_DOWNLOAD=1 to skip any browser)
# This script downloads nothing itself. It writes, in themes/default/stemmers/:
#   base-stemmer.js, <algorithm>-stemmer.js (minified), LICENSE, README.md
# and prints the raw and gzip sizes of each file before and after minifying.
# Afterwards run `node --test tests/js/` (tests/js/stemmers.test.js checks every row of
# tests/search/stems.tsv against the vendored files).
set -euo pipefail

if [ $# -ne 2 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SNOWBALL="$(cd "$1" && pwd)"
RS="$(cd "$2" && pwd)"
OUT="$ROOT/themes/default/stemmers"
TERSER="$ROOT/tests/e2e/node_modules/.bin/terser"

ALGORITHMS="arabic danish dutch english finnish french german greek hungarian italian
norwegian portuguese romanian russian spanish swedish tamil turkish"

[ -x "$TERSER" ] || { echo "terser missing: run npm ci --prefix tests/e2e" >&2; exit 1; }
[ -f "$SNOWBALL/javascript/base-stemmer.js" ] || { echo "$SNOWBALL is not a Snowball source tree" >&2; exit 1; }
[ -d "$RS/algorithms" ] || { echo "$RS has no algorithms/ folder" >&2; exit 1; }

if [ ! -x "$SNOWBALL/snowball" ]; then
  make -C "$SNOWBALL" snowball >/dev/null
fi
SNOWBALL_VERSION="$("$SNOWBALL/snowball" --version | sed -n 's/^Snowball compiler version //p')"
RS_VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$RS/Cargo.toml" | head -n 1)"
TERSER_VERSION="$("$TERSER" --version | sed 's/^terser //')"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Step 1: compile each .sbl of rust-stemmers with the JS backend.
for a in $ALGORITHMS; do
  # The compiler writes "$WORK/$a-stemmer.js"; any warning fails the run.
  msg="$("$SNOWBALL/snowball" "$RS/algorithms/$a.sbl" -js -o "$WORK/$a-stemmer" 2>&1)"
  if [ -n "$msg" ] || [ ! -s "$WORK/$a-stemmer.js" ]; then
    echo "snowball could not compile $a.sbl: $msg" >&2
    exit 1
  fi
done
cp "$SNOWBALL/javascript/base-stemmer.js" "$WORK/base-stemmer.js"

# Step 2: minify into the theme. Top-level names (BaseStemmer, EnglishStemmer, ...)
# are implicit globals and terser keeps them; the preamble keeps provenance and licence.
# ascii_only keeps non-ASCII letters as \uXXXX escapes, as Snowball writes them, so the
# files mean the same whatever encoding a browser assumes (gzip size barely changes).
rm -rf "$OUT"
mkdir -p "$OUT"
gz() { gzip -9 -n -c "$1" | wc -c; }
printf '%-24s %9s %9s %9s %9s\n' file raw raw.gz min min.gz
for a in base $ALGORITHMS; do
  f="$a-stemmer.js"
  if [ "$a" = base ]; then what="Snowball $SNOWBALL_VERSION javascript/base-stemmer.js"; else what="Snowball $SNOWBALL_VERSION -js of rust-stemmers $RS_VERSION algorithms/$a.sbl"; fi
  "$TERSER" "$WORK/$f" --compress --mangle --ecma 5 \
    --format "ascii_only=true,preamble=\"/* $what; BSD-3-Clause, see LICENSE */\"" \
    -o "$OUT/$f"
  printf '%-24s %9d %9d %9d %9d\n' "$f" "$(wc -c <"$WORK/$f")" "$(gz "$WORK/$f")" "$(wc -c <"$OUT/$f")" "$(gz "$OUT/$f")"
done

cp "$SNOWBALL/COPYING" "$OUT/LICENSE"

ALGO_LIST="$(echo $ALGORITHMS | sed 's/ /, /g')"
cat >"$OUT/README.md" <<EOF
# Snowball stemmers for the browser

The search index is stemmed at build time by the crate \`rust-stemmers\` $RS_VERSION,
and queries are stemmed in the browser by these files. They must stem every word the
same way, so these files are the official Snowball compiler's JavaScript output
(Snowball $SNOWBALL_VERSION, \`snowball ALGO.sbl -js\`) of the very \`.sbl\` sources
that rust-stemmers $RS_VERSION was generated from (its \`algorithms/\` folder), not of
the newer algorithms that ship with Snowball. \`base-stemmer.js\` is Snowball
$SNOWBALL_VERSION's JavaScript runtime. All files are minified with terser $TERSER_VERSION.

Algorithms: $ALGO_LIST.

Licence: BSD-3-Clause, see [LICENSE](LICENSE) (Snowball's \`COPYING\`).

These files are not under \`static/\`: a site gets only \`base-stemmer.js\` and the
stemmer of its configured language, wrapped into one script by the Rust code.
The files are plain ES5 scripts: no modules, \`import\`/\`export\`, \`require\` or
classes. Each one only assigns one constructor to an undeclared name
(\`BaseStemmer = function () {…}\`, \`EnglishStemmer = function () {…}\`, …);
\`new EnglishStemmer().stemWord(word)\` returns the stem of a lowercase word, and one
object can stem any number of words. As the assignments would otherwise create globals
(or throw under \`"use strict"\`), the wrapper declares both names first:

\`\`\`js
(function () {
  var BaseStemmer, EnglishStemmer;
  /* base-stemmer.js */
  ;
  /* english-stemmer.js */
  ;
  var stemmer = new EnglishStemmer();
  handbookSearch.register("stem", function (w) { return stemmer.stemWord(w); });
})();
\`\`\`

\`tests/search/stems.tsv\` lists words and their stems; \`tests/js/stemmers.test.js\`
checks these files against it.

Regenerate with:

\`\`\`sh
npm ci --prefix tests/e2e
scripts/vendor-stemmers.sh /path/to/snowball-$SNOWBALL_VERSION /path/to/rust-stemmers-$RS_VERSION
\`\`\`

(the script's header says where both come from).
EOF
echo "wrote $OUT (Snowball $SNOWBALL_VERSION, rust-stemmers $RS_VERSION, terser $TERSER_VERSION)"
