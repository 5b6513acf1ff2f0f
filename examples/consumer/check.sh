#!/usr/bin/env bash
# examples/consumer as another repository uses Sonde, from the artifacts `mvn install` put in the local
# repository (run that in the checkout first; .ci/run does). Each run works on a copy in a temporary
# folder, so the example stays clean. Checks:
#  1. `mvn verify` passes: failsafe's XML holds one <testcase> per case × model (6, named "case [model]")
#     and one per gate, and the plugin's sonde:run/sonde:verify passed with a report;
#  2. a broken assertion fails the build with its reason: through the engine (the plugin skipped), and
#     through the plugin (the engine's ITs skipped);
#  3. through the engine without a marker class (-Dsonde.junit.suites): a broken suite fails the build with
#     its reason, and so does a suite path that is not there;
#  4. a failsafe filter (-Dit.test='SmokeSuiteIT#capital*') sends only the trials it leaves: capital's 2.
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
log="$(broken plugin -Dit.test=NoSuchIT -Dfailsafe.failIfNoSpecifiedTests=false)"   # failsafe runs no test (every skip flag skips the plugin too)
grep -q 'BUILD FAILURE' "$log" || fail "plugin: no BUILD FAILURE" "$log"
grep -qE 'capital \[(haiku|sonnet)\].*osaka' "$log" || fail "plugin: the failure does not name the case and its reason" "$log"
echo "consumer: a broken assertion failed the build through the plugin: $(grep -m1 -oE 'FAILED +capital \[[a-z]+\][^"]*"osaka"' "$log" || true)"

# 3. a suite named on the command line, with no marker class, is counted and fails the build; a missing one too
named() {
  local dir
  dir="$(copy "$1")"
  shift
  cat > "$dir/src/test/sonde/other.yaml" <<'YAML'
name: other
models:
  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 200, temperature: 0}}
cases:
  - id: capital
    prompt: "What is the capital of Japan? Answer in one sentence."
    assert: [{type: icontains, value: osaka}]
emulator:
  seed: 11
  rules: [emulator/smoke-answers.yaml]
YAML
  if (cd "$dir" && mvn "${mvn_args[@]}" verify -Dsonde.skip=true "$@") > "$work/$(basename "$dir").log" 2>&1; then
    fail "mvn verify $* passed" "$work/$(basename "$dir").log"
  fi
  echo "$work/$(basename "$dir").log"
}
log="$(named other -Dsonde.junit.suites=src/test/sonde/other.yaml)"
grep -q 'BUILD FAILURE' "$log" || fail "engine, no marker: no BUILD FAILURE" "$log"
grep -qE 'capital/haiku/0: icontains.*osaka' "$log" || fail "engine, no marker: the failure does not name the trial and its reason" "$log"
grep -qE 'Failures: [1-9].* in src\.test\.sonde\.other' "$log" || fail "engine, no marker: failsafe did not count the suite's tests" "$log"
echo "consumer: a broken suite named by -Dsonde.junit.suites failed the build: $(grep -m1 -oE 'capital/haiku/0: icontains[^;]*' "$log" || true)"
log="$(named missing -Dsonde.junit.suites=src/test/sonde/missing.yaml)"
grep -q 'BUILD FAILURE' "$log" || fail "engine, missing suite: no BUILD FAILURE" "$log"
grep -q 'missing.yaml:1:1: no such suite file' "$log" || fail "engine, missing suite: the failure does not say so" "$log"
echo "consumer: a missing suite named by -Dsonde.junit.suites failed the build: $(grep -m1 -oE '[^ ]*missing.yaml:1:1: no such suite file' "$log" || true)"

# 4. a failsafe filter sends only what it leaves
filtered="$(copy filtered)"
(cd "$filtered" && mvn "${mvn_args[@]}" verify -Dsonde.skip=true -Dit.test='SmokeSuiteIT#capital*') \
  > "$work/filtered.log" 2>&1 || fail "mvn verify -Dit.test='SmokeSuiteIT#capital*' failed" "$work/filtered.log"
journal="$(ls "$filtered"/target/sonde-engine/*/trials.jsonl)"
sent="$(grep -c . "$journal")"
[ "$sent" -eq 2 ] || fail "-Dit.test='SmokeSuiteIT#capital*' sent $sent trials, not capital's 2 ($journal)" "$work/filtered.log"
grep -v '"trial_id":"capital/' "$journal" | grep -q . && fail "a trial other than capital's was sent ($journal)" "$work/filtered.log"
grep -q '^Sonde PASS: 2/2 trials passed' "$work/filtered.log" || fail "the filtered run did not pass 2/2" "$work/filtered.log"
echo "consumer: -Dit.test='SmokeSuiteIT#capital*' sent $sent trials (capital on haiku and sonnet), the gates skipped"
