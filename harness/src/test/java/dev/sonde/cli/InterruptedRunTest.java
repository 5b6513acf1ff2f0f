package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.Clock;
import dev.sonde.run.RunAborted;
import dev.sonde.run.RunStop;
import dev.sonde.run.TrialListener;
import dev.sonde.session.SuiteSession;
import dev.sonde.testing.HeldRequests;
import dev.sonde.testing.StubServer;
import dev.sonde.testing.Suites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a signal does to a run, in this JVM (the process-level test is {@code LaunchIT}): the
 * requests in flight are cancelled and journaled as skipped, every report of the partial run is
 * written as after a budget stop, the command's line and exit code say so, and {@code --resume}
 * then finishes the run without sending again what was journaled.
 */
@Tag("hostile")
class InterruptedRunTest {
    private static final int CASES = 20;
    private static final String KEY = "sk-interrupted-test";
    @TempDir
    Path dir;

    static List<TrialResult> journal(Path out) throws Exception {
        try (Stream<TrialResult> s = Journal.read(out.resolve("trials.jsonl"))) {
            return s.toList();
        }
    }

    @Test
    void an_interrupted_run_writes_every_report_says_so_in_one_line_and_resume_finishes_it() throws Exception {
        Path suite = Suites.numbered(dir, "interrupted", CASES, 4);
        Path out = dir.resolve("run");
        HeldRequests held = new HeldRequests(6, 4, StubServer.messagesStream(0));
        try (StubServer server = StubServer.start(held); HeldRequests opened = held) {
            RunStop stop = new RunStop();
            Thread.ofVirtual().start(() -> {
                try {
                    if (held.awaitHeld(60)) {
                        stop.request("interrupted (SIGINT)");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            SuiteSession.Options options = new SuiteSession.Options(suite, server.baseUri().toString(), out, null,
                    null, dir, Map.of("ANTHROPIC_API_KEY", KEY), TrialListener.NONE, Clock.system());
            long started = System.nanoTime();
            RunAborted aborted = (RunAborted) catchThrowable(
                    () -> SuiteSession.run(options, null, stop));

            assertThat(aborted).as("ends as a budget stop does").isNotNull();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                    .as("the four held requests were cancelled, not waited for").isLessThan(30);
            assertThat(aborted.getMessage()).isEqualTo("interrupted (SIGINT)");
            assertThat(held.calls()).as("nothing sent after the stop").isEqualTo(10);
            for (String report : List.of("report.html", "results.json", "junit.xml", "summary.md", "results.csv")) {
                assertThat(out.resolve(report)).as(report).isRegularFile();
            }
            JsonNode results = Journal.JSON.readTree(out.resolve("results.json").toFile());
            assertThat(results.path("stopped_by").asText()).isEqualTo("interrupted (SIGINT)");
            assertThat(results.path("skipped_trials").asInt()).isEqualTo(14);
            List<TrialResult> trials = journal(out);
            assertThat(trials).hasSize(CASES);
            assertThat(trials).filteredOn(t -> t.skipped() == null).hasSize(6).allMatch(TrialResult::pass);
            assertThat(trials).filteredOn(t -> t.skipped() != null).hasSize(14)
                    .allMatch(t -> t.skipped().equals("interrupted (SIGINT)") && t.error() == null);
            String dirShown = out.toAbsolutePath().toString();
            assertThat(RunCommand.interrupted("interrupted (SIGINT)", aborted.partial())).isEqualTo(
                    "sonde: interrupted (SIGINT): 6 of 20 trials done, reports in " + dirShown + "; resume with --resume "
                            + dirShown);

            Set<String> answeredBefore = trials.stream().filter(t -> t.skipped() == null).map(TrialResult::caseId)
                    .map(c -> "question " + Integer.parseInt(c.substring(1))).collect(Collectors.toSet());
            int sentBefore = server.received().size();
            held.open();
            StringWriter err = new StringWriter();
            int exit = Main.execute(Map.of("ANTHROPIC_API_KEY", KEY), new PrintWriter(new StringWriter()),
                    new PrintWriter(err), "run", suite.toString(), "--endpoint", server.baseUri().toString(),
                    "--resume", out.toString(), "-q");

            assertThat(exit).as(err.toString()).isEqualTo(Main.PASSED);
            assertThat(err.toString()).as("every report of the finished run written").doesNotContain("could not write");
            List<String> resent = server.lastUserTexts().subList(sentBefore, server.received().size());
            assertThat(resent).hasSize(14).doesNotContainAnyElementsOf(answeredBefore);
            Map<String, List<TrialResult>> byTrial = journal(out).stream()
                    .collect(Collectors.groupingBy(TrialResult::trialId));
            assertThat(byTrial).hasSize(CASES).allSatisfy((id, lines) -> assertThat(lines)
                    .filteredOn(t -> t.skipped() == null).as(id).singleElement().matches(TrialResult::pass));
            JsonNode finished = Journal.JSON.readTree(out.resolve("results.json").toFile());
            assertThat(finished.path("summary").path("total").path("trials").asInt()).isEqualTo(CASES);
            assertThat(finished.path("summary").path("total").path("passed").asInt()).isEqualTo(CASES);
            assertThat(finished.path("stopped_by").isNull()).isTrue();
        }
    }

    @Test
    void the_exit_code_is_128_and_the_signal_number_and_the_reason_names_the_signal() {
        assertThat(new RunSignals.Received("INT", 2).exitCode()).isEqualTo(130);
        assertThat(new RunSignals.Received("TERM", 15).exitCode()).isEqualTo(143);
        assertThat(new RunSignals.Received("INT", 2).reason()).isEqualTo("interrupted (SIGINT)");
        assertThat(new RunSignals.Received("TERM", 15).reason()).isEqualTo("interrupted (SIGTERM)");
    }

    @Test
    void the_first_signal_silences_the_console_and_asks_the_stop_once() {
        RunStop stop = new RunStop();
        AtomicInteger silenced = new AtomicInteger();
        try (RunSignals signals = RunSignals.install(stop, silenced::incrementAndGet)) {
            assertThat(signals.signal()).isNull();
            signals.received(new RunSignals.Received("TERM", 15));
            assertThat(signals.signal().name()).isEqualTo("TERM");
            assertThat(stop.reason()).isEqualTo("interrupted (SIGTERM)");
            assertThat(silenced).hasValue(1);
        }
    }

    @Test
    void a_finished_run_interrupted_while_its_reports_were_written_says_all_trials_are_done() throws Exception {
        Path suite = Suites.numbered(dir, "interrupted", 3, 1);
        Path out = dir.resolve("done");
        try (StubServer server = StubServer.start(StubServer.messagesStream(0))) {
            SuiteSession.Options options = new SuiteSession.Options(suite, server.baseUri().toString(), out, null,
                    null, dir, Map.of("ANTHROPIC_API_KEY", KEY), TrialListener.NONE, Clock.system());
            SuiteSession.Evaluated ended = (SuiteSession.Evaluated) SuiteSession.run(options, null, new RunStop());
            assertThat(RunCommand.interrupted("interrupted (SIGTERM)", ended.result())).isEqualTo(
                    "sonde: interrupted (SIGTERM): 3 of 3 trials done, reports in " + out.toAbsolutePath());
        }
        assertThat(new HashSet<>(journal(out).stream().map(TrialResult::trialId).toList())).hasSize(3);
    }
}
