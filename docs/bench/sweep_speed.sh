#!/usr/bin/env bash
# How many runs an hour a local sweep finishes, against the same runs one after another: the same 4 runs
# (--n-embd 16,32 x --lr 0.01,0.003, --backend BACKEND, STEPS steps, --val-fraction 0.1) trained
#   seq:  by 4 plain 'microgpt train' commands in a row (each with train's own --threads, all cores),
#   p1:   by 'microgpt sweep --parallel 1' (one run at a time, --threads = all cores),
#   p2:   by 'microgpt sweep --parallel 2' (two at a time, --threads 1 each),
# interleaved (seq, p1, p2, seq, p1, p2, ...) REPEATS times, the load average printed before each; then runs/hour
# of each, per repetition and as the median. The machine's other work shows in the load: keep it idle if you can.
# Usage: docs/bench/sweep_speed.sh [REPEATS] [STEPS] [BACKEND]     (default 3, 1500, simd)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-3}
steps=${2:-1500}
backend=${3:-simd}
jar=microgpt-cli/target/microgpt.jar
java=(java --add-modules jdk.incubator.vector -Xss8m -XX:PerMethodTrapLimit=1000 -jar "$jar")
mvn -q -B -ntp -DskipTests -pl microgpt-cli -am package >&2
work=$(mktemp -d /tmp/microgpt-sweep-speed.XXXXXX)
common=(--backend "$backend" --steps "$steps" --val-fraction 0.1)
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; java: $(java -version 2>&1 | head -n 1)"
echo "runs: --n-embd 16,32 x --lr 0.01,0.003, ${common[*]}"
declare -A rate only
for r in $(seq "$repeats"); do
  for mode in seq p1 p2; do
    load=$(cut -d ' ' -f 1-3 /proc/loadavg)
    start=$(date +%s.%N)
    case $mode in
      seq) for e in 16 32; do for lr in 0.01 0.003; do
             "${java[@]}" train --n-embd "$e" --lr "$lr" "${common[@]}" --samples 1 > "$work/seq-$r-$e-$lr.log" 2>&1
           done; done ;;
      p1)  "${java[@]}" sweep --out "$work/p1-$r" --n-embd 16,32 --lr 0.01,0.003 "${common[@]}" --parallel 1 > "$work/p1-$r.log" 2>&1 ;;
      p2)  "${java[@]}" sweep --out "$work/p2-$r" --n-embd 16,32 --lr 0.01,0.003 "${common[@]}" --parallel 2 > "$work/p2-$r.log" 2>&1 ;;
    esac
    seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
    per_hour=$(echo "4 * 3600 / $seconds" | bc -l)
    rate[$mode]="${rate[$mode]:-} $per_hour"
    runs_only=""
    if [ "$mode" != seq ]; then
      # from the first run's start to the last run's end (attempts.jsonl): the sweep without its plan
      span=$(python3 -c 'import json, sys, glob, datetime
t = [json.loads(open(f).readline()) for f in glob.glob(sys.argv[1] + "/runs/*/attempts.jsonl")]
s = [datetime.datetime.fromisoformat(a["started"].rstrip("Z")[:26]).timestamp() for a in t]
print(max(x + a["seconds"] for x, a in zip(s, t)) - min(s))' "$work/$mode-$r")
      runs_only=$(printf '; runs alone %.1f s, %.1f runs/hour' "$span" "$(echo "4 * 3600 / $span" | bc -l)")
      only[$mode]="${only[$mode]:-} $(echo "4 * 3600 / $span" | bc -l)"
    fi
    printf 'repeat %d %-3s %7.1f s  %6.1f runs/hour%s  (load before: %s)\n' "$r" "$mode" "$seconds" "$per_hour" "$runs_only" "$load"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
s=$(echo "${rate[seq]}" | median); p1=$(echo "${rate[p1]}" | median); p2=$(echo "${rate[p2]}" | median)
printf 'median runs/hour: seq %.1f, sweep --parallel 1 %.1f (%.2fx), sweep --parallel 2 %.1f (%.2fx)\n' \
  "$s" "$p1" "$(echo "$p1 / $s" | bc -l)" "$p2" "$(echo "$p2 / $s" | bc -l)"
printf 'median runs/hour of the runs alone (without the plan): sweep --parallel 1 %.1f, --parallel 2 %.1f\n' \
  "$(echo "${only[p1]}" | median)" "$(echo "${only[p2]}" | median)"
echo "(a sweep's whole time includes its plan: a timing trial of each of the 2 shapes)"
echo "logs: $work"
