package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.LatencyProfile;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault the emulator can inject, through the whole CLI, as a live run with a known key:
 * every planned trial ends with exactly one classified result, transient faults are retried to
 * success, permanent ones end as the right error class, no attempt thread is left behind, and
 * the key appears in no file and no console line.
 */
class FaultMatrixTest {
    private static final String SECRET = "sonde-fault-matrix-SECRET-4242424242";
    private static final int REPEAT = 3;
    @TempDir
    Path dir;

    /** case id, marker in the prompt, rule (YAML flow mapping), expected status/error class. */
    private record Fault(String id, String rule, String expected) {}

    private static final List<Fault> FAULTS = List.of(
            new Fault("storm-429", "{status: 429, retry_after_ms: 20}, max_matches: 6", "passed"),
            new Fault("overloaded-529", "{status: 529, retry_after_ms: 0}, max_matches: 3", "passed"),
            new Fault("server-500", "{status: 500, retry_after_ms: 0}, max_matches: 3", "passed"),
            new Fault("mid-stream-error", "{error_after_deltas: 2, type: overloaded_error}, max_matches: 3", "passed"),
            new Fault("dropped-connection", "{drop_after_deltas: 2}, max_matches: 3", "passed"),
            new Fault("stall", "{stall_after_deltas: 1, stall_ms: 2000}, max_matches: 2", "passed"),
            new Fault("malformed-sse", "{malformed_after_events: 3}, max_matches: 3", "passed"),
            new Fault("always-overloaded", "{status: 529, retry_after_ms: 0, should_retry: true}", "errored:overloaded"),
            new Fault("bad-request", "{status: 400}", "errored:invalid_request"),
            new Fault("no-retry-503", "{status: 503, should_retry: false}", "errored:server_error"));

    @Test
    void every_trial_ends_with_exactly_one_classified_result_and_the_key_never_leaks() throws Exception {
        StringBuilder rules = new StringBuilder("rules:\n");
        StringBuilder cases = new StringBuilder();
        for (Fault f : FAULTS) {
            String rule = f.rule();
            String fault = rule.contains("max_matches") ? rule.substring(0, rule.indexOf("}, max_matches") + 1) : rule;
            String max = rule.contains("max_matches") ? "\n    max_matches: " + rule.substring(rule.indexOf("max_matches: ") + 13) : "";
            rules.append("  - name: ").append(f.id()).append("\n    match: {contains: \"[").append(f.id()).append("]\"}")
                    .append(max).append("\n    reply: {text: \"Recovered answer, after a pause that the stream takes between its words.\", fault: ").append(fault).append("}\n")
                    // once the fault's matches are used up, the same prompt gets the plain answer
                    .append("  - name: ").append(f.id()).append("-after\n    match: {contains: \"[").append(f.id())
                    .append("]\"}\n    reply: {text: \"Recovered answer, after a pause that the stream takes between its words.\"}\n");
            cases.append("  - {id: ").append(f.id()).append(", prompt: \"Please answer [").append(f.id())
                    .append("]\", assert: [{type: contains, value: Recovered}]}\n");
        }
        cases.append("  - {id: clean, prompt: \"No fault here\", assert: [{type: stop-reason, value: [end_turn, max_tokens]}]}\n");
        Path rulesFile = dir.resolve("faults.yaml");
        Files.writeString(rulesFile, rules.toString());
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: faults
                models: [{id: sonnet, model: claude-sonnet-4-6, params: {max_tokens: 40}}]
                cases:
                %s
                run:
                  concurrency: 8
                  repeat: %d
                  timeout_s: 20
                  idle_timeout_s: 0.5
                  retry: {max_attempts: 7, base_delay_ms: 5, max_delay_ms: 20}
                """.formatted(cases, REPEAT));
        Path out = dir.resolve("out");
        Set<String> attemptThreadsBefore = attemptThreads();

        StringWriter console = new StringWriter();
        int exit;
        EmulatorConfig config = EmulatorConfig.builder().seed(11).rules(List.of(rulesFile))
                .acceptedKeys(Set.of(SECRET)).latency(List.of(new LatencyProfile("*", 5, 0, 2000, 0))).build();
        try (Emulator emu = Emulator.start(config)) {
            PrintWriter pw = new PrintWriter(console, true);
            exit = Main.execute(Map.of("ANTHROPIC_API_KEY", SECRET), pw, pw, "run", suite.toString(), "--endpoint",
                    emu.baseUri().toString(), "--out", out.toString());
        }

        List<TrialResult> trials;
        try (Stream<TrialResult> s = Journal.read(out.resolve("trials.jsonl"))) {
            trials = s.toList();
        }
        int planned = (FAULTS.size() + 1) * REPEAT;
        assertThat(trials).hasSize(planned);
        assertThat(trials.stream().map(TrialResult::trialId).distinct().count()).isEqualTo(planned);
        Map<String, Long> outcomes = new TreeMap<>(trials.stream().collect(Collectors.groupingBy(
                t -> t.caseId() + " → " + t.status() + (t.error() == null ? "" : ":" + t.error().errorClass()),
                Collectors.counting())));
        System.out.println("fault matrix: " + planned + " trials, " + trials.stream().mapToInt(TrialResult::attempts).sum()
                + " attempts");
        outcomes.forEach((k, v) -> System.out.println("  " + k + " × " + v));
        for (Fault f : FAULTS) {
            assertThat(trials.stream().filter(t -> t.caseId().equals(f.id())))
                    .as(f.id())
                    .allSatisfy(t -> assertThat(t.status() + (t.error() == null ? "" : ":" + t.error().errorClass()))
                            .isEqualTo(f.expected()));
        }
        assertThat(trials.stream().filter(t -> t.caseId().equals("stall")).mapToInt(TrialResult::attempts).sum())
                .isGreaterThan(REPEAT); // the stalls were cut by the idle timeout and retried
        assertThat(trials.stream().filter(t -> t.caseId().equals("bad-request"))).allSatisfy(t -> assertThat(t.attempts()).isEqualTo(1));
        assertThat(trials.stream().filter(t -> t.caseId().equals("always-overloaded"))).allSatisfy(t -> assertThat(t.attempts()).isEqualTo(7));
        assertThat(exit).isEqualTo(1); // permanent faults fail their trials; the run itself completed
        assertThat(attemptThreads()).isEqualTo(attemptThreadsBefore);

        assertThat(console.toString()).doesNotContain(SECRET).doesNotContain("SECRET-4242");
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SECRET).doesNotContain("SECRET-4242");
            }
        }
    }

    private static Set<String> attemptThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sonde-"))
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
