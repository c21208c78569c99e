#!/bin/bash
# Runs the documented Slurm array job (docs/cluster/sweep.sbatch, the 8-run grid of docs/cluster/grid.txt) on a
# one-node Slurm cluster started on this machine from Debian's packages (slurm-wlm, munge: slurmctld and slurmd on
# localhost), requeues one task while its run trains (as a pre-emption does), waits for the array, and checks
# results.jsonl: 8 lines, one per run, the requeued run resumed from its checkpoint. Then checks that the
# Kubernetes manifest (sweep-job.yaml) runs the same command line and is a valid Job.
# Not part of CI: it needs root (packages, daemons) and a few minutes.
# Usage: sudo docs/cluster/slurm-local-test.sh [WORK_DIR]      (WORK_DIR: default a new folder under /tmp)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /tmp/microgpt-slurm.XXXXXX)}
mkdir -p "$work"
host=$(hostname -s)
started=()   # pid files of the daemons this script started, stopped at the end

stop_started() {
  for pidfile in "${started[@]}"; do
    if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
}
trap stop_started EXIT

echo "== packages"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge python3-kubernetes >/dev/null
slurmctld -V

echo "== munge"
[ -s /etc/munge/munge.key ] || mungekey --create
mkdir -p /run/munge && chown munge:munge /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  started+=(/run/munge/munged.pid)
fi
munge -n | unmunge | grep 'STATUS'

echo "== slurm: controller and node daemon on $host"
cpus=$(nproc)
memory_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 2048 ))
mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
# one-node test cluster written by microgpt's docs/cluster/slurm-local-test.sh
ClusterName=microgpt-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
JobRequeue=1
KillWait=60
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
if ! scontrol ping 2>/dev/null | grep -q UP; then
  slurmctld -c   # -c: a clean start, no jobs left from an earlier test
  started+=(/run/slurmctld.pid)
fi
if ! pgrep -x slurmd >/dev/null; then
  slurmd
  started+=(/run/slurmd.pid)
fi
for _ in $(seq 60); do
  state=$(sinfo -h -N -o %t 2>/dev/null | head -n 1)
  [ "$state" = idle ] || [ "$state" = mix ] && break
  sleep 1
done
sinfo -N

echo "== microgpt jar"
(cd "$repo" && mvn -q -B -ntp -pl microgpt-cli -am package -DskipTests)
jar=$repo/microgpt-cli/target/microgpt.jar
out=$work/out
grid=$repo/docs/cluster/grid.txt

echo "== the plan"
java --add-modules jdk.incubator.vector -jar "$jar" sweep --out "$out" --grid "$grid" --list 2>/dev/null | tee "$work/plan.txt"
runs=$(grep -c '^ *[0-9]\+  --' "$work/plan.txt")
echo "runs in the plan: $runs"
[ "$runs" = 8 ]

echo "== sbatch docs/cluster/sweep.sbatch"
job=$(cd "$repo" && sbatch --parsable --chdir="$work" \
      --export=ALL,MICROGPT_JAR="$jar",SWEEP_OUT="$out",SWEEP_GRID="$grid" docs/cluster/sweep.sbatch)
echo "job $job"
start=$(date +%s)

# pre-empt one task while its run trains (from step 300 on): requeued, it gets SIGTERM, its run saves, and the
# task starts again, resuming the run from its checkpoint
victim=7
for _ in $(seq 1200); do
  step=$( (grep '^step ' "$out/runs/00$victim/train.log" 2>/dev/null || true) | tail -n 1 | awk '{print $2}')
  if [ -n "$step" ] && [ "$step" -ge 300 ]; then break; fi
  sleep 0.5
done
echo "requeueing task $victim at: $(grep '^step ' "$out/runs/00$victim/train.log" | tail -n 1)"
scontrol requeue "${job}_$victim"

for _ in $(seq 1800); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 2
done
echo "array done in $(( $(date +%s) - start )) s"
squeue -j "$job" || true

echo "== task outputs (last line of each)"
for f in "$work"/microgpt-sweep-"$job"_*.out; do echo "$(basename "$f"): $(tail -n 1 "$f")"; done

echo "== checks"
python3 - "$out" "$victim" <<'PY'
import json, pathlib, sys
out, victim = pathlib.Path(sys.argv[1]), int(sys.argv[2])
lines = [json.loads(l) for l in (out / "results.jsonl").read_text().splitlines() if l.strip()]
indices = sorted(l["index"] for l in lines)
assert indices == list(range(8)), f"results.jsonl indices {indices}"
for l in lines:
    run = out / "runs" / l["run"]
    rows = (run / "metrics.csv").read_text().splitlines()
    header = rows[0].split(",")
    vals = [float(r.split(",")[header.index("val_loss")]) for r in rows[1:] if r.split(",")[header.index("val_loss")]]
    assert l["final_val_loss"] == vals[-1] and l["best_val_loss"] == min(vals), f"run {l['run']}: result differs from its metrics"
    assert l["steps"] == 3000, l
v = next(l for l in lines if l["index"] == victim)
log = (out / "runs" / v["run"] / "train.log").read_text()
assert v["attempts"] == 2 and "resuming " in log, f"run {victim}: {v['attempts']} attempts"
print(f"ok: 8 result lines, one per run, each matching its run's metrics; run {victim} took {v['attempts']} attempts:"
      f" {[l for l in log.splitlines() if l.startswith('resuming')][0]}")
PY

echo "== report"
java --add-modules jdk.incubator.vector -jar "$jar" sweep report "$out" 2>/dev/null

echo "== Kubernetes manifest: the same command line, and a valid Job"
sbatch_cmd=$(grep -A1 '^exec java' "$repo/docs/cluster/sweep.sbatch" | tr -d '\\\n' | sed 's/  */ /g')
k8s_cmd=$(/usr/bin/python3 -c 'import sys, yaml; c = yaml.safe_load(open(sys.argv[1]))["spec"]["template"]["spec"]["containers"][0]["command"]; print(" ".join(c))' \
          "$repo/docs/cluster/sweep-job.yaml")
echo "slurm: $sbatch_cmd"
echo "k8s:   $k8s_cmd"
shape() { echo "$1" | sed -E 's/-jar [^ ]+/-jar JAR/; s/--out [^ ]+/--out DIR/; s/--grid [^ ]+/--grid GRID/; s/--index [^ ]+/--index I/; s/^exec //'; }
[ "$(shape "$sbatch_cmd")" = "$(shape "$k8s_cmd")" ] && echo "ok: the same command line: $(shape "$k8s_cmd")"
grep -q "completions: $runs" "$repo/docs/cluster/sweep-job.yaml" && echo "ok: completions $runs, one per run"
"$repo/docs/cluster/check-job-manifest.py" "$repo/docs/cluster/sweep-job.yaml"
echo "== done: $work"
