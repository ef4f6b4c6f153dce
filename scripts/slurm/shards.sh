#!/bin/sh
#SBATCH --job-name=mc-shard
#SBATCH --array=0-3
#SBATCH --cpus-per-task=8
# One shard of an ensemble per Slurm array task: `--shard auto` reads SLURM_ARRAY_TASK_ID
# and SLURM_ARRAY_TASK_COUNT. Submit from the project folder:
#   id=$(sbatch --parsable scripts/slurm/shards.sh)
#   sbatch --dependency=afterok:$id scripts/slurm/merge.sh
# Options given to sbatch override the #SBATCH lines (e.g. --array=0-15 for 16 shards).
# SCENARIO, RUNS and OUT override the defaults below (sbatch passes the environment on).
set -eu
SCENARIO=${SCENARIO:-scenarios/baseline.ron}
RUNS=${RUNS:-10000}
OUT=${OUT:-output/baseline}
exec megacluster run "$SCENARIO" --runs "$RUNS" --shard auto \
  --out "$OUT/shard-${SLURM_ARRAY_TASK_ID}-of-${SLURM_ARRAY_TASK_COUNT}" --quiet
