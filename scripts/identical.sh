#!/usr/bin/env bash
# Checks that a change left every output byte-identical (issue 16 point 8), with
# scripts/golden.sh's outputs of the shipped scenarios and every command.
#   scripts/identical.sh BEFORE_DIR AFTER_DIR   compare two folders golden.sh wrote
#   scripts/identical.sh REV                    build REV (in a temporary worktree) and the
#                                               working tree, write both, compare
# Set CHARTS=skip to leave charts (PNG, SVG, report.html) out of the comparison. Builds use
# CARGO_TARGET_DIR when set (one after the other, so one target folder serves both).
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD
skip=()
[ "${CHARTS:-}" = skip ] && skip=(-x '*.png' -x '*.svg' -x report.html)
target=${CARGO_TARGET_DIR:-$here/target}

golden_of() { # golden_of SOURCE_TREE OUT_DIR: build the tree's binary, write its outputs
  (cd "$1" && CARGO_TARGET_DIR=$target cargo build --release --quiet --bin megacluster)
  # One fixed working path for both: outputs name the folder they were written to.
  BIN=$target/release/megacluster GOLDEN_TMP=${GOLDEN_TMP:-/tmp/megacluster-identical} \
    "$here/scripts/golden.sh" "$2"
}

case $# in
  2) before=$1 after=$2 ;;
  1)
    work=$(mktemp -d)
    trap 'git worktree remove --force "$work/tree" 2>/dev/null || true; rm -rf "$work"' EXIT
    git worktree add --quiet --detach "$work/tree" "$1"
    before=$work/before after=$work/after
    golden_of "$work/tree" "$before"
    golden_of "$here" "$after"
    ;;
  *) echo "usage: scripts/identical.sh BEFORE_DIR AFTER_DIR | scripts/identical.sh REV" >&2; exit 2 ;;
esac
if diff -r "${skip[@]}" "$before" "$after"; then
  echo "identical: $(find "$after" -type f | wc -l) files"
else
  echo "outputs differ (above)" >&2
  exit 1
fi
