#!/usr/bin/env bash
# The run history store's figures (issue 25), as users get them: the bench jar and its
# sonde-history.jar, no JVM flags beyond the launcher's own.
#
#   acceptance  200 real runs of suites/regression.yaml (made first, in one JVM, against the
#               embedded emulator with its regression answers and a fast latency model), then in a
#               fresh JVM started as ./sonde starts one: the database's first start (history module
#               found, DuckDB's native library unpacked to java.io.tmpdir, first connection) printed
#               apart, then the 200 runs added as `sonde history import` adds them and the suite's
#               trend view drawn (target < 2 s together); the same on the JVM's default flags; then
#               the two CLI commands (`sonde history import`, `sonde history trend`), wall time
#   synthetic   1,000 runs x 1,000 trials (made in the JVM: a run's figures, gates, trials, checks
#               and outputs), then the trend views over the last 30 and all runs, the runs list and a
#               two-run diff (target < 1 s each), best of 5 after one warm-up
#
#   bench/history.sh [--quick]      (--quick: 50 runs and 200 x 1,000)
#
# Machines here are noisy: compare figures within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
quick=0
for a in "$@"; do
  case $a in
    --quick) quick=1 ;;
    *) echo "unknown option $a (--quick)" >&2; exit 2 ;;
  esac
done
. bench/lib.sh
find_java
build_bench_jar
jar="$root/harness/target-bench/sonde.jar"
hjar="$root/history/target-bench/sonde-history.jar"
[ -f "$hjar" ] || { echo "no $hjar after the build" >&2; exit 1; }
bench_workdir
cp="$jar:$hjar"
runs=200; synth_runs=1000
[ "$quick" = 1 ] && { runs=50; synth_runs=200; }

echo "Run history ($(date -u +%F), $("$java_bin" -version 2>&1 | head -1), $(nproc) cores, loadavg $(cut -d' ' -f1 /proc/loadavg))"

# the regression suite, its answers and baseline as in the checkout, with a fast latency model
mkdir -p "$work/suite"
cat > "$work/suite/fast.yaml" <<'YAML'
latency: [{model: "*", ttft_base_ms: 5, prefill_us_per_token: 0, output_tokens_per_second: 20000, jitter_sigma: 0.3}]
YAML
sed -e "s#^  rules: \[\.\./fixtures/emulator/regression.yaml\]#  rules: [$root/fixtures/emulator/regression.yaml]\n  config: $work/suite/fast.yaml#" \
    -e "s#^  file: \.\./reports/baselines/regression.json#  file: $root/reports/baselines/regression.json#" \
    suites/regression.yaml > "$work/suite/regression.yaml"
grep -q "config: $work/suite/fast.yaml" "$work/suite/regression.yaml" || { echo "suites/regression.yaml's emulator block changed" >&2; exit 1; }

# the launcher's start-up cache for this build, made (and timed) before anything is timed through ./sonde
t0=$(date +%s%N)
SONDE_JAR="$jar" "$root/sonde" --version > /dev/null
echo "  start-up cache for this build: $(( ($(date +%s%N) - t0) / 1000000 )) ms, once"

echo "== acceptance: $runs runs of the regression suite"
"$java_bin" --enable-native-access=ALL-UNNAMED -cp "$cp" bench/History.java runs "$runs" "$work/suite/regression.yaml" "$work/runs"
# in one JVM as the launcher starts every command but `emulator` (./sonde's own flags, read from the
# script, plus its quick compiler; `java -jar` relaunches itself with the same), then on plain JVM
# defaults for comparison (on 2 cores the optimising compiler's threads take CPU from a short cold run)
eval "$(grep -m1 '^flags=(' sonde)"
echo "-- with ./sonde's JVM flags: ${flags[*]} -XX:TieredStopAtLevel=1"
"$java_bin" "${flags[@]}" -XX:TieredStopAtLevel=1 -cp "$cp" bench/History.java acceptance "$work/in-jvm.duckdb" "$work/runs"
echo "-- with the JVM's defaults"
"$java_bin" --enable-native-access=ALL-UNNAMED -cp "$cp" bench/History.java acceptance "$work/in-jvm-defaults.duckdb" "$work/runs"
t0=$(date +%s%N)
SONDE_JAR="$jar" SONDE_HISTORY_JAR="$hjar" "$root/sonde" history import "$work/runs"/* --store "$work/cli.duckdb" > "$work/import.log"
t1=$(date +%s%N)
SONDE_JAR="$jar" SONDE_HISTORY_JAR="$hjar" "$root/sonde" history trend --suite regression --last 0 --store "$work/cli.duckdb" > "$work/trend.log"
t2=$(date +%s%N)
echo "as two commands, JVM start and first start included: sonde history import $(( (t1 - t0) / 1000000 )) ms ($(grep -c '^history: imported' "$work/import.log") runs), sonde history trend $(( (t2 - t1) / 1000000 )) ms ($(head -1 "$work/trend.log"))"

echo "== synthetic: $synth_runs runs x 1,000 trials"
"$java_bin" --enable-native-access=ALL-UNNAMED -cp "$cp" bench/History.java synthetic "$work/synthetic.duckdb" "$synth_runs" 1000
