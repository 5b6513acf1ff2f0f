#!/usr/bin/env bash
# Timing truth (issue 20, item 6): Sonde's TTFT / E2E / inter-token gaps against what the emulator
# says it did (`sonde emulator --trace`), beside a raw-socket HTTP/1.1 reader (the floor), a plain
# JDK HttpClient loop and Jetty's HttpClient (Sonde's client), all against one emulator process: 100 ms to the first token, 20 tokens at
# 100 tokens/s, no jitter. Matched by request-id; prints figures, asserts nothing.
# Usage: bench/truth.sh [concurrencies=1,8,200] [requests per concurrency for raw, JDK and Jetty=60,300,1000]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. bench/lib.sh
find_java
concurrencies=${1:-1,8,200}
requests=${2:-60,300,1000}
build_bench_jar
bench_workdir
emulator_fixed 100 --trace "$work/trace.jsonl"

# Sonde: a closed-loop sweep over the same concurrencies, streamed, 20 tokens, after a first step at
# concurrency 8 that is not reported (its JIT and connections warmed, as Truth.java warms its own
# clients with 100 requests at 8 before measuring)
cat > "$work/truth.yaml" <<YAML
name: truth
models: [{id: h, model: claude-haiku-4-5, stream: true, params: {max_tokens: 20}}]
cases:
  - id: c
    prompt: "Tell me about harbours"
load:
  mode: closed
  concurrency: [8,${concurrencies}]
  duration_s: 10
  warmup_s: 1
  max_requests: 3000
YAML
echo "Sonde: a benchmark at concurrency $concurrencies against $base…" >&2
ANTHROPIC_API_KEY=sk-ant-truth "$java_bin" -jar "$jar" run "$work/truth.yaml" --endpoint "$base" --out "$work/sonde" -q >&2
echo "raw socket, JDK HttpClient and Jetty HttpClient: $requests requests…" >&2
echo "Timing truth ($(date -u +%F), $("$java_bin" -version 2>&1 | head -1), $(nproc) cores, loadavg $(cut -d' ' -f1 /proc/loadavg)); emulator: 100 ms TTFT, 20 tokens at 10 ms"
"$java_bin" -cp "$jar" bench/Truth.java "$base" "$work/trace.jsonl" "$work/sonde/trials.jsonl" "$concurrencies" "$requests"
