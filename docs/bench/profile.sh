#!/usr/bin/env bash
# A profile by phase of one-thread simd training steps (io.microgpt.simd.StepProfile) at the reference's shapes
# (n_embd 16/64/128, batch 16 and 1, the bundled names) and the two recipe shapes (4-4-128-64 and 6-6-384-256,
# batch 12, a text stream), with % of the FMA peak (io.microgpt.bench.FmaPeak) per phase. Writes
# docs/bench/profile-jdk17.txt (or -jdkNN after the JDK's major version).
#   docs/bench/profile.sh /path/to/tinyshakespeare.txt        about 6 minutes
# Environment: JAVA (default: java on the PATH), SECONDS_PER_ROUND (default 2).
set -euo pipefail
text=${1:?"usage: docs/bench/profile.sh TEXT_FILE (e.g. tinyshakespeare.txt, for the recipe shapes)"}
cd "$(dirname "$0")/../.."
java=${JAVA:-java}
round=${SECONDS_PER_ROUND:-2}
flags=(--add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=1000)
mvn -q -B -ntp -DskipTests -pl microgpt-bench -am package >&2
jar=$(mktemp -d)/benchmarks.jar
cp microgpt-bench/target/benchmarks.jar "$jar"   # a build during the run cannot swap it
major=$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
out=docs/bench/profile-jdk$major.txt
{
  echo "date:  $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu:   $(lscpu | sed -n 's/^Model name: *//p'), family $(lscpu | sed -n 's/^CPU family: *//p') model $(lscpu | sed -n 's/^Model: *//p'), $(nproc) cores, $(grep -o -m1 avx512f /proc/cpuinfo || echo 'no avx512f')"
  echo "jdk:   $("$java" -version 2>&1 | head -n 1)"
  echo "load:  $(cut -d' ' -f1-3 /proc/loadavg) at start (1, 5, 15 min)"
  # the best of three FmaPeak runs: on a shared machine a run can only be made slower
  peak=$(for i in 1 2 3; do "$java" "${flags[@]}" -cp "$jar" io.microgpt.bench.FmaPeak 2>/dev/null | grep -o '[0-9.]* GFLOP/s' | head -n 1 | cut -d' ' -f1; done | sort -g | tail -n 1)
  echo "peak:  $peak GFLOP/s (io.microgpt.bench.FmaPeak, one thread, the best of 3 runs)"
  "$java" "${flags[@]}" -cp "$jar" io.microgpt.simd.StepProfile 1-4-16-16,1-4-64-16,1-4-128-16 16,1 names "$round" "$peak" wall 2>/dev/null
  # steps of 40 ms and more rarely keep their core on a busy machine: the thread's CPU clock, every step
  "$java" "${flags[@]}" -cp "$jar" io.microgpt.simd.StepProfile 4-4-128-64 12 "$text" "$round" "$peak" cpu 2>/dev/null
  "$java" "${flags[@]}" -cp "$jar" io.microgpt.simd.StepProfile 6-6-384-256 12 "$text" $((round * 3)) "$peak" cpu 2>/dev/null
  echo
  echo "load:  $(cut -d' ' -f1-3 /proc/loadavg) at end"
} | tee "$out"
