# Shared by the bench scripts: pick a JDK >= 21 (JAVA_HOME, Temurin 25, PATH) into $java_bin.
find_java() {
  java_bin=""
  local c v
  for c in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$(command -v java || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    v=$("$c" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    [ "${v%%.*}" -ge 21 ] 2>/dev/null && { java_bin="$c"; return 0; }
  done
  echo "needs a JDK >= 21 (set JAVA_HOME)" >&2
  exit 2
}

# Builds harness/target-bench/sonde.jar (its own build folder, so a bench never disturbs a dev build).
build_bench_jar() {
  mvn -B -q -ntp -Dsonde.build.dir=target-bench -DskipTests package >&2
}

# Writes an emulator config answering in 0 ms (no latency model) to "$1/fast.yaml".
write_fast_config() {
  cat > "$1/fast.yaml" <<'YAML'
latency: [{model: "*", ttft_base_ms: 0, prefill_us_per_token: 0, output_tokens_per_second: 0, jitter_sigma: 0}]
YAML
}

# Starts `sonde emulator` from "$jar" in the background: start_emulator LOG ARGS… (ARGS after `emulator`,
# e.g. --config FILE --port 0). Sets $emulator_pid and $emulator_url (its base URL) once it listens;
# exits 1, printing its log, if it does not within 30 s.
start_emulator() {
  local log="$1"
  shift
  "$java_bin" -jar "$jar" emulator "$@" > "$log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 600); do
    grep -q 'listening on' "$log" 2>/dev/null && break
    sleep 0.05
  done
  emulator_url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$log")
  [ -n "$emulator_url" ] || { echo "the emulator did not start: $(cat "$log")" >&2; kill "$emulator_pid" 2>/dev/null; exit 1; }
}

# A temporary folder for a bench ($work), removed on exit with the emulator it starts ($emu_pid).
bench_workdir() {
  work=$(mktemp -d)
  emu_pid=""
  trap '[ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null; rm -rf "$work"' EXIT
}

# `sonde emulator` from the bench jar on a fixed schedule, no jitter: 100 ms to the first token,
# then TOKENS_PER_S tokens a second. emulator_fixed TOKENS_PER_S [ARGS…] (after bench_workdir and
# build_bench_jar); sets $jar, $emu_pid and $base.
emulator_fixed() {
  local tps=$1
  shift
  jar="$root/harness/target-bench/sonde.jar"
  printf 'latency: [{model: "*", ttft_base_ms: 100, prefill_us_per_token: 0, output_tokens_per_second: %s, jitter_sigma: 0}]\n' \
    "$tps" > "$work/emulator.yaml"
  start_emulator "$work/emu.log" --config "$work/emulator.yaml" --port 0 "$@"
  emu_pid=$emulator_pid
  base=$emulator_url
}
