#!/usr/bin/env bash
# Capacity benchmark of the Sonde emulator (issue 3, item 8): streamed responses per second on
# loopback with zero configured latency, each answer 20 text deltas, load from wrk on the same
# machine. Builds its own jar (target-bench), starts `sonde emulator` with a zero-latency
# config, checks the answer has 20 deltas, runs wrk, prints the figure and stops the server.
#
# Usage: bench/emulator-capacity.sh [duration_s=15] [connections=64] [wrk_threads=1]
# The emulator runs as `sonde emulator` runs out of the box (no JVM flags); set EMULATOR_JVM_OPTS
# (e.g. "-XX:+UseParallelGC -Xmx512m") to compare a tuned server.
# Needs: Maven (offline repo is fine), a JDK >= 21 (JAVA_HOME, else /usr/lib/jvm/temurin-25*),
#        wrk (Debian: apt-get install -y wrk), curl.
set -euo pipefail
DURATION="${1:-15}"
CONNECTIONS="${2:-64}"
THREADS="${3:-1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/java}"
if [[ -z "$JAVA" ]]; then
  for candidate in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-21-*; do
    [[ -x "$candidate/bin/java" ]] && JAVA="$candidate/bin/java" && break
  done
fi
JAVA="${JAVA:-java}"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 2; }

echo "== building harness/target-bench/sonde.jar"
(cd "$ROOT" && mvn -B -q -o -Dsonde.build.dir=target-bench -pl harness -am -DskipTests package)
JAR="$ROOT/harness/target-bench/sonde.jar"

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$WORK/emulator.yaml" <<YAML
port: $PORT
seed: 1
latency:
  - {model: "*", ttft_base_ms: 0, prefill_us_per_token: 0, output_tokens_per_second: 0, jitter_sigma: 0}
YAML
echo "== starting sonde emulator on 127.0.0.1:$PORT (zero latency, seed 1)"
# shellcheck disable=SC2086 # JVM options are words
"$JAVA" ${EMULATOR_JVM_OPTS:-} -jar "$JAR" emulator --config "$WORK/emulator.yaml" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/models" -H 'x-api-key: k' -H 'anthropic-version: 2023-06-01' && break
  sleep 0.1
done

# A fixed request whose seeded answer (seed 1) is exactly 20 text deltas.
export SONDE_BENCH_BODY='{"model":"claude-sonnet-4-6","max_tokens":52,"stream":true,"messages":[{"role":"user","content":"Benchmark me"}]}'
DELTAS="$(curl -s "http://127.0.0.1:$PORT/v1/messages" -H 'content-type: application/json' -H 'x-api-key: sk-bench' \
  -H 'anthropic-version: 2023-06-01' -d "$SONDE_BENCH_BODY" | grep -c '"text_delta"' || true)"
echo "== text deltas per response: $DELTAS"

echo "== warm-up (5 s)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$ROOT/bench/emulator-capacity.lua" "http://127.0.0.1:$PORT/v1/messages" >/dev/null
echo "== measuring (${DURATION} s, $CONNECTIONS connections, $THREADS wrk thread(s))"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$ROOT/bench/emulator-capacity.lua" \
  "http://127.0.0.1:$PORT/v1/messages" | tee "$WORK/wrk.txt"
RATE="$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")"
echo
echo "emulator capacity: ${RATE} streamed responses/s (${DELTAS} text deltas each, zero latency, $(nproc) cores, wrk on the same machine)"
