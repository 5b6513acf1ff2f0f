#!/usr/bin/env bash
# JMH benchmarks of the hot paths (harness/src/jmh/java): SSE reader, journal append, summary update.
# Usage: bench/jmh.sh [JMH options, e.g. -wi 2 -i 3 SseReader]. Prints JMH's result table.
set -euo pipefail
cd "$(dirname "$0")/.."
java_bin=""
for c in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$(command -v java || true)"; do
  [ -n "$c" ] && [ -x "$c" ] || continue
  v=$("$c" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${v%%.*}" -ge 21 ] 2>/dev/null && { java_bin="$c"; break; }
done
[ -n "$java_bin" ] || { echo "needs a JDK >= 21" >&2; exit 2; }
mvn -B -q -ntp -Pjmh -Dsonde.build.dir=target-jmh -pl harness -DskipTests test-compile \
  dependency:build-classpath -Dmdep.outputFile=target-jmh.cp -Dmdep.includeScope=test >&2
cp="harness/target-jmh/test-classes:harness/target-jmh/classes:$(cat harness/target-jmh.cp)"
exec "$java_bin" -cp "$cp" org.openjdk.jmh.Main "$@"
