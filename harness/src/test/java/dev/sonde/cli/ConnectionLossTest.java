package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.testing.HangUpServer;
import dev.sonde.testing.StubServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection closed without a response fails (and retries) that trial, never the run, and a
 * healthy model on another endpoint runs every trial; only nothing listening at an endpoint that has
 * not answered yet stops a run (exit 3). An endpoint that answered and then went away fails its
 * trials as unreachable, and the run goes on.
 */
@Tag("hostile")
class ConnectionLossTest {
    private static final String KEY = "sk-connection-loss-test-0123456789";
    private static final int CASES = 4;
    @TempDir
    Path dir;

    private Path suite(String models, int concurrency) throws Exception {
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < CASES; i++) {
            cases.append("  - {id: c").append(i).append(", prompt: \"Capital of France, take ").append(i)
                    .append("?\", assert: [{type: contains, value: Paris}]}\n");
        }
        Path file = dir.resolve("suite.yaml");
        Files.writeString(file, """
                name: connection-loss
                models:
                %s
                cases:
                %s
                run:
                  concurrency: %d
                  retry: {max_attempts: 3, base_delay_ms: 1, max_delay_ms: 5}
                """.formatted(models, cases, concurrency));
        return file;
    }

    private static String model(String id, String model, String baseUrl) {
        return "  - {id: " + id + ", model: " + model + ", stream: false, base_url: \"" + baseUrl + "\"}";
    }

    private static StubServer healthy() throws Exception {
        return StubServer.start((req, res, out) -> {
            res.getHeaders().put("content-type", "application/json");
            StubServer.write(out, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"Paris\"}],\"stop_reason\":\"end_turn\","
                    + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}");
        });
    }

    private SecretEchoTest.Run run(Path suite, String out) {
        return SecretEchoTest.run(Map.of("ANTHROPIC_API_KEY", KEY), "run", suite.toString(), "--out",
                dir.resolve(out).toString(), "-q");
    }

    private List<TrialResult> trials(String out) throws Exception {
        try (Stream<TrialResult> s = Journal.read(dir.resolve(out).resolve("trials.jsonl"))) {
            return s.toList();
        }
    }

    private static List<TrialResult> of(List<TrialResult> trials, String model) {
        return trials.stream().filter(t -> t.model().equals(model)).toList();
    }

    @Test
    void an_endpoint_that_closes_every_connection_fails_its_own_trials_after_retries_and_the_healthy_model_runs_all()
            throws Exception {
        try (HangUpServer closing = HangUpServer.start(n -> n % 2 == 0 ? HangUpServer.Action.RESET
                : HangUpServer.Action.HANG_UP); StubServer fine = healthy()) {
            // the closing endpoint gets the first request, the run's probe
            Path suite = suite(model("flaky", "claude-haiku-4-5", closing.baseUri().toString()) + "\n"
                    + model("healthy", "claude-sonnet-4-6", fine.baseUri().toString()), 2);

            SecretEchoTest.Run r = run(suite, "all-closed");

            assertThat(r.exit()).as(r.err()).isEqualTo(Main.CHECK_FAILED);
            assertThat(r.err()).doesNotContain("run stopped");
            List<TrialResult> trials = trials("all-closed");
            assertThat(trials).hasSize(2 * CASES).allSatisfy(t -> assertThat(t.skipped()).isNull());
            assertThat(of(trials, "healthy")).hasSize(CASES).allSatisfy(t -> assertThat(t.pass()).isTrue());
            assertThat(of(trials, "flaky")).hasSize(CASES).allSatisfy(t -> {
                assertThat(t.error().errorClass()).isEqualTo("connection_closed");
                assertThat(t.attempts()).isEqualTo(3);
            });
            assertThat(closing.connections()).isEqualTo(3 * CASES);
        }
    }

    @Test
    void connections_closed_now_and_then_are_retried_to_success_and_the_run_is_not_stopped() throws Exception {
        try (HangUpServer sometimes = HangUpServer.start(n -> n % 2 == 1 ? HangUpServer.Action.HANG_UP
                : HangUpServer.Action.ANSWER); StubServer fine = healthy()) {
            // one request at a time: each flaky trial's first connection is closed, its second answered
            Path suite = suite(model("flaky", "claude-haiku-4-5", sometimes.baseUri().toString()) + "\n"
                    + model("healthy", "claude-sonnet-4-6", fine.baseUri().toString()), 1);

            SecretEchoTest.Run r = run(suite, "some-closed");

            assertThat(r.exit()).as(r.err()).isEqualTo(Main.PASSED);
            List<TrialResult> trials = trials("some-closed");
            assertThat(trials).hasSize(2 * CASES).allSatisfy(t -> assertThat(t.pass()).isTrue());
            assertThat(of(trials, "flaky")).allSatisfy(t -> {
                assertThat(t.attempts()).isEqualTo(2);
                assertThat(t.attemptLog().get(0).error()).isEqualTo("connection_closed");
            });
            assertThat(of(trials, "healthy")).allSatisfy(t -> assertThat(t.attempts()).isEqualTo(1));
        }
    }

    @Test
    void nothing_listening_at_an_endpoint_before_it_answered_stops_the_run_with_exit_3_whichever_model_comes_first()
            throws Exception {
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        try (StubServer fine = healthy()) {
            String down = model("down", "claude-haiku-4-5", "http://127.0.0.1:" + refused);
            String up = model("healthy", "claude-sonnet-4-6", fine.baseUri().toString());
            for (String order : new String[] {down + "\n" + up, up + "\n" + down}) {
                String out = order.startsWith(down) ? "down-first" : "down-second";
                SecretEchoTest.Run r = run(suite(order, 1), out);

                assertThat(r.exit()).as(out + ": " + r.err()).isEqualTo(Main.CANNOT_PROCEED);
                assertThat(r.err()).as(out).contains("run stopped: http://127.0.0.1:" + refused + ": unreachable");
                List<TrialResult> trials = trials(out);
                assertThat(of(trials, "down")).as(out).noneMatch(TrialResult::pass);
                assertThat(trials).as(out).filteredOn(t -> t.skipped() != null).isNotEmpty();
            }
        }
    }

    @Test
    void an_endpoint_that_answered_then_went_away_fails_its_trials_as_unreachable_and_the_run_goes_on()
            throws Exception {
        try (HangUpServer once = HangUpServer.start(n -> HangUpServer.Action.ANSWER_THEN_GO_AWAY)) {
            Path suite = suite(model("gone", "claude-haiku-4-5", once.baseUri().toString()), 1);

            SecretEchoTest.Run r = run(suite, "gone");

            assertThat(r.exit()).as(r.err()).isEqualTo(Main.CHECK_FAILED);
            assertThat(r.err()).doesNotContain("run stopped");
            List<TrialResult> trials = trials("gone");
            assertThat(trials).hasSize(CASES).allSatisfy(t -> assertThat(t.skipped()).isNull());
            assertThat(trials.get(0).pass()).isTrue();
            assertThat(trials.subList(1, CASES)).allSatisfy(t -> {
                assertThat(t.error().errorClass()).isEqualTo("unreachable");
                assertThat(t.attempts()).isEqualTo(3);
            });
            assertThat(once.connections()).isEqualTo(1);
        }
    }
}
