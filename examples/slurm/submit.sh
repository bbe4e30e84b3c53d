#!/bin/bash
# Runs a scenario as SHARDS array tasks on a Slurm cluster, then merges.
#
#   examples/slurm/submit.sh scenarios/baseline.toml 10000000000 100 /shared/parts /shared/result
#
# The parts folder must be visible to every node (a shared file system).
set -euo pipefail

scenario=$1 runs=$2 shards=$3 parts=$4 result=$5
here=$(dirname "$0")
mkdir -p logs "$parts"

array=$(sbatch --parsable --array="1-${shards}" \
  --export="ALL,SCENARIO=${scenario},RUNS=${runs},SHARDS=${shards},PARTS=${parts}" \
  "$here/shards.sbatch")
sbatch --dependency="afterok:${array}" \
  --export="ALL,PARTS=${parts},RESULT=${result}" \
  "$here/merge.sbatch"
echo "submitted shards as job ${array}; the merge waits for all of them"
