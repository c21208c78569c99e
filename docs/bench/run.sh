#!/usr/bin/env bash
# Regenerates docs/BENCHMARKS.md from fresh measurements of every backend that can run here:
#   1. the JMH suite under JDK 17 and JDK 25 (raw results: docs/bench/jmh-jdk17.json, jmh-jdk25.json),
#   2. the peak RSS of a 1000-step `microgpt train` per backend at n_embd 16 and 64 (docs/bench/memory.tsv),
#   3. `microgpt bench --json` under JDK 17, for the engines' working sets (docs/bench/cli-jdk17.json, .txt),
#   4. the tables in docs/BENCHMARKS.md (docs/bench/tables.py, needs python3).
# Takes about 10 to 15 minutes per JDK on 2 cores with scalar and simd, plus the train and bench runs. Keep the machine otherwise idle if you can.
#
# Environment: JAVA17 (default: java on the PATH), JAVA25 (default: /usr/lib/jvm/temurin-25-jdk-amd64/bin/java,
# skipped when missing), JMH_ARGS (extra JMH arguments, e.g. "-p nEmbd=16,64 -wi 2 -i 3" for a quick look),
# SHAPE_JMH_ARGS (the same for ModelShapeBenchmark, e.g. "-p shape=4-4-128-64 -p threads=1,2").
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/bench
java17=${JAVA17:-java}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
bench_jar=microgpt-bench/target/benchmarks.jar
cli_jar=microgpt-cli/target/microgpt.jar
flags=(--add-modules jdk.incubator.vector -Xss8m -XX:PerMethodTrapLimit=1000)

command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
command -v python3 >/dev/null || { echo "needs python3 for the tables" >&2; exit 2; }

rm -f "$out"/jmh-jdk*.json "$out"/memory.tsv "$out"/cli-jdk17.json "$out"/cli-jdk17.txt  # no stale results

echo "== build" >&2
mvn -q -B -ntp -DskipTests -pl microgpt-cli,microgpt-bench -am package >&2

{
  echo "date:          $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu:           $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)," \
       "family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs)" \
       "model $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | cut -d: -f2 | xargs);" \
       "$(grep -m1 flags /proc/cpuinfo | grep -q avx512f && echo AVX-512 || echo AVX2)"
  echo "cores:         $(nproc)"
  echo "memory:        $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; 2 cores, shared with other work)"
} > "$out/machine.txt"
cat "$out/machine.txt" >&2

run_jmh() {  # $1 = java binary, $2 = label
  local java=$1 label=$2 backends
  backends=$("$java" "${flags[@]}" -cp "$bench_jar" io.microgpt.bench.AvailableBackends 2>/dev/null)
  echo "== JMH on $label ($("$java" -version 2>&1 | head -n 1)), backends: $backends" >&2
  # shellcheck disable=SC2086
  "$java" -jar "$bench_jar" 'TrainingStepBenchmark|InferenceBenchmark|FmaPeakBenchmark' -p backend="$backends" -prof gc \
    -rf json -rff "$out/jmh-$label.json" ${JMH_ARGS:-} \
    > "/tmp/microgpt-jmh-$label.log" 2>&1 || { tail -n 40 "/tmp/microgpt-jmh-$label.log" >&2; exit 1; }
  sed -n '/^Benchmark /,$p' "/tmp/microgpt-jmh-$label.log" | grep -v 'gc\.\(count\|time\|alloc.rate \)' >&2
  # The larger shapes run on the simd backend only (the scalar tape would need tens of GB at 6-6-384-256);
  # their results are appended to the same file.
  if [[ ",$backends," == *,simd,* ]]; then
    # shellcheck disable=SC2086
    "$java" -jar "$bench_jar" ModelShapeBenchmark -rf json -rff "/tmp/microgpt-jmh-shapes-$label.json" ${SHAPE_JMH_ARGS:-} \
      > "/tmp/microgpt-jmh-shapes-$label.log" 2>&1 || { tail -n 40 "/tmp/microgpt-jmh-shapes-$label.log" >&2; exit 1; }
    grep -E '^(Benchmark |ModelShape)|working set' "/tmp/microgpt-jmh-shapes-$label.log" >&2
    python3 -c 'import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:3]); json.dump(a + b, open(sys.argv[1], "w"), indent=2)' \
      "$out/jmh-$label.json" "/tmp/microgpt-jmh-shapes-$label.json"
  fi
}
run_jmh "$java17" jdk17
if [ -x "$java25" ]; then run_jmh "$java25" jdk25; else echo "no JDK 25 at $java25: skipped" >&2; fi
echo "load at end:   $(cut -d' ' -f1-3 /proc/loadavg) (of the JMH runs)" >> "$out/machine.txt"

echo "== peak RSS of 1000-step train runs" >&2
backends=$("$java17" "${flags[@]}" -cp "$bench_jar" io.microgpt.bench.AvailableBackends 2>/dev/null)
peak_rss() {  # $@ = extra JVM flags, then train flags; prints "kilobytes<TAB>elapsed" of one train run
  /usr/bin/time -v -o /tmp/microgpt-time.txt "$java17" "${flags[@]}" "$@" > /dev/null 2>&1 \
    || { echo "train run failed: $*" >&2; exit 1; }
  printf '%s\t%s' "$(awk -F': ' '/Maximum resident set size/ {print $2}' /tmp/microgpt-time.txt)" \
    "$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' /tmp/microgpt-time.txt)"
}
printf 'backend\tn_embd\tmax_rss_kb\telapsed\tmax_rss_kb_xmx128m\telapsed_xmx128m\n' > "$out/memory.tsv"
for backend in ${backends//,/ }; do
  for n in 16 64; do
    train=(-jar "$cli_jar" train --backend "$backend" --n-embd "$n" --steps 1000)
    printf '%s\t%s\t%s\t%s\n' "$backend" "$n" "$(peak_rss "${train[@]}")" "$(peak_rss -Xmx128m "${train[@]}")" >> "$out/memory.tsv"
  done
done
cat "$out/memory.tsv" >&2

echo "== microgpt bench (working sets)" >&2
"$java17" "${flags[@]}" -jar "$cli_jar" bench --n-embd 16,64 --json "$out/cli-jdk17.json" 2>/dev/null | tee "$out/cli-jdk17.txt" >&2

python3 "$out/tables.py"
