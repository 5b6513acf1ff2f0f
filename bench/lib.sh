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
