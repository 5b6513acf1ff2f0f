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
