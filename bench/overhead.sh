#!/usr/bin/env bash
# Harness overhead (issue 6): Sonde's client vs a raw JDK HttpClient loop against the emulator with
# zero latency (throughput ratio, added latency), and TTFT accuracy against a scheduled latency.
# Usage: bench/overhead.sh [concurrency=32] [seconds=8]. Prints three lines of figures.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
find_java
mvn -B -q -ntp -Dsonde.build.dir=target-bench -pl core -DskipTests test-compile \
  dependency:build-classpath -Dmdep.outputFile=target-bench.cp -Dmdep.includeScope=test >&2
cp="core/target-bench/test-classes:core/target-bench/classes:$(cat core/target-bench.cp)"
exec "$java_bin" -Xss512k -cp "$cp" dev.sonde.bench.OverheadBenchmark "${1:-32}" "${2:-8}"
