#!/usr/bin/env bash
# Scale on one machine (issue 20, item 7): one open-loop step at 200 requests/s against `sonde
# emulator` (its own JVM, default flags) streaming ~3 s answers (100 ms to the first token, then
# 30 tokens at 10 tokens/s, no jitter), so ~600 streams are in flight at once, run as users run
# Sonde: `java -jar sonde.jar` (no JVM flags) or `./sonde`. Prints, from the run's journal and
# results.json: the achieved rate, streams in flight (peak and mean over the measured window), start
# delay (send − intended start) p50/p99/max, errors, the client's and the emulator's CPU, TTFT
# p50/p99, and the machine's floor: how late a bare thread keeping the same schedule beside Sonde
# woke (bench/OpenLoop.java floor), which no client on this machine can beat. Prints figures;
# asserts nothing.
#
#   bench/openloop.sh [--sonde] [rate_per_s=200] [duration_s=20] [warmup_s=5]
#
# --sonde runs `./sonde` instead of `java -jar sonde.jar`; CLIENT_JAVA_OPTIONS="-XX:+UseZGC" runs
# `java OPTIONS -jar sonde.jar` (a JVM started with options runs as started, without the launcher's
# flags: README "Performance"), the emulator and the floor staying as they are. The client's CPU is /usr/bin/time's user +
# system time over the whole process (start-up and the probe included) divided by its wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
launcher=jar
if [ "${1:-}" = --sonde ]; then launcher=sonde; shift; fi
rate=${1:-200}
duration=${2:-20}
warmup=${3:-5}
for v in "$rate" "$duration" "$warmup"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "rate, duration and warm-up are whole numbers, not '$v'" >&2; exit 2; }
done
[ "$warmup" -lt "$duration" ] && [ "$rate" -gt 0 ] || { echo "needs rate > 0 and warm-up < duration" >&2; exit 2; }
. bench/lib.sh
find_java
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 2; }
build_bench_jar
bench_workdir
emulator_fixed 10

cat > "$work/openloop.yaml" <<YAML
name: openloop
models: [{id: h, model: claude-haiku-4-5, stream: true, params: {max_tokens: 30}}]
cases:
  - id: c
    prompt: "Tell me about harbours"
load:
  mode: open
  rate_per_s: [${rate}]
  duration_s: ${duration}
  warmup_s: ${warmup}
  max_requests: $(awk -v r="$rate" -v d="$duration" 'BEGIN { printf "%d", r * d + 1 }')
YAML
if [ -n "${CLIENT_JAVA_OPTIONS:-}" ]; then
  # shellcheck disable=SC2206 # the options, one word each
  cmd=("$java_bin" $CLIENT_JAVA_OPTIONS -jar "$jar"); shown="java $CLIENT_JAVA_OPTIONS -jar sonde.jar"
elif [ "$launcher" = jar ]; then cmd=("$java_bin" -jar "$jar"); shown="java -jar sonde.jar"; else cmd=(env SONDE_JAR="$jar" "$root/sonde"); shown="./sonde"; fi
echo "$shown: an open-loop step at $rate/s for $duration s ($warmup s warm-up) against $base…" >&2
# the floor: a bare thread keeping the same schedule beside Sonde, for the length of Sonde's run
"$java_bin" bench/OpenLoop.java floor "$rate" "$((duration + 3))" > "$work/floor" &
floor_pid=$!
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$emu_pid/stat"; }
emu_before=$(cpu_ticks)
rc=0
ANTHROPIC_API_KEY=sk-ant-openloop /usr/bin/time -f '%U %S %e %M' -o "$work/time" "${cmd[@]}" run "$work/openloop.yaml" \
  --endpoint "$base" --out "$work/out" -q > "$work/run.log" 2>&1 || rc=$?
emu_ticks=$(( $(cpu_ticks) - emu_before ))
wait "$floor_pid"
[ -f "$work/out/results.json" ] || { echo "sonde run failed ($rc): $(tail -5 "$work/run.log")" >&2; exit 1; }
read -r user sys wall rss_kb < "$work/time"
echo "Scale, open loop ($(date -u +%F), $("$java_bin" -version 2>&1 | grep -v '^NOTE: Picked up' | head -1), $(nproc) cores, loadavg $(cut -d' ' -f1 /proc/loadavg)); $shown, exit $rc"
echo "emulator: 100 ms to the first token, 30 tokens at 10/s (~3.0 s streams); offered $rate/s, $duration s, $warmup s warm-up"
"$java_bin" bench/OpenLoop.java "$work/out/trials.jsonl" "$work/out/results.json" "$duration" "$warmup"
awk -v u="$user" -v s="$sys" -v w="$wall" -v m="$rss_kb" -v c="$(nproc)" 'BEGIN {
  printf "client CPU       %.1f s user + %.1f s system over %.1f s wall = %.2f cores (of %d); peak RSS %d MB\n", u, s, w, (u + s) / w, c, m / 1024 }'
awk -v t="$emu_ticks" -v hz="$(getconf CLK_TCK)" -v w="$wall" 'BEGIN {
  printf "emulator CPU     %.1f s over the same %.1f s = %.2f cores\n", t / hz, w, t / hz / w }'
cat "$work/floor"
