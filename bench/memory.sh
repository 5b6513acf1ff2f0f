#!/usr/bin/env bash
# Memory (issue 6, issue 17): a 100,000-trial run against the embedded emulator (zero latency),
# with every output written, and its peak resident set size three ways: as users run it
# (`java -jar` with no flags, and `./sonde`), and with the heap capped at 128 MB to show the live
# set itself stays bounded (the default heap grows into free memory because it may).
# Usage: bench/memory.sh [trials=100000]. Needs /usr/bin/time (Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-100000}
. bench/lib.sh
find_java
build_bench_jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
write_fast_config "$work"
cat > "$work/mem.yaml" <<YAML
name: mem
models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 30}}]
cases:
  - {id: a, prompt: "Tell me about harbours", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}
  - {id: b, prompt: "Tell me about bridges", assert: [{type: contains, value: " "}]}
run: {concurrency: 32, repeat: $((trials / 2))}
emulator: {config: fast.yaml}
YAML
measure() { # measure LABEL COMMAND...
  local label=$1; shift
  rm -rf "$work/out"
  /usr/bin/time -v "$@" run "$work/mem.yaml" --out "$work/out" -q > "$work/run.log" 2> "$work/time.log"
  grep -qE '^(PASS|FAIL)' "$work/run.log" || { echo "$label: the run did not finish: $(tail -3 "$work/run.log" "$work/time.log")" >&2; exit 1; }
  local rss wall
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.log")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.log")
  echo "memory, $label: $trials trials, every output written, peak RSS $((rss / 1024)) MB, wall $wall (target < 300 MB)"
}
jar="$(pwd)/harness/target-bench/sonde.jar"
SONDE_JAR="$jar" ./sonde --version > /dev/null # the start-up cache both launchers use, once per build
measure "java -jar (no flags)" "$java_bin" -jar "$jar"
measure "./sonde" env SONDE_JAR="$jar" ./sonde
measure "heap capped at 128 MB (the live set)" "$java_bin" -Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=48m \
  -XX:MaxDirectMemorySize=32m -jar "$jar"
