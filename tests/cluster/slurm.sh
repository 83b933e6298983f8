#!/usr/bin/env bash
# A real one-node Slurm cluster runs the shipped examples/slurm/sweep.sbatch, unmodified,
# as a 4-task job array over a DuckSends sweep; the merged shards must equal one machine's
# sweep byte for byte (issue 21). `.ci/run` runs it after `cargo test`.
#
# Needs root (the daemons run as root, on their own ports, from a configuration in a
# temporary directory: nothing under /etc/slurm is written) and slurmctld, slurmd and munge.
# Without them it skips with a line on stderr, unless TABLETOP_REQUIRE_TOOLS=1 (CI), which
# installs them with apt-get or fails. TABLETOP names the binary to test; by default it is
# built with `cargo build --locked` (the debug binary `cargo test` already built).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

say() { echo "slurm.sh: $*" >&2; }
required() { [ "${TABLETOP_REQUIRE_TOOLS:-}" = 1 ]; }
skip_or_fail() {
  if required; then
    say "FAIL: $* (required: TABLETOP_REQUIRE_TOOLS=1)"
    exit 1
  fi
  say "skipped: $* (TABLETOP_REQUIRE_TOOLS=1 makes this a failure)"
  exit 0
}

[ "$(id -u)" = 0 ] || skip_or_fail "needs root to start slurmctld, slurmd and munged"
have_tools() {
  command -v slurmctld && command -v slurmd && command -v munged && command -v sbatch
} >/dev/null
if ! have_tools; then
  if required && command -v apt-get >/dev/null; then
    say "installing slurmctld slurmd munge"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      slurmctld slurmd munge >/dev/null
  fi
  have_tools || skip_or_fail "slurmctld, slurmd, sbatch or munged not found (apt-get install slurmctld slurmd munge)"
fi

bin=${TABLETOP:-}
if [ -z "$bin" ]; then
  cargo build --locked --quiet
  bin=${CARGO_TARGET_DIR:-$repo/target}/debug/tabletop
fi
bin=$(realpath "$bin")

work=$(mktemp -d /tmp/tabletop-slurm.XXXXXX)
started_munged=
cleanup() {
  local status=$?
  local pid
  for daemon in slurmd slurmctld; do
    pid=$(cat "$work/$daemon.pid" 2>/dev/null || true)
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  done
  if [ -n "$started_munged" ]; then
    runuser -u munge -- munged --stop 2>/dev/null || true
  fi
  if [ "$status" != 0 ]; then
    say "failed; the daemons' logs:"
    tail -n 30 "$work"/log/*.log "$work"/tabletop-sweep-*.log >&2 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# munge authenticates slurmctld and slurmd to each other: reuse a running munged, or
# start one (its key comes with the package; make one if it did not).
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  [ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey --create
  runuser -u munge -- munged
  started_munged=1
  munge -n | unmunge >/dev/null
fi

# Ports of our own, so a Slurm already on this machine is left alone.
ctld_port=${TABLETOP_SLURMCTLD_PORT:-26817}
slurmd_port=${TABLETOP_SLURMD_PORT:-26818}
for port in "$ctld_port" "$slurmd_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    skip_or_fail "port $port is in use (set TABLETOP_SLURMCTLD_PORT and TABLETOP_SLURMD_PORT)"
  fi
done

node=$(hostname -s)
cpus=$(nproc)
mkdir -p "$work/state" "$work/spool" "$work/log" "$work/shards"
cat >"$work/slurm.conf" <<EOF
ClusterName=tabletop-ci
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=ci Nodes=$node Default=YES MaxTime=10 State=UP
EOF
export SLURM_CONF=$work/slurm.conf
# Nothing of an enclosing job (CI running under Slurm) may leak into ours.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^SLURM_' | grep -v '^SLURM_CONF$' || true)

slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N "$node"
for _ in $(seq 1 60); do
  state=$(sinfo -h -N -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || { say "the node did not come up (state: ${state:-none})"; exit 1; }
say "one-node cluster up ($node, $cpus CPUs)"

# The sweep: 4 array tasks, numbered from 1 to show that SLURM_ARRAY_TASK_MIN counts.
scenario=$repo/scenarios/ducksends.ron
sweep=(--seeds 160 --seed-base 7 --variant fin-intake=share-first)
t0=$SECONDS
job=$(sbatch --parsable --array=1-4 --chdir="$work" --export=ALL,TABLETOP="$bin" \
  "$repo/examples/slurm/sweep.sbatch" "$scenario" "$work/shards" "${sweep[@]}")
# Poll rather than `sbatch --wait`, whose polling slows to every 10 s or so.
while [ -n "$(squeue -h -j "$job" -o %i 2>/dev/null)" ]; do
  if [ $((SECONDS - t0)) -gt 150 ]; then
    scancel "$job" || true
    say "the job array did not finish within 150 s"
    exit 1
  fi
  sleep 0.5
done
completed=$(scontrol show job -o "$job" | grep -c 'JobState=COMPLETED' || true)
if [ "$completed" != 4 ]; then
  say "$completed of 4 array tasks completed:"
  scontrol show job -o "$job" |
    awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(ArrayTaskId|JobState|ExitCode)=/) printf "  %s", $i; print "" }' >&2
  exit 1
fi
say "the 4-task array ran in $((SECONDS - t0)) s"

shards=("$work"/shards/shard-*.jsonl)
[ "${#shards[@]}" = 4 ] || { say "expected 4 shards, got ${#shards[@]}"; exit 1; }
for k in 1 2 3 4; do
  grep -q "^shard $k/4 (Slurm array task $k of 1-4)" "$work"/tabletop-sweep-*.log ||
    { say "no array task said it was shard $k/4"; exit 1; }
done

"$bin" merge-sweeps "${shards[@]}" >"$work/merged.txt"
"$bin" merge-sweeps --json "${shards[@]}" >"$work/merged.json"
"$bin" sweep "$scenario" "${sweep[@]}" >"$work/one.txt"
"$bin" sweep "$scenario" "${sweep[@]}" --json >"$work/one.json"
cmp "$work/merged.txt" "$work/one.txt"
cmp "$work/merged.json" "$work/one.json"
say "merged shards equal one machine's sweep, byte for byte (text and JSON)"
