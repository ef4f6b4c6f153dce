#!/usr/bin/env bash
# CI: a real single-node Slurm cluster on loopback (Debian's Slurm 22.05 and munge) runs
# the baseline as a 4-task array job plus a merge job that depends on it, with the very
# sbatch scripts the README shows (scripts/slurm/), and checks that the merged folder
# equals the same ensemble run in one go, byte for byte.
#
# Runs on its own after a release build:  cargo build --release && bash .ci/slurm.sh
# Needs root (or sudo) and apt-get. Honours CARGO_TARGET_DIR. SLURM_CI_RUNS sets the
# ensemble size (default 400). Every daemon it starts is stopped by its pid on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${SLURM_CI_RUNS:-400}
shards=4
say() { echo "slurm CI: $*" >&2; }

# The README shows the sbatch scripts this step submits: they must be the very same.
readme=$(<README.md)
for f in scripts/slurm/shards.sh scripts/slurm/merge.sh; do
  [[ $readme == *$'```sh\n'"$(<"$f")"$'\n```'* ]] ||
    { say "README.md does not show $f as it is (copy the file into its sh block)"; exit 1; }
done

target=${CARGO_TARGET_DIR:-target}
if ! bin=$(cd "$target" 2>/dev/null && pwd)/release/megacluster || [ ! -x "$bin" ]; then
  say "no release binary at $target/release/megacluster; run cargo build --release first"
  exit 1
fi

if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { say "must run as root (installs packages, starts daemons) and sudo is not available"; exit 1; }
  say "not root: rerunning under sudo"
  exec sudo env CARGO_TARGET_DIR="$(dirname "$(dirname "$bin")")" SLURM_CI_RUNS="$runs" bash .ci/slurm.sh
fi

# --- 1. Packages -------------------------------------------------------------------------
pkgs=(slurmctld slurmd slurm-client munge)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || { say "apt-get not found; install ${missing[*]} by hand"; exit 1; }
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # apt-get's output is shown only when it fails.
  install_pkgs() { apt-get -o DPkg::Lock::Timeout=120 install -y -q --no-install-recommends "${pkgs[@]}" >"$1" 2>&1; }
  apt_log=$(mktemp)
  if ! install_pkgs "$apt_log"; then
    say "apt-get install failed; retrying after apt-get update"
    if ! { apt-get -o DPkg::Lock::Timeout=120 update -q >"$apt_log" 2>&1 && install_pkgs "$apt_log"; }; then
      cat "$apt_log" >&2
      say "apt-get install ${pkgs[*]} failed"
      exit 1
    fi
  fi
  rm -f "$apt_log"
fi

# --- Cleanup: stop what this script started, by pid --------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/megacluster-slurm.XXXXXX")
chmod 755 "$tmp" # munged (user munge) writes in log/ and munge/
mkdir -p "$tmp"/{state/ctld,state/d,run,jobs,out}
install -d -o munge -g munge -m 0755 "$tmp/log"
conf=$tmp/slurm.conf
export SLURM_CONF=$conf
ctld_pid='' slurmd_pid='' munged_pid='' array_id='' merge_id='' array_sbatch='' merge_sbatch=''

# Alive = exists and is not a zombie (a killed daemon can linger as a zombie for seconds).
alive() {
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}
stop() { # pid name
  local pid=$1 i
  [ -n "$pid" ] && alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 100); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then say "$2 ($pid) ignored SIGTERM for 10 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true # reaps it when it is our child
}
show_logs() {
  local f
  for f in "$tmp"/log/* "$tmp"/jobs/* "$tmp"/*.sbatch; do
    [ -s "$f" ] || continue
    # A daemon's stderr repeats its log file; show it only when the log is empty.
    case $f in *.stderr) [ -s "${f%.stderr}.log" ] && continue ;; esac
    echo "----- $f (last 40 lines) -----" >&2
    tail -n 40 "$f" >&2
  done
}
cleanup() {
  local rc=$?
  trap - EXIT
  set +e
  if [ "$rc" != 0 ]; then say "FAILED (exit $rc); logs follow"; show_logs; fi
  if [ -n "$array_id$merge_id" ] && alive "$ctld_pid"; then
    # Our jobs still queued or running (after a failure) go before their daemons do.
    local ids=()
    [ -z "$array_id" ] || ids+=("$array_id")
    [ -z "$merge_id" ] || ids+=("$merge_id")
    timeout 5 scancel "${ids[@]}" 2>/dev/null
    for _ in $(seq 50); do
      [ -z "$(timeout 5 squeue -h -o %i -j "$(IFS=,; echo "${ids[*]}")" 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop "$array_sbatch" "sbatch --wait"
  stop "$merge_sbatch" "sbatch --wait"
  stop "$slurmd_pid" slurmd
  stop "$ctld_pid" slurmctld
  stop "$munged_pid" munged
  if [ "$rc" = 0 ]; then rm -rf "$tmp"; else say "kept $tmp for inspection"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
started=$(date +%s.%N)
elapsed() { awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
# wait_for SECONDS WHAT PID COMMAND...: poll COMMAND every 0.1 s until it succeeds, as
# long as daemon PID lives.
wait_for() {
  local secs=$1 what=$2 pid=$3 i
  shift 3
  for i in $(seq $((secs * 10))); do
    "$@" >/dev/null 2>&1 && return 0
    alive "$pid" || { say "$what exited"; return 1; }
    sleep 0.1
  done
  say "$what not ready after $secs s"
  return 1
}

# --- 2. munge and a single-node cluster on loopback -------------------------------------
# Our own munged on a private socket, so neither a system munged nor another run of this
# script is touched (the key is the one the munge package made).
install -d -o munge -g munge -m 0755 "$tmp/munge"
sock=$tmp/munge/munge.socket
munge_ok() { munge -n --socket="$sock" | unmunge --socket="$sock"; }
# In the foreground as our own child (setpriv execs it as user munge), so $! is its pid and
# we reap it: no zombie left behind where PID 1 does not reap.
setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground \
  --socket="$sock" --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/log/munged.log" \
  --seed-file="$tmp/munge/munged.seed" >"$tmp/log/munged.stderr" 2>&1 &
munged_pid=$!
wait_for 10 munged "$munged_pid" munge_ok

# Free ports for this cluster (6817/6818 unless something listens there).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=6817
while listening "$port" || listening $((port + 1)); do port=$((port + 2)); done

node=$(hostname -s)
cat > "$conf" <<CONF
ClusterName=ci
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$tmp/state/ctld
SlurmdSpoolDir=$tmp/state/d
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -D -f "$conf" >"$tmp/log/slurmctld.stderr" 2>&1 &
ctld_pid=$!
slurmd -D -f "$conf" >"$tmp/log/slurmd.stderr" 2>&1 &
slurmd_pid=$!
cluster_ready() {
  alive "$ctld_pid" || { say "slurmctld exited"; return 2; }
  alive "$slurmd_pid" || { say "slurmd exited"; return 2; }
  [ "$(timeout 5 sinfo -h -N -n "$node" -o %T 2>/dev/null)" = idle ] &&
    timeout 5 scontrol show slurmd >/dev/null 2>&1
}
for i in $(seq 300); do
  rc=0; cluster_ready || rc=$?
  [ "$rc" = 0 ] && break
  [ "$rc" = 2 ] && exit 1
  [ "$i" = 300 ] && { say "node $node not idle after 30 s"; exit 1; }
  sleep 0.1
done
say "cluster up (node $node, $(nproc) CPUs) after $(elapsed)"

# --- 3. The README's array job and its dependent merge job ------------------------------
# The jobs run the scripts the README shows; PATH, RUNS and OUT reach them through
# sbatch's default --export=ALL. --cpus-per-task=1 overrides the script's 8 on this node.
PATH="$(dirname "$bin"):$PATH"
export PATH RUNS=$runs OUT=$tmp/out/sharded
# Both sbatch --wait run in the background so that a signal reaches the trap at once.
# job_id FILE PID: the id sbatch --parsable printed to FILE, once it has (up to 10 s).
job_id() {
  local id i
  for i in $(seq 100); do
    id=$(grep -m1 -oE '^[0-9]+' "$1" || true)
    [ -n "$id" ] && { echo "$id"; return 0; }
    alive "$2" || break
    sleep 0.1
  done
  say "sbatch did not submit the job ($1: $(cat "$1"))"
  return 1
}
timeout 90 stdbuf -oL sbatch --wait --parsable --array=0-$((shards - 1)) --cpus-per-task=1 \
  --output="$tmp/jobs/shard-%A_%a.out" scripts/slurm/shards.sh >"$tmp/array.sbatch" 2>&1 &
array_sbatch=$!
array_id=$(job_id "$tmp/array.sbatch" "$array_sbatch")
timeout 90 stdbuf -oL sbatch --wait --parsable --dependency="afterok:$array_id" \
  --output="$tmp/jobs/merge-%j.out" scripts/slurm/merge.sh >"$tmp/merge.sbatch" 2>&1 &
merge_sbatch=$!
merge_id=$(job_id "$tmp/merge.sbatch" "$merge_sbatch")
array_rc=0 merge_rc=0
wait "$array_sbatch" || array_rc=$?
wait "$merge_sbatch" || merge_rc=$?
if [ "$array_rc" = 124 ] || [ "$merge_rc" = 124 ]; then say "sbatch --wait timed out after 90 s"; fi
say "array job $array_id (sbatch --wait: $array_rc), merge job $merge_id (sbatch --wait: $merge_rc) after $(elapsed)"

# --- 4. Check the job states and the output itself --------------------------------------
# sbatch --wait returns 0 for an afterok job that was cancelled: read every job's state.
states=$( { scontrol -o show job "$array_id"; scontrol -o show job "$merge_id"; } 2>&1 |
  awk '{ delete f; for (i = 1; i <= NF; i++) { k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v); f[k] = v }
         if ("JobId" in f) print "JobId=" f["JobId"], "ArrayTaskId=" ("ArrayTaskId" in f ? f["ArrayTaskId"] : "-"),
           "JobName=" f["JobName"], "JobState=" f["JobState"], "ExitCode=" f["ExitCode"]; else print }')
echo "$states" >&2
good=$(grep -c 'JobState=COMPLETED ExitCode=0:0' <<<"$states" || true)
if [ "$array_rc" != 0 ] || [ "$merge_rc" != 0 ] || [ "$good" != $((shards + 1)) ]; then
  say "expected $shards shard tasks and one merge job COMPLETED with exit 0"
  exit 1
fi

megacluster run scenarios/baseline.ron --runs "$runs" --out "$tmp/out/one-go" --quiet
[ -s "$tmp/out/sharded/merged/summary.json" ] || { say "the merge job wrote no summary.json"; exit 1; }
diff -r "$tmp/out/one-go" "$tmp/out/sharded/merged" ||
  { say "the merged folder differs from the one-go run"; exit 1; }
say "OK: $shards-task array + merge on Slurm $(sinfo -V | cut -d' ' -f2) equals the one-go run of $runs runs," \
  "$(find "$tmp/out/one-go" -type f | wc -l) files byte for byte ($(elapsed))"
