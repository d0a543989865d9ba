#!/usr/bin/env bash
# Packs a release build of handbook into the archive `cargo binstall` and the GitHub Action
# download, and prints its name.
#
#   scripts/package-release.sh TARGET TAG BINARY_DIR OUT_DIR
#
# TARGET is a Rust target triple (x86_64-unknown-linux-gnu), TAG the release tag (v0.1.0; it
# must be `v` and Cargo.toml's version, so that a tag never ships another version's binary),
# BINARY_DIR the folder holding the built `handbook` (or `handbook.exe`), OUT_DIR where the
# archive goes. The archive is handbook-TAG-TARGET.tar.gz, or .zip for Windows targets, and
# holds one folder of the same name with the binary, README.md and LICENSE: the layout
# `[package.metadata.binstall]` in Cargo.toml describes (tests/distribution.rs checks both agree).
# Runs on Linux, macOS and Windows (Git Bash) runners; the checksums are made once, by the
# release workflow's publish job, over every archive.
set -euo pipefail

if [ "$#" -ne 4 ]; then
  echo "usage: $0 TARGET TAG BINARY_DIR OUT_DIR" >&2
  exit 2
fi
target=$1 tag=$2 binary_dir=$3 out_dir=$4
here=$(cd "$(dirname "$0")/.." && pwd)

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/Cargo.toml" | head -n 1)
if [ "$tag" != "v$version" ]; then
  echo "error: the tag $tag is not v$version, the version in Cargo.toml" >&2
  exit 1
fi

binary=handbook
case "$target" in
  *windows*) binary=handbook.exe ;;
esac
if [ ! -f "$binary_dir/$binary" ]; then
  echo "error: $binary_dir/$binary is missing (cargo build --release --target $target)" >&2
  exit 1
fi

name="handbook-$tag-$target"
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$binary_dir/$binary" "$here/README.md" "$here/LICENSE" "$stage/$name/"

case "$target" in
  *windows*)
    archive="$name.zip"
    # Windows runners have 7-Zip and no zip; elsewhere zip is the usual tool.
    if command -v 7z >/dev/null 2>&1; then
      (cd "$stage" && 7z a -tzip -bso0 "$out_dir/$archive" "$name")
    else
      (cd "$stage" && zip -qr "$out_dir/$archive" "$name")
    fi
    ;;
  *)
    archive="$name.tar.gz"
    tar -C "$stage" -czf "$out_dir/$archive" "$name"
    ;;
esac
echo "$archive"
