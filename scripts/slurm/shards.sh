#!/bin/sh
#SBATCH --job-name=mc-shard
#SBATCH --array=0-3
#SBATCH --cpus-per-task=8
# One shard per array task: --shard auto reads SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT.
set -eu
SCENARIO=${SCENARIO:-scenarios/baseline.ron} RUNS=${RUNS:-10000} OUT=${OUT:-output/baseline}
megacluster run "$SCENARIO" --runs "$RUNS" --shard auto \
  --out "$OUT/shard-${SLURM_ARRAY_TASK_ID}-of-${SLURM_ARRAY_TASK_COUNT}" --quiet
