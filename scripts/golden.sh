#!/usr/bin/env bash
# Writes every output of the shipped scenarios and every command into one folder, so that
# a refactoring can be checked byte for byte: run it before and after, then
#   scripts/golden.sh /tmp/before && (change) && scripts/golden.sh /tmp/after
#   diff -r /tmp/before /tmp/after             # everything
#   diff -r -x '*.png' -x '*.svg' -x report.html /tmp/before /tmp/after   # charts aside
# BIN (default target/release/megacluster) is the binary to use; build it first. GOLDEN_TMP
# (default /tmp/megacluster-golden) is the fixed working path: give concurrent callers their own.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:?usage: scripts/golden.sh OUT_DIR}
bin=$(realpath "${BIN:-target/release/megacluster}")
[ -x "$bin" ] || { echo "no binary at $bin: cargo build --release first" >&2; exit 1; }
# Outputs name their folders: write under one fixed path, then move, so two calls compare.
out=${GOLDEN_TMP:-/tmp/megacluster-golden}
rm -rf "$out" "$dest"
mkdir -p "$out"
mc() { "$bin" "$@" --quiet; }
# Listings and checks (stdout kept).
for s in scenarios/*.ron; do
  n=$(basename "$s" .ron)
  "$bin" check "$s" >"$out/check-$n.txt"
  "$bin" metrics "$s" >"$out/metrics-$n.txt"
done
"$bin" params scenarios/baseline.ron >"$out/params.txt"
"$bin" params scenarios/baseline.ron --format csv >"$out/params.csv"
"$bin" params scenarios/baseline.ron --uncertain >"$out/params-uncertain.txt"
# Runs of every shipped scenario (terminal table too).
for s in baseline power-delay strong-support; do
  "$bin" run "scenarios/$s.ron" --runs 120 --out "$out/run-$s" >"$out/run-$s.txt"
done
mc run scenarios/stress-100k.ron --runs 2 --out "$out/run-stress"
mc run scenarios/baseline.ron --runs 30 --keep-runs all --set policy.tax_credit_large=0.2 \
  --set 'model.fabless.spillover_weight=Uniform(0.1, 0.3)' --out "$out/run-set"
# Compare (files and a folder).
"$bin" compare scenarios/baseline.ron scenarios/strong-support.ron "$out/run-power-delay" \
  --runs 120 --out "$out/compare" --quiet
# Tuning commands.
mc sweep scenarios/baseline.ron --param policy.tax_credit_large=0.05..0.4:4 --runs 40 \
  --out "$out/sweep1"
mc sweep scenarios/baseline.ron --runs 30 --target "5 new fabs in the cluster" \
  --param policy.tax_credit_large=0.05..0.4:3 \
  --param 'sites.Yongin_National.power_additions[0].year=2026..2034:3' --out "$out/sweep2"
mc sweep scenarios/baseline.ron --design lhs --samples 8 --runs 20 \
  --param policy.tax_credit_large=0.05..0.4 --param policy.permit_timeout_years=0..5 \
  --out "$out/sweep-lhs"
mc sensitivity scenarios/baseline.ron --runs 20 --out "$out/oat"
mc sensitivity scenarios/baseline.ron --method morris --trajectories 3 --runs 15 --out "$out/morris"
mc sensitivity scenarios/baseline.ron --method sobol --samples 8 --runs 10 \
  --outcome fabless_1t_firms@2035 --param market.ai_demand_growth=0.1..0.5 \
  --param model.fabless.spillover_weight=0..0.5 --out "$out/sobol"
mc search scenarios/baseline.ron --lever policy.tax_credit_large=0..0.5 \
  --target "5 new fabs in the cluster" --probability 0.9 --runs 60 --out "$out/search"
# Shards and merge.
for k in 0 1 2; do
  mc run scenarios/baseline.ron --runs 30 --shard $k/3 --out "$out/shards/s$k"
done
mc merge "$out"/shards/s* --out "$out/merged"
for k in 0 1; do
  mc sweep scenarios/baseline.ron --param policy.tax_credit_large=0.1..0.3:3 --runs 20 \
    --shard $k/2 --out "$out/sweep-shards/s$k"
done
mc merge "$out"/sweep-shards/s* --out "$out/sweep-merged"
# Bad input: the messages (exit codes kept in the file name).
for f in tests/bad/*.ron; do
  n=$(basename "$f" .ron)
  NO_COLOR=1 "$bin" check "$f" >"$out/bad-$n.txt" 2>&1 || echo "exit $?" >>"$out/bad-$n.txt"
done
mkdir -p "$(dirname "$dest")"
mv "$out" "$dest"
echo "wrote $dest ($(find "$dest" -type f | wc -l) files)"
