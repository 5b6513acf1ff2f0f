#!/usr/bin/env bash
# examples/consumer as another repository uses Sonde, from the artifacts `mvn install` put in the local
# repository (run that in the checkout first; .ci/run does). Each run works on a copy in a temporary
# folder, so the example stays clean. Checks:
#  1. `mvn verify` passes: failsafe's XML holds one <testcase> per case × model (6, named "case [model]")
#     and one per gate, and the plugin's sonde:run/sonde:verify passed with a report;
#  2. a broken assertion fails the build with its reason: through the engine (the plugin skipped), and
#     through the plugin (the engine's ITs skipped).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mvn_args=(-B -ntp "$@")

fail() {
  echo "consumer: $1" >&2
  [ -f "${2:-}" ] && tail -60 "$2" >&2
  exit 1
}

copy() {
  mkdir -p "$work/$1"
  (cd "$here" && tar --exclude=./target --exclude=./reports -cf - .) | (cd "$work/$1" && tar -xf -)
  echo "$work/$1"
}

# 1. the suite passes through both
ok="$(copy ok)"
(cd "$ok" && mvn "${mvn_args[@]}" verify) > "$work/ok.log" 2>&1 || fail "mvn verify failed" "$work/ok.log"
xml="$ok/target/failsafe-reports/TEST-com.example.SmokeSuiteIT.xml"
[ -f "$xml" ] || fail "no failsafe report $xml" "$work/ok.log"
trials="$(grep -oE '<testcase name="[a-z-]+ \[(haiku|sonnet)\]"' "$xml" | sort -u | wc -l)"
gates="$(grep -oE '<testcase name="baseline [a-z_]+"' "$xml" | wc -l)"
[ "$trials" -eq 6 ] || fail "expected 6 trial testcases (3 cases x 2 models) in $xml, found $trials" "$work/ok.log"
[ "$gates" -ge 1 ] || fail "no baseline gate testcase in $xml" "$work/ok.log"
grep -q '<failure\|<error' "$xml" && fail "a testcase failed in $xml" "$work/ok.log"
grep -q '^Sonde report: .*/report.html' "$work/ok.log" || fail "the engine printed no report path" "$work/ok.log"
grep -q 'Sonde: suite smoke passed; report: .*/report.html' "$work/ok.log" || fail "sonde:verify did not pass with a report" "$work/ok.log"
echo "consumer: mvn verify passed: $trials trial testcases and $gates gate testcases in failsafe's XML; the plugin's run passed"

# 2. a broken assertion fails the build with its reason, each way
broken() {
  local dir
  dir="$(copy "$1")"
  sed -i 's/{type: icontains, value: tokyo}/{type: icontains, value: osaka}/' "$dir/src/test/sonde/smoke.yaml"
  grep -q 'value: osaka' "$dir/src/test/sonde/smoke.yaml" || fail "could not break the suite"
  shift
  if (cd "$dir" && mvn "${mvn_args[@]}" verify "$@") > "$work/$(basename "$dir").log" 2>&1; then
    fail "mvn verify $* passed with a broken assertion" "$work/$(basename "$dir").log"
  fi
  echo "$work/$(basename "$dir").log"
}
log="$(broken engine -Dsonde.skip=true)"
grep -q 'BUILD FAILURE' "$log" || fail "engine: no BUILD FAILURE" "$log"
grep -qE 'capital \[(haiku|sonnet)\].*osaka|osaka.*capital' "$log" || fail "engine: the failure does not name the case and its reason" "$log"
echo "consumer: a broken assertion failed the build through the engine: $(grep -m1 -oE 'capital/[a-z]+/0: icontains[^;]*' "$log" || true)"
log="$(broken plugin -DskipITs)"
grep -q 'BUILD FAILURE' "$log" || fail "plugin: no BUILD FAILURE" "$log"
grep -qE 'capital \[(haiku|sonnet)\].*osaka' "$log" || fail "plugin: the failure does not name the case and its reason" "$log"
echo "consumer: a broken assertion failed the build through the plugin: $(grep -m1 -oE 'FAILED +capital \[[a-z]+\][^"]*"osaka"' "$log" || true)"
