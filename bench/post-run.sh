#!/usr/bin/env bash
# Post-run work at scale (issue 15, then 17): how long a run goes on after its last trial is
# journaled, and its peak RSS, as users run it (`java -jar sonde.jar`, no JVM flags), against the
# embedded emulator answering in 0 ms (streamed, 30 output tokens).
#
#   bench/post-run.sh [distinct] [repeats]      default: both
#     distinct  20,000 distinct cases (a cases_from dataset), 1 repeat
#     repeats   1,000 cases x 100 repeats
#
# Phases are read from outside the process: the journal's size is sampled every 50 ms, so
# start-up = launch -> first journal bytes, requests = first bytes -> the journal's final size,
# post-run = final size -> exit (±50 ms). Needs /usr/bin/time (Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(distinct repeats)
. bench/lib.sh
find_java
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 2; }
build_bench_jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
write_fast_config "$work"

now() { date +%s.%N; }

run_shape() {
  local shape=$1 cases repeat suite="$work/$1.yaml" out="$work/out-$1"
  case $shape in
    distinct) cases=20000; repeat=1 ;;
    repeats) cases=1000; repeat=100 ;;
    *) echo "unknown shape '$shape' (distinct | repeats)" >&2; exit 2 ;;
  esac
  { echo "id,topic"; for ((i = 1; i <= cases; i++)); do echo "$i,harbour $i"; done; } > "$work/$shape.csv"
  cat > "$suite" <<YAML
name: postrun-$shape
models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 30}}]
cases:
  - id: c
    cases_from: $shape.csv
    prompt: "Tell me about {{topic}}"
    assert: [{type: stop-reason, value: [end_turn, max_tokens]}, {type: contains, value: " "}]
run: {concurrency: 32, repeat: $repeat}
emulator: {config: fast.yaml}
YAML
  local journal="$out/trials.jsonl" start first="" last_size=-1 t size
  : > "$work/sizes"
  start=$(now)
  /usr/bin/time -v "$java_bin" -jar harness/target-bench/sonde.jar run "$suite" --out "$out" -q \
    > "$work/run.log" 2> "$work/time.log" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    size=$(stat -c %s "$journal" 2>/dev/null || echo 0)
    if [ "$size" != "$last_size" ]; then echo "$(now) $size" >> "$work/sizes"; last_size=$size; fi
    sleep 0.05
  done
  wait "$pid" || true
  local end; end=$(now)
  local final; final=$(stat -c %s "$journal")
  first=$(awk '$2 > 0 {print $1; exit}' "$work/sizes")
  local full; full=$(awk -v f="$final" '$2 == f {print $1; exit}' "$work/sizes")
  local trials; trials=$(wc -l < "$journal")
  local rss; rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.log")
  grep -E '^(PASS|FAIL|COMPARED)' "$work/run.log" | head -1
  awk -v s="$start" -v a="$first" -v b="$full" -v e="$end" -v n="$trials" -v rss="$rss" -v shape="$shape" 'BEGIN {
    req = b - a; post = e - b; limit = 1 + 20e-6 * n; if (0.1 * req > limit) limit = 0.1 * req;
    printf "%s: %d trials  start-up %.2f s  requests %.2f s  post-run %.2f s (%.0f %% of requests; issue 17 target <= %.2f s)  peak RSS %d MB  wall %.2f s\n",
      shape, n, a - s, req, post, 100 * post / req, limit, rss / 1024, e - s }'
}

for shape in "${shapes[@]}"; do
  run_shape "$shape"
done
