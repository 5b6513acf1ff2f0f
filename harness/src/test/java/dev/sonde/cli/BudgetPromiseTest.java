package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.testing.StubServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code budget.max_usd} promises (issue 18, items 1–3), against servers that say more than the
 * request's bytes suggest, bill tools per use, lie about their counts, send usage that cannot be,
 * drop connections and get killed under: spend is journaled exactly as the server reports it, every
 * attempt's worst case is reserved before it goes out, input that bytes cannot size is counted
 * first, and the line the run ends with says by how much — and why — the cap was passed, if it was.
 */
@Tag("hostile")
class BudgetPromiseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-budget-test";
    @TempDir
    Path dir;

    /** A non-streamed message whose usage is {@code usage} (JSON). */
    private static void message(Response response, OutputStream out, String usage) throws Exception {
        response.getHeaders().put("content-type", "application/json");
        StubServer.write(out, "{\"id\":\"msg_b\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Paris\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":" + usage + "}");
    }

    /** Counts {@code counted} input tokens, and bills {@code billed} input and 10 output tokens per message. */
    private static StubServer.Script server(long counted, long billed) {
        return (request, response, out) -> {
            if (request.path().endsWith("/count_tokens")) {
                response.getHeaders().put("content-type", "application/json");
                StubServer.write(out, "{\"input_tokens\":" + counted + "}");
            } else {
                message(response, out, "{\"input_tokens\":" + billed + ",\"output_tokens\":10}");
            }
        };
    }

    private Path suite(int cases, String budget, String block) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                name: budget
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                run: {concurrency: 1}
                cases:
                """);
        for (int i = 0; i < cases; i++) {
            yaml.append("  - id: c").append(i).append("\n    messages:\n      - role: user\n        content:\n")
                    .append("          - ").append(block).append("\n")
                    .append("          - {type: text, text: \"Summarise it, ").append(i).append(".\"}\n")
                    .append("    assert: [{type: contains, value: Paris}]\n");
        }
        yaml.append("budget: ").append(budget).append("\n");
        return Files.writeString(dir.resolve("suite.yaml"), yaml.toString());
    }

    private static final String URL_DOCUMENT = "{type: document, source: {type: url, url: \"https://example.com/big.pdf\"}}";

    private static SecretEchoTest.Run sonde(StubServer server, Path suite, Path out, String... more) {
        return SecretEchoTest.run(Map.of("ANTHROPIC_API_KEY", KEY), Stream.concat(Stream.of("run", suite.toString(),
                "--endpoint", server.baseUri().toString(), "--out", out.toString()), Stream.of(more)).toArray(String[]::new));
    }

    private static List<TrialResult> journal(Path out) throws Exception {
        try (Stream<TrialResult> s = Journal.read(out.resolve("trials.jsonl"))) {
            return s.toList();
        }
    }

    private static double journaledSpend(Path out) throws Exception {
        return journal(out).stream().mapToDouble(t -> t.costUsd() == null ? 0 : t.costUsd()).sum();
    }

    private static List<JsonNode> ledger(Path out) throws Exception {
        return Files.readAllLines(out.resolve("spend.jsonl")).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static String budgetLine(String err) {
        return err.lines().filter(l -> l.startsWith("sonde: budget: ")).findFirst().orElseThrow(
                () -> new AssertionError("no budget line in:\n" + err));
    }

    private static List<String> messagePaths(StubServer server) {
        return server.received().stream().map(StubServer.Received::path).filter(p -> p.equals("/v1/messages")).toList();
    }

    @Test
    void a_url_document_is_sized_with_count_tokens_and_refused_before_anything_is_paid() throws Exception {
        // the issue's case: 60,000 input tokens ($0.18 on Sonnet) behind a few bytes of URL, under a $0.01 cap
        try (StubServer server = StubServer.start(server(60_000, 60_000))) {
            Path out = dir.resolve("run");
            SecretEchoTest.Run r = sonde(server, suite(1, "{max_usd: 0.01}", URL_DOCUMENT), out);

            assertThat(r.exit()).as(r.err()).isEqualTo(Main.CANNOT_PROCEED);
            assertThat(messagePaths(server)).as("nothing was sent to the model").isEmpty();
            List<StubServer.Received> counts = server.received();
            assertThat(counts).as(r.err()).hasSize(1);
            JsonNode countBody = JSON.readTree(counts.get(0).body());
            assertThat(countBody.has("max_tokens")).as("count_tokens takes no max_tokens").isFalse();
            assertThat(countBody.path("messages").get(0).path("content").get(0).path("source").path("url").asText())
                    .isEqualTo("https://example.com/big.pdf");
            assertThat(r.err()).contains("run stopped: budget: max_usd $0.0100 would be exceeded");
            assertThat(journal(out)).singleElement().satisfies(t -> assertThat(t.skipped()).startsWith("budget: "));
            assertThat(budgetLine(r.err())).isEqualTo("sonde: budget: $0.0000 reported spent of max_usd $0.0100");
            assertThat(ledger(out)).as("no attempt was begun").isEmpty();
        }
    }

    @Test
    void spend_is_journaled_as_the_server_reports_it_and_the_ledger_agrees() throws Exception {
        // each trial bills 60,000 input + 10 output tokens = $0.18015; sized at 66,064 + 100 output = $0.19969,
        // so a $0.50 cap sends two and refuses the third before it goes out
        try (StubServer server = StubServer.start(server(60_000, 60_000))) {
            Path out = dir.resolve("run");
            SecretEchoTest.Run r = sonde(server, suite(3, "{max_usd: 0.50}", URL_DOCUMENT), out);

            assertThat(r.exit()).as(r.err()).isEqualTo(Main.CANNOT_PROCEED);
            assertThat(messagePaths(server)).hasSize(2);
            assertThat(journaledSpend(out)).isCloseTo(2 * 0.18015, org.assertj.core.data.Offset.offset(1e-9));
            List<JsonNode> ledger = ledger(out);
            assertThat(ledger.stream().filter(l -> l.has("reserved_usd"))).hasSize(2)
                    .allSatisfy(l -> assertThat(l.get("reserved_usd").asDouble())
                            .isCloseTo(0.199692, org.assertj.core.data.Offset.offset(1e-9)));
            assertThat(ledger.stream().filter(l -> l.has("usd")).mapToDouble(l -> l.get("usd").asDouble()).sum())
                    .isCloseTo(journaledSpend(out), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(budgetLine(r.err())).isEqualTo("sonde: budget: $0.3603 reported spent of max_usd $0.5000");
        }
    }

    @Test
    void a_server_that_bills_past_its_own_count_passes_the_cap_only_by_what_was_in_flight_and_says_so() throws Exception {
        // count_tokens says 1,000, the message bills 60,000: the one request in flight costs far more than reserved
        try (StubServer server = StubServer.start(server(1_000, 60_000))) {
            Path out = dir.resolve("run");
            SecretEchoTest.Run r = sonde(server, suite(3, "{max_usd: 0.05}", URL_DOCUMENT), out);

            assertThat(messagePaths(server)).as("nothing is sent once the cap is reached").hasSize(1);
            String line = budgetLine(r.err());
            Matcher m = Pattern.compile("the cap was passed by \\$([0-9.]+): 1 request in flight cost \\$([0-9.]+) "
                    + "more than reserved \\(at most 1 were in flight at once").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            double passedBy = Double.parseDouble(m.group(1));
            double overReserved = Double.parseDouble(m.group(2));
            assertThat(passedBy).isCloseTo(0.18015 - 0.05, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(passedBy).as("the overshoot is bounded by what the request in flight cost past its reservation")
                    .isLessThanOrEqualTo(overReserved);
            assertThat(journaledSpend(out)).isCloseTo(0.18015, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void input_that_cannot_be_counted_is_refused_under_a_cap_and_sent_without_one() throws Exception {
        StubServer.Script noCounting = (request, response, out) -> {
            if (request.path().endsWith("/count_tokens")) {
                response.setStatus(404);
                response.getHeaders().put("content-type", "application/json");
                StubServer.write(out, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no\"}}");
            } else {
                message(response, out, "{\"input_tokens\":60000,\"output_tokens\":10}");
            }
        };
        try (StubServer server = StubServer.start(noCounting)) {
            Path two = Files.writeString(dir.resolve("two.yaml"), """
                    name: two
                    models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                    run: {concurrency: 1}
                    cases:
                      - id: by-file
                        messages: [{role: user, content: [{type: image, source: {type: file, file_id: file_abc}},
                                                          {type: text, text: "What is it?"}]}]
                        assert: [{type: contains, value: Paris}]
                      - {id: plain, prompt: "capital of France?", assert: [{type: contains, value: Paris}]}
                    budget: {max_usd: 5}
                    """);
            Path capped = dir.resolve("capped");
            SecretEchoTest.Run r = sonde(server, two, capped);
            assertThat(r.exit()).as("one trial skipped is a failed run, not a stopped one: " + r.err()).isEqualTo(1);
            assertThat(r.err()).doesNotContain("run stopped");
            assertThat(journal(capped)).satisfiesExactlyInAnyOrder(
                    t -> assertThat(t.skipped()).isEqualTo("budget: case by-file cannot be bounded under max_usd: its "
                            + "input holds an image given by file_id, and count_tokens failed: not_found (404 "
                            + "not_found_error): no"),
                    t -> assertThat(t.pass()).as("the run went on to the next case").isTrue());
            assertThat(messagePaths(server)).as("only the plain case was sent").hasSize(1);

            SecretEchoTest.Run free = sonde(server, suite(1, "{max_trials: 5}", "{type: image, source: {type: file, file_id: file_abc}}"),
                    dir.resolve("free"));
            assertThat(free.exit()).as(free.err()).isEqualTo(0);
            assertThat(dir.resolve("free/spend.jsonl")).as("a ledger is kept under max_usd only").doesNotExist();
            assertThat(server.received().stream().filter(q -> q.path().endsWith("/count_tokens")))
                    .as("the capped run's one count; without a USD cap nothing is counted").hasSize(1);
            assertThat(messagePaths(server)).hasSize(2);
        }
    }

    @Test
    void web_search_needs_max_uses_under_a_cap_and_its_fee_is_part_of_the_cost() throws Exception {
        StubServer.Script searching = (request, response, out) -> message(response, out,
                "{\"input_tokens\":1000,\"output_tokens\":10,\"server_tool_use\":{\"web_search_requests\":2,"
                        + "\"web_fetch_requests\":0}}");
        try (StubServer server = StubServer.start(searching)) {
            Path unbounded = Files.writeString(dir.resolve("search.yaml"), """
                    name: search
                    models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                    defaults:
                      params:
                        tools: [{type: web_search_20250305, name: web_search}]
                    cases: [{id: news, prompt: "What happened today?", assert: [{type: contains, value: Paris}]}]
                    budget: {max_usd: 5}
                    """);
            SecretEchoTest.Run r = sonde(server, unbounded, dir.resolve("unbounded"));
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(journal(dir.resolve("unbounded"))).singleElement().satisfies(t -> assertThat(t.skipped())
                    .isEqualTo("budget: case news cannot be bounded under max_usd: its tool web_search "
                            + "(web search, charged per search) has no max_uses"));
            assertThat(server.received()).isEmpty();

            Path bounded = Files.writeString(dir.resolve("search.yaml"),
                    Files.readString(unbounded).replace("name: web_search}", "name: web_search, max_uses: 2}"));
            Path out = dir.resolve("bounded");
            SecretEchoTest.Run ok = sonde(server, bounded, out);
            assertThat(ok.exit()).as(ok.err()).isEqualTo(0);
            // 1,000 × $3/M + 10 × $15/M + 2 searches × $0.01
            assertThat(journaledSpend(out)).isCloseTo(0.003 + 0.00015 + 0.02, org.assertj.core.data.Offset.offset(1e-12));
            JsonNode begun = ledger(out).stream().filter(l -> l.has("reserved_usd")).findFirst().orElseThrow();
            assertThat(begun.get("reserved_usd").asDouble()).as("two searches' fees and results are reserved")
                    .isGreaterThan(0.02 + 3 * 25_000 * 3e-6);
        }
    }

    @Test
    void negative_or_absurd_usage_is_a_protocol_error_counted_at_its_worst_case_never_a_negative_cost() throws Exception {
        AtomicInteger n = new AtomicInteger();
        String[] usages = {
            "{\"input_tokens\":-500000,\"output_tokens\":10}",
            "{\"input_tokens\":12,\"output_tokens\":1000000000000}",
            "{\"input_tokens\":12.5,\"output_tokens\":10}",
            "{\"input_tokens\":\"" + KEY + "\",\"output_tokens\":10}",
            "{\"input_tokens\":12,\"output_tokens\":101}",
        };
        StubServer.Script lying = (request, response, out) -> message(response, out, usages[n.getAndIncrement() % usages.length]);
        try (StubServer server = StubServer.start(lying)) {
            Path out = dir.resolve("run");
            SecretEchoTest.Run r = sonde(server, suite(usages.length, "{max_usd: 5}", "{type: text, text: \"a text\"}"), out);
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            List<TrialResult> trials = journal(out);
            assertThat(trials).hasSize(usages.length).allSatisfy(t -> {
                assertThat(t.error()).isNotNull();
                assertThat(t.error().errorClass()).isEqualTo("protocol");
                assertThat(t.costUsd()).isNotNull().isGreaterThanOrEqualTo(0.0);
                assertThat(t.error().message()).doesNotContain(KEY);
            });
            assertThat(trials.stream().map(t -> t.error().message())).anyMatch(m -> m.contains("negative (-500000)"))
                    .anyMatch(m -> m.contains("is more than any request can use"))
                    .anyMatch(m -> m.contains("is not a whole number of tokens (12.5)"))
                    .anyMatch(m -> m.contains("is more than the request's limit of 100 output tokens"));
            assertThat(ledger(out).stream().filter(l -> l.path("unresolved").asBoolean())).hasSize(usages.length);
            assertThat(budgetLine(r.err())).contains("may also be billed for 5 attempts that got no usage back");
            assertThat(messagePaths(server)).as("a protocol error is not retried").hasSize(usages.length);
        }
    }

    @Test
    void a_broken_stream_is_retried_and_the_broken_attempt_stays_counted_at_its_worst_case() throws Exception {
        AtomicInteger n = new AtomicInteger();
        StubServer.Script flaky = (request, response, out) -> {
            if (n.getAndIncrement() == 0) {
                response.getHeaders().put("content-type", "text/event-stream");
                StubServer.sse(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_x\","
                        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],"
                        + "\"stop_reason\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
                return; // the body ends without message_stop: billed or not, nobody can say
            }
            StubServer.messagesStream(0).answer(request, response, out);
        };
        try (StubServer server = StubServer.start(flaky)) {
            Path out = dir.resolve("run");
            Path suite = Files.writeString(dir.resolve("s.yaml"), """
                    name: flaky
                    models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 100}}]
                    cases: [{id: c, prompt: "capital of France?", assert: [{type: contains, value: Paris}]}]
                    run: {retry: {base_delay_ms: 1, max_delay_ms: 1}}
                    budget: {max_usd: 1}
                    """);
            SecretEchoTest.Run r = sonde(server, suite, out);
            assertThat(r.exit()).as(r.err()).isEqualTo(0);
            assertThat(messagePaths(server)).hasSize(2);
            List<JsonNode> ledger = ledger(out);
            assertThat(ledger.stream().filter(l -> l.path("unresolved").asBoolean())).hasSize(1);
            assertThat(budgetLine(r.err())).contains("may also be billed for 1 attempt that got no usage back");
        }
    }

    @Test
    void a_kill_leaves_its_attempts_in_flight_in_the_ledger_and_the_resume_counts_them_at_their_worst_case()
            throws Exception {
        try (StubServer server = StubServer.start((request, response, out) -> {
            Thread.sleep(400);
            StubServer.messagesStream(0).answer(request, response, out);
        })) {
            StringBuilder yaml = new StringBuilder("name: killed\nmodels: [{id: s, model: claude-sonnet-4-6, "
                    + "params: {max_tokens: 100}}]\nrun: {concurrency: 4}\nbudget: {max_usd: 10}\ncases:\n");
            for (int i = 0; i < 40; i++) {
                yaml.append("  - {id: c").append(i).append(", prompt: \"question ").append(i)
                        .append("\", assert: [{type: contains, value: Paris}]}\n");
            }
            Path suite = Files.writeString(dir.resolve("suite.yaml"), yaml.toString());
            Path out = dir.resolve("run");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "run", suite.toString(), "--endpoint", server.baseUri().toString(), "--out", out.toString(), "-q")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
            pb.environment().put("ANTHROPIC_API_KEY", KEY);
            Process child = pb.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (begun(out) < 10 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("still running when killed").isTrue();
            assertThat(journal(out)).as("sending, not stopped: %s", Files.readString(dir.resolve("child.log")))
                    .noneMatch(t -> t.skipped() != null);
            child.destroyForcibly();
            child.waitFor();

            List<JsonNode> before = ledger(out);
            long begun = before.stream().filter(l -> l.has("reserved_usd")).count();
            long ended = before.stream().filter(l -> l.has("usd")).count();
            long inFlight = begun - ended;
            assertThat(inFlight).as("what a kill can re-pay: the attempts in flight, at most the concurrency")
                    .isBetween(1L, 4L);
            double reserved = before.stream().filter(l -> l.has("reserved_usd")).mapToDouble(l -> l.get("reserved_usd").asDouble())
                    .max().orElseThrow();

            SecretEchoTest.Run r = sonde(server, suite, out, "--resume", out.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(0);
            assertThat(budgetLine(r.err())).contains(inFlight + (inFlight == 1 ? " attempt" : " attempts")
                    + " in flight when an earlier run was stopped");
            Matcher m = Pattern.compile("; \\$([0-9.]+) may also be billed").matcher(budgetLine(r.err()));
            assertThat(m.find()).isTrue();
            assertThat(Double.parseDouble(m.group(1))).isCloseTo(inFlight * reserved, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(journal(out)).hasSize(40);
        }
    }

    /** How many attempts the run's ledger has begun so far. */
    private static long begun(Path out) throws Exception {
        Path ledger = out.resolve("spend.jsonl");
        if (!Files.exists(ledger)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(ledger)) {
            return lines.filter(l -> l.contains("\"reserved_usd\"")).count();
        }
    }

    @Test
    void a_benchmark_with_a_budget_is_refused_at_load_time_since_none_would_hold() throws Exception {
        Path suite = Files.writeString(dir.resolve("load.yaml"), """
                name: bench
                models: [{id: s, model: claude-sonnet-4-6, params: {max_tokens: 16}}]
                cases: [{id: c, prompt: "hi"}]
                load: {mode: closed, concurrency: [1], duration_s: 1}
                budget: {max_usd: 0.01}
                """);
        StringWriter e = new StringWriter();
        int exit = Main.execute(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(e), "run", suite.toString(),
                "--out", dir.resolve("out").toString());
        assertThat(exit).as(e.toString()).isEqualTo(Main.BAD_INPUT);
        assertThat(e.toString().strip()).startsWith(suite + ":5:").contains("budget").contains("not held to a budget")
                .doesNotContain("\n");
    }
}
