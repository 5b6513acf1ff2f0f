#!/usr/bin/env bash
# JMH benchmarks of the hot paths (harness/src/jmh/java): SSE reader, journal append, summary update.
# Usage: bench/jmh.sh [JMH options, e.g. -wi 2 -i 3 SseReader]. Prints JMH's result table.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
find_java
mvn -B -q -ntp -Pjmh -Dsonde.build.dir=target-jmh -pl harness -am -DskipTests test-compile \
  dependency:build-classpath -Dmdep.outputFile=target-jmh.cp -Dmdep.includeScope=test >&2
cp="harness/target-jmh/test-classes:harness/target-jmh/classes:$(cat harness/target-jmh.cp)"
exec "$java_bin" -cp "$cp" org.openjdk.jmh.Main "$@"
