#!/usr/bin/env bash
# The steps of the GitHub Action in action.yml, one subcommand each, kept in a script so that
# tests/distribution.rs can run them here with fake `curl` and `cargo` (no network) and a real handbook:
#
#   scripts/action.sh plan      pick how to install, and the cache key and folder
#   scripts/action.sh install   install into the cached folder unless it is there; add it to PATH
#   scripts/action.sh check     `handbook check --format github`: annotations and a step summary
#   scripts/action.sh build     `handbook build`; the site's folder becomes the `site` output
#
# Inputs come as environment variables (set by action.yml from the action's inputs):
# INPUT_VERSION, INPUT_ROOT, INPUT_STRICT, INPUT_OUTPUT, INPUT_BASE_URL, INPUT_ARGS, and, from
# `plan`'s outputs, HANDBOOK_MODE, HANDBOOK_TAG, HANDBOOK_TARGET, HANDBOOK_DIR, HANDBOOK_REPOSITORY.
# The runner's own variables (GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY, RUNNER_OS,
# RUNNER_ARCH, RUNNER_TOOL_CACHE, GITHUB_ACTION_PATH) are used where set, so the script also
# runs outside Actions. Written for bash 3.2 (macOS runners) and Git Bash (Windows runners).
#
# How the tool is installed (`plan`):
# - `version: v0.2.0` given: that release's archive from the action's repository, checked
#   against its SHA256SUMS. Nothing else: a crate of that name from elsewhere could be anyone's.
# - the action used at a release tag (`uses: handbook-rs/handbook@v0.2.0`) whose Cargo.toml has
#   that version: the same, and when the release cannot be downloaded, a build of the action's
#   own source, which is that version.
# - any other ref (a branch, a commit): `cargo install --locked --path` of the action's source.
# The cache key names the release and target, or a hash of the source, so a new version or a
# changed source is installed again and anything else comes from the cache.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
action_dir=${GITHUB_ACTION_PATH:-$here}
action_dir=${action_dir//\\//} # D:\a\_actions\... on Windows runners

# Appends `name=value` to the step's outputs (or prints it outside Actions).
output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; else echo "$1=$2"; fi
}

error() {
  echo "::error title=handbook action::$*"
  exit 1
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

# The version in the action's Cargo.toml: the first `version = "..."` line, the package's.
source_version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' "$action_dir/Cargo.toml" | head -n 1
}

# owner/name of the action's repository. `github.action_repository` is empty inside composite
# actions (actions/runner#2525), so the runner's folder for the action,
# .../_actions/OWNER/NAME/REF, is the next source, then Cargo.toml's `repository`.
repository() {
  if [ -n "${HANDBOOK_ACTION_REPOSITORY:-}" ]; then echo "$HANDBOOK_ACTION_REPOSITORY"; return; fi
  case "$action_dir" in
    */_actions/*/*/*)
      local rest=${action_dir#*/_actions/}
      echo "${rest%%/*}/$(echo "$rest" | cut -d/ -f2)"
      return
      ;;
  esac
  sed -n 's|^repository = "https://github.com/\(.*\)"$|\1|p' "$action_dir/Cargo.toml" | head -n 1
}

# The ref the action was used at (v0.2.0, main), from the same places as `repository`.
action_ref() {
  if [ -n "${HANDBOOK_ACTION_REF:-}" ]; then echo "$HANDBOOK_ACTION_REF"; return; fi
  case "$action_dir" in
    */_actions/*/*/*) echo "${action_dir#*/_actions/*/*/}" ;;
  esac
}

# Sets `target` to the Rust target triple of the release archive for this runner (a variable,
# not output, so that `error` is not swallowed by a command substitution).
find_target() {
  local os=${RUNNER_OS:-$(uname -s)} arch=${RUNNER_ARCH:-$(uname -m)}
  case "$arch" in
    X64 | x86_64 | amd64) arch=x86_64 ;;
    ARM64 | arm64 | aarch64) arch=aarch64 ;;
    *) error "no release archive for the $arch architecture; use a runner with x86_64 or arm64" ;;
  esac
  case "$os" in
    Linux) target="$arch-unknown-linux-gnu" ;;
    macOS | Darwin) target="$arch-apple-darwin" ;;
    Windows | MINGW* | MSYS*) target="x86_64-pc-windows-msvc" ;;
    *) error "no release archive for $os" ;;
  esac
}

# A hash of everything a build from source depends on.
source_hash() {
  (cd "$action_dir" && find Cargo.toml Cargo.lock src themes -type f | LC_ALL=C sort | while IFS= read -r file; do
    echo "$file"
    cat "$file"
  done) | sha256 | cut -c1-16
}

plan() {
  local version tag mode target key
  version=$(source_version)
  find_target
  if [ -n "${INPUT_VERSION:-}" ]; then
    tag="v${INPUT_VERSION#v}"
    mode=release
  elif [ "$(action_ref)" = "v$version" ]; then
    tag="v$version"
    mode=release-or-source
  else
    tag=""
    mode=source
  fi
  if [ -n "$tag" ]; then key="handbook-$tag-$target"; else key="handbook-source-$(source_hash)-$target"; fi
  output mode "$mode"
  output tag "$tag"
  output target "$target"
  output key "$key"
  output dir "${RUNNER_TOOL_CACHE:-${HOME}/.cache}/handbook/$key"
  output repository "$(repository)"
}

binary_name() {
  case "${HANDBOOK_TARGET:-}" in *windows*) echo handbook.exe ;; *) echo handbook ;; esac
}

# Downloads and unpacks the release archive into $HANDBOOK_DIR/bin. When it cannot be fetched,
# sets `missing` to why and returns 1, installing nothing; a checksum mismatch is an error.
download() {
  local ext=tar.gz name url work expected actual file
  case "$HANDBOOK_TARGET" in *windows*) ext=zip ;; esac
  name="handbook-$HANDBOOK_TAG-$HANDBOOK_TARGET"
  url="https://github.com/$HANDBOOK_REPOSITORY/releases/download/$HANDBOOK_TAG"
  work=$(mktemp -d)
  echo "Downloading $url/$name.$ext"
  for file in "$name.$ext" SHA256SUMS; do
    if ! curl --fail --silent --show-error --location --retry 3 -o "$work/$file" "$url/$file" 2>"$work/curl.log"; then
      missing="$url/$file could not be downloaded ($(tail -n 1 "$work/curl.log"))"
      rm -rf "$work"
      return 1
    fi
  done
  expected=$(sed -n "s/^\([0-9a-f]\{64\}\)[ *]*$name\.$ext\$/\1/p" "$work/SHA256SUMS")
  actual=$(sha256 <"$work/$name.$ext")
  if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
    rm -rf "$work"
    error "$name.$ext does not match its checksum in SHA256SUMS (expected ${expected:-none}, got $actual)"
  fi
  case "$ext" in
    zip) (cd "$work" && { unzip -q "$name.$ext" 2>/dev/null || 7z x -bso0 "$name.$ext"; }) ;;
    *) tar -C "$work" -xzf "$work/$name.$ext" ;;
  esac
  mkdir -p "$HANDBOOK_DIR/bin"
  cp "$work/$name/$(binary_name)" "$HANDBOOK_DIR/bin/"
  rm -rf "$work"
}

# cargo install of the action's own source into $HANDBOOK_DIR; `why` says why it is built.
compile() {
  command -v cargo >/dev/null 2>&1 ||
    error "$1, and building handbook from source needs Rust (cargo): install Rust before this step, or use a version of the action that has a release"
  echo "$1: building handbook from the action's source ($action_dir)"
  cargo install --locked --path "$action_dir" --root "$HANDBOOK_DIR" ||
    error "cargo could not build handbook from the action's source (see the log above)"
}

install() {
  local bin="$HANDBOOK_DIR/bin"
  if [ -x "$bin/$(binary_name)" ] && "$bin/$(binary_name)" --version >/dev/null 2>&1; then
    echo "$("$bin/$(binary_name)" --version) from the cache"
  else
    local missing=""
    case "$HANDBOOK_MODE" in
      release) download || error "$missing: is $HANDBOOK_TAG a release of $HANDBOOK_REPOSITORY with an archive for $HANDBOOK_TARGET?" ;;
      release-or-source)
        if ! download; then
          echo "::warning title=handbook action::$missing; building from source instead"
          compile "the release could not be downloaded"
        fi
        ;;
      *) compile "the action is not used at a release tag" ;;
    esac
  fi
  "$bin/$(binary_name)" --version
  if command -v cygpath >/dev/null 2>&1; then bin=$(cygpath -w "$bin"); fi
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$bin" >>"$GITHUB_PATH"; fi
}

# INPUT_ARGS, split on spaces as a shell would (no globbing), into `extra`.
split_args() {
  set -f
  # shellcheck disable=SC2206
  extra=(${INPUT_ARGS:-})
  set +f
}

check() {
  local status=0 summary extra
  summary=$(mktemp)
  set -- check --format github
  if [ "${INPUT_STRICT:-true}" = true ]; then set -- "$@" --strict; fi
  # The check sees the site the build will make: the same address and options.
  if [ -n "${INPUT_BASE_URL:-}" ]; then set -- "$@" --base-url "$INPUT_BASE_URL"; fi
  split_args
  set -- "$@" ${extra[@]+"${extra[@]}"}
  # Workflow commands go to standard output, where the runner turns them into annotations; the
  # one-line summary on standard error goes to the log and to the job's summary page.
  handbook --root "${INPUT_ROOT:-.}" "$@" 2>"$summary" || status=$?
  cat "$summary" >&2
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    {
      echo "### handbook check"
      echo
      sed 's/^/    /' "$summary"
    } >>"$GITHUB_STEP_SUMMARY"
  fi
  rm -f "$summary"
  return "$status"
}

build() {
  local root=${INPUT_ROOT:-.} out=${INPUT_OUTPUT:-public} extra
  set -- build --output "$out"
  if [ -n "${INPUT_BASE_URL:-}" ]; then set -- "$@" --base-url "$INPUT_BASE_URL"; fi
  split_args
  handbook --root "$root" "$@" ${extra[@]+"${extra[@]}"}
  output site "$(cd "$root" && cd "$out" && pwd)"
}

case "${1:-}" in
  plan | install | check | build) "$1" ;;
  *)
    echo "usage: $0 plan|install|check|build" >&2
    exit 2
    ;;
esac
