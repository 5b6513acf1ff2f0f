package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sonde run --record}: what a stopped run keeps, and what is refused before anything is sent. */
@Tag("hostile")
class RecordCommandTest {
    private static final String KEY = "sk-record-command-test";
    @TempDir
    Path dir;

    @Test
    void a_stopped_run_keeps_every_answer_it_recorded_in_a_file_the_emulator_loads() throws Exception {
        Path suite = Suites.numbered(dir, "stopped", 20, 4);
        Path recorded = dir.resolve("fixtures/emulator/stopped.yaml"); // its folder is made
        HeldRequests held = new HeldRequests(6, 4, echoing());
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
            SuiteSession.Options options = new SuiteSession.Options(suite, server.baseUri().toString(), dir.resolve("run"),
                    null, null, dir, Map.of("ANTHROPIC_API_KEY", KEY), TrialListener.NONE, Clock.system(), null, false,
                    null, false, false, List.of(), List.of(), null, recorded);
            assertThat(catchThrowable(() -> SuiteSession.run(options, null, stop))).isInstanceOf(RunAborted.class);

            List<TrialResult> answered = InterruptedRunTest.journal(dir.resolve("run")).stream()
                    .filter(t -> t.skipped() == null).toList();
            String file = Files.readString(recorded);
            assertThat(answered).hasSize(6);
            assertThat(file.split("\n- name: ", -1).length - 1).as("the six answers before the stop").isEqualTo(6);
            assertThat(file).as("the stub echoes the headers it got, the key among them").contains("x-api-key")
                    .contains("[masked]").doesNotContain(KEY).doesNotContain("x-sonde-repeat").doesNotContain("x-sonde-model:");
            try (var files = Files.list(recorded.getParent())) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).as("no temporary file left")
                        .containsExactly("stopped.yaml");
            }
            assertThat(server.received()).allSatisfy(r -> assertThat(r.headers().keySet())
                    .as("the repeat and model headers are for the emulator only")
                    .doesNotContain("x-sonde-repeat", "x-sonde-model"));
            try (Emulator emu = Emulator.start(EmulatorConfig.builder().rules(List.of(recorded)).build())) {
                assertThat(emu.baseUri()).as("a valid rules file").isNotNull();
            }
        }
    }

    @Test
    void what_cannot_be_recorded_is_refused_in_one_line_with_exit_2_and_nothing_sent() throws Exception {
        Path suite = Suites.numbered(dir, "refused", 2, 1);
        Path file = dir.resolve("r.yaml");
        Files.createDirectories(dir.resolve("a-folder"));
        String out = dir.resolve("out").toString();
        assertThat(run("run", suite.toString(), "--out", out, "--record", file.toString()))
                .isEqualTo("sonde: --record: every model runs on the emulator, so there is nothing to record: record "
                        + "against a live endpoint (--endpoint URL)");
        assertThat(run("run", suite.toString(), "--out", out, "--endpoint", "http://127.0.0.1:9", "--cache", "--record",
                file.toString())).isEqualTo("sonde: --record: answers replayed from --cache are not sent, so they cannot "
                        + "be recorded");
        assertThat(run("run", suite.toString(), "--out", out, "--endpoint", "http://127.0.0.1:9", "--record",
                dir.resolve("a-folder").toString())).isEqualTo("sonde: --record: " + dir.resolve("a-folder")
                        + " is a folder: name the rules file to write");
        assertThat(run("run", suite.toString(), "--out", out, "--endpoint", "http://127.0.0.1:9", "--shard", "1/2",
                "--record", file.toString())).isEqualTo("sonde: --record: a shard would record only its part, and "
                        + "replace the whole file with it: record an unsharded run");
        assertThat(file).doesNotExist();
        assertThat(Path.of(out)).as("refused before the run's folder is made").doesNotExist();
    }

    @Test
    void a_recording_that_cannot_be_written_is_said_and_takes_the_place_of_neither_a_stop_nor_a_finished_run()
            throws Exception {
        Path suite = Suites.numbered(dir, "unwritable", 8, 2);
        Files.writeString(dir.resolve("a-file"), "not a folder");
        Path recorded = dir.resolve("a-file/recorded.yaml"); // its folder cannot be made
        List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
        TrialListener listener = new TrialListener() {
            @Override
            public void finished(TrialResult result, int done, int total) {}

            @Override
            public void announce(String line) { // said with -q too
                notes.add(line);
            }
        };
        try (StubServer server = StubServer.start(StubServer.messagesStream(0))) {
            SuiteSession.Outcome outcome = SuiteSession.run(options(suite, server, "finished", listener, recorded), null,
                    new RunStop());
            assertThat(outcome).as("the run's own end stands").isInstanceOf(SuiteSession.Evaluated.class);
            assertThat(notes).anyMatch(l -> l.startsWith("--record " + recorded + ": cannot write it ("));
        }
        notes.clear();
        HeldRequests held = new HeldRequests(2, 2, StubServer.messagesStream(0));
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
            Throwable thrown = catchThrowable(() -> SuiteSession.run(options(suite, server, "stopped", listener, recorded),
                    null, stop));
            assertThat(thrown).as("still the stop, with its partial results").isInstanceOf(SuiteSession.Stopped.class);
            assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(SuiteSession.SetupException.class)
                    .extracting(Throwable::getMessage).asString().startsWith("--record " + recorded + ": cannot write it");
            assertThat(notes).anyMatch(l -> l.startsWith("--record " + recorded + ": cannot write it ("));
        }
    }

    private SuiteSession.Options options(Path suite, StubServer server, String out, TrialListener listener, Path record) {
        return new SuiteSession.Options(suite, server.baseUri().toString(), dir.resolve(out), null, null, dir,
                Map.of("ANTHROPIC_API_KEY", KEY), listener, Clock.system(), null, false, null, false, false, List.of(),
                List.of(), null, record);
    }

    /** A streamed answer that says "Paris" and echoes every header it got (the key among them), so a leak shows. */
    private static StubServer.Script echoing() {
        return (request, response, out) -> {
            ObjectMapper json = new ObjectMapper();
            String said = "Paris; you sent " + request.headers().entrySet().stream()
                    .map(h -> h.getKey() + ": " + h.getValue()).toList();
            response.getHeaders().put("content-type", "text/event-stream");
            StubServer.sse(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_r\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],"
                    + "\"stop_reason\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
            StubServer.sse(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            StubServer.sse(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":" + json.writeValueAsString(said) + "}}");
            StubServer.sse(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            StubServer.sse(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                    + "\"usage\":{\"output_tokens\":2}}");
            StubServer.sse(out, "message_stop", "{\"type\":\"message_stop\"}");
        };
    }

    @Test
    void a_run_that_recorded_nothing_leaves_an_earlier_recording_as_it_was() throws Exception {
        Path suite = Suites.numbered(dir, "rejected", 3, 1);
        Path file = dir.resolve("earlier.yaml");
        Files.writeString(file, "rules: []  # an earlier recording\n");
        try (Emulator live = Emulator.start(EmulatorConfig.builder().acceptedKeys(java.util.Set.of("sk-another")).build())) {
            StringWriter err = new StringWriter();
            int exit = Main.execute(Map.of("ANTHROPIC_API_KEY", KEY), new PrintWriter(new StringWriter()),
                    new PrintWriter(err), "run", suite.toString(), "--out", dir.resolve("out").toString(), "--endpoint",
                    live.baseUri().toString(), "--record", file.toString());
            assertThat(exit).as(err.toString()).isNotZero();
            assertThat(err.toString()).contains("--record: no answer was recorded; " + file + " is left as it was");
        }
        assertThat(Files.readString(file)).isEqualTo("rules: []  # an earlier recording\n");
    }

    /** The one error line of a command that must exit 2. */
    private String run(String... args) {
        StringWriter err = new StringWriter();
        int exit = Main.execute(Map.of("ANTHROPIC_API_KEY", KEY), new PrintWriter(new StringWriter()), new PrintWriter(err),
                args);
        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(err.toString().lines().toList()).as("one line, no stack trace").hasSize(1);
        return err.toString().strip();
    }
}
