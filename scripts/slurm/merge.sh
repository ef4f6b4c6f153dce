#!/bin/sh
#SBATCH --job-name=mc-merge
#SBATCH --kill-on-invalid-dep=yes
# Submit with --dependency=afterok:<array id>: it runs once every shard has succeeded,
# and is cancelled if one failed.
set -eu
OUT=${OUT:-output/baseline}
megacluster merge "$OUT"/shard-*-of-* --out "$OUT/merged" --quiet
