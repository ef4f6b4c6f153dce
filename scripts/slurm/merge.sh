#!/bin/sh
#SBATCH --job-name=mc-merge
# Merge the shards written by shards.sh into the run folder of the whole ensemble,
# byte-identical to running it in one go. Submit it with --dependency=afterok:<array id>.
# OUT overrides the default below (sbatch passes the environment on); the merge names
# missing or duplicated shards instead of merging them.
set -eu
OUT=${OUT:-output/baseline}
exec megacluster merge "$OUT"/shard-*-of-* --out "$OUT/merged" --quiet
